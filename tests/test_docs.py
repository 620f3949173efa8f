"""Structure of the documentation, checked on its source files.

- ``docs/api.rst`` has an entry for every public name (``skw2s.__all__`` and the
  ``__all__`` of each public subpackage);
- every gallery example is referenced from the user guide;
- every user-guide page shows a figure or a runnable code block;
- every ``.. code-block:: python`` of the user guide and of the landing page
  runs (the blocks of one page share a namespace, in order, like a reader
  pasting them into one session);
- the built site (if ``docs/_build/html`` exists, e.g. after the docs build of
  ``.ci/run``) loads nothing from another host.

Nothing here builds the docs or takes screenshots.
"""

import contextlib
import importlib
import io
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
USER_GUIDE = DOCS / "user_guide"
EXAMPLES = ROOT / "examples"
BUILD = DOCS / "_build" / "html"

pytestmark = pytest.mark.skipif(
    not (DOCS / "conf.py").exists(), reason="the docs sources are not next to the tests"
)

SUBPACKAGES = ["datasets", "theory", "metrics", "model_selection"]


def _user_guide_pages():
    return sorted(p for p in USER_GUIDE.glob("*.rst") if p.name != "index.rst")


# -- API reference -------------------------------------------------------------


def _api_entries():
    """Fully qualified names listed in autosummary blocks of api.rst."""
    entries = set()
    module = None
    in_autosummary = False
    for line in (DOCS / "api.rst").read_text().splitlines():
        match = re.match(r"\.\. currentmodule:: (\S+)", line)
        if match:
            module = match.group(1)
            in_autosummary = False
            continue
        if line.startswith(".. autosummary::"):
            in_autosummary = True
            continue
        if in_autosummary:
            if not line.strip() or line.strip().startswith(":"):
                continue
            if not line.startswith(" "):
                in_autosummary = False
                continue
            entries.add(f"{module}.{line.strip()}")
    return entries


def _public_names():
    import skw2s

    names = {f"skw2s.{name}" for name in skw2s.__all__ if name != "__version__"}
    for sub in SUBPACKAGES:
        module = importlib.import_module(f"skw2s.{sub}")
        names |= {f"skw2s.{sub}.{name}" for name in module.__all__}
    return names


def test_api_reference_lists_every_public_name():
    entries = _api_entries()
    missing = sorted(_public_names() - entries)
    assert not missing, f"public names without an API page in docs/api.rst: {missing}"


def test_api_reference_lists_nothing_that_is_not_public():
    unknown = sorted(_api_entries() - _public_names())
    assert not unknown, f"docs/api.rst lists names that are not public: {unknown}"


def test_html_repr_doc_links_point_to_published_api_pages():
    import skw2s

    conf = (DOCS / "conf.py").read_text()
    base = re.search(r'^html_baseurl = "([^"]+)"', conf, re.M).group(1)
    assert (ROOT / ".readthedocs.yaml").exists(), "no publishing configuration"
    for name in skw2s.__all__:
        obj = getattr(skw2s, name)
        if not (isinstance(obj, type) and hasattr(obj, "_get_doc_link")):
            continue
        link = obj.__new__(obj)._get_doc_link()
        if not link:  # no link at all is allowed, a link to nowhere is not
            continue
        assert link.startswith(base), f"{name}: {link} is not under {base}"
        page = link[len(base):]
        assert page == f"generated/skw2s.{name}.html", (
            f"{name}: the repr links to {page}, api.rst generates "
            f"generated/skw2s.{name}.html"
        )
        assert f"skw2s.{name}" in _api_entries()


# -- Gallery and user guide ----------------------------------------------------


@pytest.mark.parametrize(
    "example", sorted(p.name for p in EXAMPLES.glob("plot_*.py")), ids=str
)
def test_every_example_is_referenced_from_the_user_guide(example):
    label = f"sphx_glr_auto_examples_{example}"
    pages = [p.name for p in _user_guide_pages() if label in p.read_text()]
    assert pages, f"no user-guide page references :ref:`{label}`"


def _python_blocks(path):
    """The ``.. code-block:: python`` blocks of an rst file, dedented.

    A block with the option ``:class: needs-cluster`` is skipped: it shows code
    for a Dask cluster that a test machine does not have (the same calls run
    against an in-process cluster in ``tests/test_dask.py``).
    """
    lines = path.read_text().splitlines()
    blocks = []
    i = 0
    while i < len(lines):
        match = re.match(r"^(\s*)\.\. code-block:: python\s*$", lines[i])
        if not match:
            i += 1
            continue
        indent = len(match.group(1))
        i += 1
        skip = False
        while i < len(lines) and (
            not lines[i].strip() or lines[i].strip().startswith(":")
        ):
            skip = skip or lines[i].strip() == ":class: needs-cluster"
            i += 1  # options and the blank line
        body = []
        while i < len(lines) and (
            not lines[i].strip() or len(lines[i]) - len(lines[i].lstrip()) > indent
        ):
            body.append(lines[i])
            i += 1
        text = "\n".join(body).rstrip()
        width = min(len(ln) - len(ln.lstrip()) for ln in body if ln.strip())
        if skip:
            continue
        blocks.append("\n".join(ln[width:] for ln in text.splitlines()))
    return blocks


def _has_figure(text):
    return bool(re.search(r"^\s*\.\. (figure|image)::", text, re.M))


@pytest.mark.parametrize("page", [p.name for p in _user_guide_pages()], ids=str)
def test_every_user_guide_page_has_a_figure_or_a_snippet(page):
    path = USER_GUIDE / page
    text = path.read_text()
    # doctest snippets (">>>") count when a test runs them (scaling_out.rst:
    # tests/test_docs_scaling_out.py)
    doctested = page == "scaling_out.rst" and "\n>>> " in text
    assert _has_figure(text) or _python_blocks(path) or doctested, (
        f"{page} has neither a figure nor a '.. code-block:: python'"
    )


@pytest.mark.parametrize("page", [p.name for p in _user_guide_pages()], ids=str)
def test_user_guide_has_no_untested_python_literal_blocks(page):
    # A bare '::' literal block is not executed by the test below: write Python
    # examples as '.. code-block:: python'.
    text = (USER_GUIDE / page).read_text()
    literal = re.findall(r"::\n\n((?:[ ]{4}.*\n|\n)+)", text)
    python_like = [b for b in literal if re.search(r"^\s+(from|import) \w", b, re.M)]
    assert not python_like, f"{page}: Python in a bare '::' literal block"


def test_mechanisms_page_shows_the_three_mechanism_figures():
    text = (USER_GUIDE / "mechanisms.rst").read_text()
    for n, name in enumerate(
        ["mechanism1_regularization", "mechanism2_aligned_penalty",
         "mechanism3_multi_index"], start=1,
    ):
        figure = re.search(
            rf"\.\. figure:: \S*sphx_glr_plot_{name}_\d+\S*\.png\n"
            rf"(?:\s+:\S+:.*\n)*?\s+:target: \S*plot_{name}\.html",
            text,
        )
        assert figure, f"mechanism {n}: no figure linked to its gallery example"


def test_landing_page_shows_a_figure_and_points_to_practice():
    text = (DOCS / "index.rst").read_text()
    assert _has_figure(text)
    assert "sphx_glr_auto_examples_plot_practice_pipeline.py" in text


def _run_page(path, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # any file a snippet writes stays in tmp_path
    namespace = {"__name__": "__docs__"}
    out = io.StringIO()
    for k, block in enumerate(_python_blocks(path)):
        code = compile(block, f"{path.name} [python block {k + 1}]", "exec")
        with contextlib.redirect_stdout(out):
            exec(code, namespace)
    return out.getvalue()


@pytest.mark.parametrize(
    "page", [p.name for p in _user_guide_pages() if _python_blocks(p)], ids=str
)
def test_user_guide_code_blocks_run(page, tmp_path, monkeypatch):
    _run_page(USER_GUIDE / page, tmp_path, monkeypatch)


def test_landing_page_code_runs_and_prints_what_it_says(tmp_path, monkeypatch):
    path = DOCS / "index.rst"
    printed = _run_page(path, tmp_path, monkeypatch)
    # A printed line is followed in the block by a comment with its text.
    claimed = re.findall(r"^\s*# (teacher .*?)\s{2,}", path.read_text(), re.M)
    assert claimed, "the landing page states no printed output"
    for line in claimed:
        assert line in printed, f"index.rst says it prints {line!r}; got {printed!r}"


# -- The built site ------------------------------------------------------------


def _check_offline():
    sys.path.insert(0, str(DOCS))
    try:
        return importlib.import_module("check_offline")
    finally:
        sys.path.remove(str(DOCS))


def test_offline_checker_catches_external_resources(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        '<html><head><script src="https://cdn.example.org/x.js"></script>'
        '<link rel="stylesheet" href="//fonts.example.org/f.css">'
        '<style>@import url("https://fonts.example.org/g.css");</style>'
        '</head><body><a href="https://example.org">a link is fine</a>'
        '<img src="data:image/png;base64,AAAA"><img src="_images/a.png">'
        '<span class="math">\\(x\\)</span></body></html>'
    )
    (tmp_path / "s.css").write_text("a { background: url(https://e.org/i.png) }")
    problems = _check_offline().check(tmp_path)
    assert len(problems) == 5, problems  # 3 in the page, 1 css, no local MathJax
    assert not any("a link is fine" in p or "data:" in p for p in problems)


@pytest.mark.skipif(not BUILD.is_dir(), reason="docs/_build/html not built")
def test_built_html_loads_nothing_from_another_host():
    problems = _check_offline().check(BUILD)
    assert not problems, "\n".join(problems)


@pytest.mark.skipif(not BUILD.is_dir(), reason="docs/_build/html not built")
def test_built_html_mechanisms_page_has_three_figures():
    text = (BUILD / "user_guide" / "mechanisms.html").read_text()
    assert len(re.findall(r"<figure\b", text)) >= 3


@pytest.mark.skipif(not BUILD.is_dir(), reason="docs/_build/html not built")
def test_built_html_class_pages_carry_no_scikit_learn_version_notes():
    # Inherited methods keep scikit-learn's docstrings; their "Added in
    # version 1.3" would read as a version of skw2s (conf.py drops them).
    pages = sorted((BUILD / "generated").glob("*.html"))
    assert pages
    noted = [p.name for p in pages if "Added in version" in p.read_text()]
    assert not noted, noted

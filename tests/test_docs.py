"""Structure of the documentation, checked on its source files.

- the API reference (``docs/api.rst`` and its module pages ``docs/api/*.rst``)
  has an entry for every public name (``skw2s.__all__`` and the ``__all__`` of
  each public subpackage);
- the intersphinx inventories are local files (the build needs no network)
  and every cross-reference must resolve (``nitpicky``);
- every gallery example sits in a topic folder with a README.txt, and is
  referenced from the user guide;
- every user-guide page shows a figure or a runnable code block;
- every ``.. code-block:: python`` of the user guide and of the landing page
  runs (the blocks of one page share a namespace, in order, like a reader
  pasting them into one session), ends in a print and has no bare
  expression; the landing and getting-started pages print what they show;
- the built site (if ``docs/_build/html`` exists, e.g. after the docs build of
  ``.ci/run``) loads nothing from another host, links scikit-learn's names to
  scikit-learn's documentation, shows no timings, shows an example on every
  API page, and prints a supervised student's score on every gallery page
  that prints a weak-to-strong score.

Nothing here builds the docs or takes screenshots.
"""

import ast
import contextlib
import importlib
import io
import re
import runpy
import sys
import zlib
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


def _api_pages():
    return [DOCS / "api.rst", *sorted((DOCS / "api").glob("*.rst"))]


def _api_entries():
    """Fully qualified names listed in autosummary blocks of the API pages."""
    entries = set()
    for page in _api_pages():
        entries |= _autosummary_entries(page)
    return entries


def _autosummary_entries(page):
    entries = set()
    module = None
    in_autosummary = False
    for line in page.read_text().splitlines():
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
    assert not missing, f"public names without an API page in docs/api/: {missing}"


def test_api_reference_lists_nothing_that_is_not_public():
    unknown = sorted(_api_entries() - _public_names())
    assert not unknown, f"docs/api/ lists names that are not public: {unknown}"


def test_api_reference_has_one_page_per_public_module():
    # The API sidebar is grouped by module: docs/api/<module>.rst per module,
    # each listing only that module's names, all in api.rst's toctree.
    toctree = (DOCS / "api.rst").read_text()
    for module in ["skw2s", *(f"skw2s.{sub}" for sub in SUBPACKAGES)]:
        page = DOCS / "api" / f"{module}.rst"
        assert page.exists(), f"no API page {page.relative_to(ROOT)}"
        assert f"api/{module}\n" in toctree, f"api.rst does not list api/{module}"
        names = _autosummary_entries(page)
        assert names and all(n.rpartition(".")[0] == module for n in names), names


def test_api_titles_are_fully_qualified():
    for template in (DOCS / "_templates").glob("*.rst"):
        first = template.read_text().splitlines()[0]
        assert first.startswith("{{ fullname"), f"{template.name}: {first}"


def test_html_repr_doc_links_point_to_published_api_pages():
    import skw2s

    conf = (DOCS / "conf.py").read_text()
    base = re.search(r'^html_baseurl = "([^"]+)"', conf, re.M).group(1)
    assert (ROOT / ".readthedocs.yaml").exists(), "no publishing configuration"
    # the installed version's documentation: stable/ for a release, latest/
    # (html_baseurl, the main branch) for a development version
    site = "latest" if ".dev" in skw2s.__version__ else "stable"
    base = base.replace("/en/latest/", f"/en/{site}/")
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


# -- Links into other projects (intersphinx, offline) --------------------------


def _conf():
    return runpy.run_path(str(DOCS / "conf.py"))


def test_intersphinx_reads_local_inventories_and_every_reference_must_resolve():
    conf = _conf()
    assert conf["nitpicky"] is True
    mapping = conf["intersphinx_mapping"]
    assert {"sklearn", "numpy", "scipy", "pandas", "matplotlib"} <= set(mapping)
    readme = (DOCS / "_intersphinx" / "README.md").read_text()
    for name, (site, inventory) in mapping.items():
        assert site.startswith("https://"), (name, site)
        path = Path(inventory)
        assert path.parent == DOCS / "_intersphinx" and path.is_file(), inventory
        head = path.read_bytes().split(b"\n", 4)
        assert head[0] == b"# Sphinx inventory version 2", path.name
        assert zlib.decompress(head[4]).count(b"\n") > 1000, path.name
        assert path.name in readme, f"_intersphinx/README.md is silent on {path.name}"


def test_read_the_docs_builds_like_ci():
    # Read the Docs and .ci/run build the same way: the docs extra, the same
    # conf.py (local inventories), warnings as errors, then the offline check.
    rtd = (ROOT / ".readthedocs.yaml").read_text()
    assert "configuration: docs/conf.py" in rtd
    assert "fail_on_warning: true" in rtd
    assert "- docs" in rtd
    assert "check_offline.py" in rtd
    assert "SKW2S_DOCS_INTERSPHINX" not in rtd + (DOCS / "conf.py").read_text()


# -- Gallery and user guide ----------------------------------------------------


def _examples():
    return sorted(EXAMPLES.rglob("plot_*.py"))


def _example_label(path):
    """sphinx-gallery's label of an example: its path under examples/."""
    parts = path.relative_to(EXAMPLES).parts
    return "sphx_glr_auto_examples_" + "_".join(parts)


def test_examples_are_grouped_by_topic():
    conf = (DOCS / "conf.py").read_text()
    order = re.search(r'"subsection_order": \[(.*?)\]', conf, re.S).group(1)
    listed = re.findall(r'"\.\./examples/(\w+)"', order)
    folders = sorted(p.name for p in EXAMPLES.iterdir() if p.is_dir()
                     and not p.name.startswith((".", "_")))
    assert sorted(listed) == folders, (listed, folders)
    assert (EXAMPLES / "README.txt").exists()
    assert not list(EXAMPLES.glob("plot_*.py")), "an example outside a topic folder"
    for folder in folders:
        assert (EXAMPLES / folder / "README.txt").exists(), folder
        assert list((EXAMPLES / folder).glob("plot_*.py")), f"{folder} is empty"


@pytest.mark.parametrize(
    "example", _examples(), ids=lambda p: str(p.relative_to(EXAMPLES))
)
def test_every_example_is_referenced_from_the_user_guide(example):
    label = _example_label(example)
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


def _prints(node):
    return any(
        isinstance(n, ast.Call) and getattr(n.func, "id", None) == "print"
        for n in ast.walk(node)
    )


@pytest.mark.parametrize(
    "path",
    [p for p in [*_user_guide_pages(), DOCS / "index.rst"] if _python_blocks(p)],
    ids=lambda p: p.name,
)
def test_snippets_end_in_something_that_prints(path):
    # Pasted into a file, a bare expression (``search.best_params_``) shows
    # nothing: every snippet ends with a print, and none has an expression
    # statement that is not a call.
    for k, block in enumerate(_python_blocks(path), start=1):
        body = ast.parse(block).body
        bare = [ast.get_source_segment(block, s) for s in body
                if isinstance(s, ast.Expr) and not isinstance(s.value, ast.Call)]
        assert not bare, f"{path.name} block {k}: bare expressions {bare}"
        assert _prints(body[-1]), f"{path.name} block {k} does not end in a print"


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
    # "Use it on your data" sends the reader to the realistic example and to
    # the decision pages.
    section = text.split("Use it on your data", 1)[1].split("\n----", 1)[1]
    section = section.split("\nWhere to go next", 1)[0]
    for target in ["sphx_glr_auto_examples_practice_plot_practice_pipeline.py",
                   ":ref:`getting_started`", ":ref:`should_i_use_w2s`"]:
        assert target in section, target


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


def _text_blocks(path):
    """The bodies of the ``.. code-block:: text`` blocks of an rst file."""
    return re.findall(
        r"^\.\. code-block:: text\n\n((?:[ ]{4}.*\n|\n)+)", path.read_text(), re.M
    )


def test_getting_started_prints_what_it_says(tmp_path, monkeypatch):
    # The page shows the output of its snippet (the report's verdict) in a
    # text block; every line of it must be printed by the snippet.
    path = USER_GUIDE / "getting_started.rst"
    printed = _run_page(path, tmp_path, monkeypatch)
    blocks = _text_blocks(path)
    assert blocks, "getting_started.rst shows no printed output"
    claimed = " ".join(blocks[0].split())  # the page wraps long lines
    assert claimed.startswith(("undecided", "w2s", "supervised", "teacher")), claimed
    assert claimed in " ".join(printed.split()), (claimed, printed)


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


SKLEARN_SITE = "https://scikit-learn.org/stable/"


@pytest.mark.skipif(not BUILD.is_dir(), reason="docs/_build/html not built")
@pytest.mark.parametrize(
    "name", ["WeakToStrongRegressor", "WeakToStrongRegressorCV",
             "WeakToStrongClassifier"],
)
def test_built_html_meta_estimator_pages_link_scikit_learn(name):
    # intersphinx (local inventories, docs/_intersphinx/) turns references to
    # scikit-learn into links to its published API pages.
    text = (BUILD / "generated" / f"skw2s.{name}.html").read_text()
    for target in ["sklearn.model_selection.GridSearchCV", "sklearn.pipeline.Pipeline"]:
        href = f'href="{SKLEARN_SITE}modules/generated/{target}.html#{target}"'
        assert href in text, f"skw2s.{name}.html does not link {target}"


@pytest.mark.skipif(not BUILD.is_dir(), reason="docs/_build/html not built")
def test_built_html_glossary_terms_link_scikit_learn():
    text = (BUILD / "generated" / "skw2s.WeakToStrongRegressor.html").read_text()
    for term in ["random_state", "n_jobs", "cv"]:
        assert f'href="{SKLEARN_SITE}glossary.html#term-{term}"' in text, term


@pytest.mark.skipif(not BUILD.is_dir(), reason="docs/_build/html not built")
def test_built_html_gallery_pages_show_no_timings():
    # A run time measured during a (loaded) build is no property of an
    # example: no "Total running time" footer, no "x.xx s" in printed output.
    pages = sorted((BUILD / "auto_examples").rglob("plot_*.html"))
    assert pages
    timing = re.compile(r"\b\d+(?:\.\d+)?\s?(?:s|sec|seconds|ms)(?![.\w])")
    for page in pages:
        text = page.read_text()
        assert "sphx-glr-timing" not in text, page.name
        outputs = re.findall(
            r'<div class="sphx-glr-script-out[^>]*>(.*?)</div>', text, re.S)
        for out in outputs:
            assert not timing.search(re.sub(r"<[^>]+>", "", out)), (page.name, out)


# The gallery's convention for printed scores: a weak-to-strong score is
# printed with the label "W2S student" (or a report column ``w2s_<metric>``),
# the supervised student's with "supervised student" (``supervised_<metric>``).
_W2S_LABEL = re.compile(r"\bW2S student\b|\bw2s_(?:mse|accuracy|r2)\b", re.I)
_SUPERVISED_LABEL = re.compile(
    r"\bsupervised student\b|\bsupervised_(?:mse|accuracy|r2)\b", re.I
)


def _printed_blocks(page):
    """The printed output blocks of a gallery page, as plain text."""
    import html

    blocks = re.findall(r'<div class="sphx-glr-script-out[^>]*>(.*?)</div>',
                        page.read_text(), re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", b)) for b in blocks]


def _prints_score(blocks, label):
    return any(label.search(b) and re.search(r"\d", b) for b in blocks)


@pytest.mark.skipif(not BUILD.is_dir(), reason="docs/_build/html not built")
def test_built_html_gallery_pages_print_a_supervised_score_beside_w2s():
    # Every example that prints a weak-to-strong score also prints the score of
    # the supervised student (the student on the teacher's true labels), the
    # baseline a W2S result must be read against.
    pages = sorted((BUILD / "auto_examples").rglob("plot_*.html"))
    assert pages
    printing, missing = [], []
    for page in pages:
        blocks = _printed_blocks(page)
        if _prints_score(blocks, _W2S_LABEL):
            printing.append(page.name)
            if not _prints_score(blocks, _SUPERVISED_LABEL):
                missing.append(page.name)
    assert not missing, f"W2S scores without a supervised score: {missing}"
    # the labels are the gallery's convention: most pages must follow it
    assert len(printing) >= len(pages) // 2, (printing, [p.name for p in pages])


@pytest.mark.skipif(not BUILD.is_dir(), reason="docs/_build/html not built")
def test_built_html_every_api_page_shows_an_example():
    # api.rst promises an example for every public object: each object page
    # has a mini-gallery (sphinx-gallery's backreferences) with at least one.
    pages = sorted((BUILD / "generated").glob("skw2s.*.html"))
    assert len(pages) >= len(_public_names())
    without = [p.name for p in pages
               if "sphx-glr-thumbcontainer" not in p.read_text()]
    assert not without, f"API pages without an example: {without}"


@pytest.mark.skipif(not BUILD.is_dir(), reason="docs/_build/html not built")
def test_built_html_class_pages_carry_no_scikit_learn_version_notes():
    # Inherited methods keep scikit-learn's docstrings; their "Added in
    # version 1.3" would read as a version of skw2s (conf.py drops them).
    pages = sorted((BUILD / "generated").glob("*.html"))
    assert pages
    noted = [p.name for p in pages if "Added in version" in p.read_text()]
    assert not noted, noted

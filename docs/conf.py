"""Sphinx configuration for the skw2s documentation.

Build (from the ``docs/`` directory, after ``pip install -e ".[docs]"``)::

    python -m sphinx -W --keep-going -b html . _build/html

The entry page is then ``_build/html/index.html``.

Intersphinx links to scikit-learn, NumPy, SciPy, Python and Matplotlib are OFF
by default, because fetching their inventories needs the network and a failed
fetch is a warning (an error under ``-W``). Set ``SKW2S_DOCS_INTERSPHINX=1`` in
the environment to turn them on when the network is available.
"""

import os
import re
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

# Import skw2s from this checkout even when it is not installed.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import skw2s

# -- Project -------------------------------------------------------------------

project = "skw2s"
author = "The skw2s developers"
copyright = "2025, The skw2s developers"
release = skw2s.__version__
version = ".".join(release.split(".")[:2])

# -- General -------------------------------------------------------------------

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.doctest",
    "sphinx.ext.intersphinx",
    "sphinx.ext.mathjax",
    # Ships MathJax (scripts and fonts) inside the build, so formulas render
    # without a network; it sets ``mathjax_path`` to the local copy.
    "sphinx-mathjax-offline",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
]

templates_path = ["_templates"]
exclude_patterns = [
    "_build",
    "Thumbs.db",
    ".DS_Store",
    "auto_examples/*.ipynb",
    "auto_examples/*.py",
    "auto_examples/*.zip",
    "auto_examples/*.md5",
    "auto_examples/*.codeobj.json",
    "sg_execution_times.rst",
]
root_doc = "index"
default_role = "literal"
nitpicky = False

# MathJax from the local copy that sphinx-mathjax-offline copies into
# ``_static/mathjax`` (set here too, so the choice is visible in this file).
mathjax_path = "mathjax/tex-chtml.js"

# -- autodoc / autosummary / numpydoc -----------------------------------------

autosummary_generate = True
autodoc_default_options = {"members": True, "inherited-members": True}
autodoc_typehints = "none"
# "On this page" of a class lists ``fit()``, not ``WeakToStrongRegressor.fit()``,
# so that the entries fit in the right-hand column.
toc_object_entries_show_parents = "hide"

numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
# Let numpydoc turn "array-like", "int", ... in parameter types into links only
# when the intersphinx targets are available.
numpydoc_xref_param_type = False

# -- intersphinx (off unless SKW2S_DOCS_INTERSPHINX=1) -------------------------

_INTERSPHINX_TARGETS = {
    "python": ("https://docs.python.org/3", None),
    "numpy": ("https://numpy.org/doc/stable", None),
    "scipy": ("https://docs.scipy.org/doc/scipy", None),
    "sklearn": ("https://scikit-learn.org/stable", None),
    "matplotlib": ("https://matplotlib.org/stable", None),
}
if os.environ.get("SKW2S_DOCS_INTERSPHINX", "0") == "1":
    intersphinx_mapping = _INTERSPHINX_TARGETS
else:
    intersphinx_mapping = {}

# -- sphinx-gallery ------------------------------------------------------------

sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": "/plot_",
    "backreferences_dir": "gen_modules/backreferences",
    "doc_module": ("skw2s",),
    # Only our own objects get links from example code; external names stay
    # plain text because intersphinx is off by default (no network).
    "reference_url": {"skw2s": None},
    "image_scrapers": ("matplotlib",),
    "matplotlib_animations": False,
    "remove_config_comments": True,
    "within_subsection_order": "FileNameSortKey",
    "show_memory": False,
    "plot_gallery": "True",
    # Every figure also at twice the resolution (sharp on high-DPI screens and
    # when zoomed), and larger thumbnails of one readable figure per example.
    "image_srcset": ["2x"],
    "thumbnail_size": (640, 448),
    # The execution-times page loads jQuery and DataTables from a CDN; the
    # site must not load anything from another host.
    "write_computation_times": False,
}

# -- HTML ----------------------------------------------------------------------

html_theme = "pydata_sphinx_theme"
# Where .readthedocs.yaml publishes the site (the canonical URL of every page).
# The "?" links of the estimators' HTML repr (``_doc_link_template``) point to
# ``generated/<module>.<name>.html`` under this URL; tests/test_docs.py checks
# that they name pages this build makes.
html_baseurl = "https://skw2s.readthedocs.io/en/latest/"
html_title = f"skw2s {release}"
html_static_path = ["_static"]
html_css_files = ["custom.css"]
html_theme_options = {
    "navbar_start": ["navbar-logo"],
    "navbar_center": ["navbar-nav"],
    "navbar_end": ["theme-switcher", "navbar-icon-links"],
    "header_links_before_dropdown": 6,
    "show_toc_level": 2,
    "navigation_with_keys": False,
    "secondary_sidebar_items": ["page-toc", "sourcelink"],
}
html_sidebars = {
    "index": [],
    "install": [],
    "changelog": [],
}
html_show_sourcelink = True

# -- Inherited scikit-learn docstrings -----------------------------------------
#
# Methods inherited from scikit-learn (``score``, ``get_params``,
# ``set_fit_request``, ...) keep their scikit-learn docstrings, which refer to
# labels and glossary terms of scikit-learn's own documentation
# (``:ref:`metadata_routing```, ``:term:`meta-estimator```). Without the
# scikit-learn inventory (intersphinx off, the default) these references cannot
# resolve; render them as plain text instead of emitting a warning.

_XREF = re.compile(r":(?:ref|term):`(?P<text>[^`<]*?)\s*(?:<(?P<target>[^`>]*)>)?`")


def _plain_sklearn_xrefs(app, what, name, obj, options, lines):
    if app.config.intersphinx_mapping:
        return
    module = getattr(obj, "__module__", None) or ""
    if not module.startswith("sklearn"):
        return

    def plain(match):
        return f"*{match.group('text').strip() or match.group('target')}*"

    lines[:] = [_XREF.sub(plain, line) for line in lines]


# Inherited methods (``set_output``, ``set_fit_request``, ...) also carry
# scikit-learn's ``.. versionadded:: 1.3`` notes, which on our pages would read
# as versions of skw2s. Drop those directives (with their indented bodies) from
# docstrings of objects defined in scikit-learn.

_VERSION_NOTE = re.compile(r"^(\s*)\.\. (versionadded|versionchanged|deprecated)::")


def _drop_sklearn_version_notes(app, what, name, obj, options, lines):
    module = getattr(obj, "__module__", None) or ""
    if not module.startswith("sklearn"):
        return
    kept, skip_indent = [], None
    for line in lines:
        if skip_indent is not None:
            indent = len(line) - len(line.lstrip())
            if not line.strip() or indent > skip_indent:
                continue
            skip_indent = None
        match = _VERSION_NOTE.match(line)
        if match:
            skip_indent = len(match.group(1))
            continue
        kept.append(line)
    lines[:] = kept


# -- The benchmark suite's page -------------------------------------------------
#
# user_guide/where_w2s_helps.rst includes tables, sentences and a figure that
# benchmarks/w2s_report.py computes from the committed results of the suite
# (benchmarks/results/w2s_suite.csv and .meta.json, written by
# benchmarks/w2s_suite.py). They are regenerated at every build into
# user_guide/_w2s_suite/ (git-ignored), so no number on that page is typed by hand.

_ROOT = Path(__file__).resolve().parents[1]


def _write_w2s_suite_page(app):
    sys.path.insert(0, str(_ROOT / "benchmarks"))
    import w2s_report

    w2s_report.write_docs(
        _ROOT / "benchmarks" / "results" / "w2s_suite.csv",
        Path(app.srcdir) / "user_guide" / "_w2s_suite",
    )


def setup(app):
    app.connect("builder-inited", _write_w2s_suite_page)
    app.connect("autodoc-process-docstring", _plain_sklearn_xrefs)
    app.connect("autodoc-process-docstring", _drop_sklearn_version_notes)

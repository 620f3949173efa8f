"""Sphinx configuration for the skw2s documentation.

Build (from the ``docs/`` directory, after ``pip install -e ".[docs]"``)::

    python -m sphinx -W --keep-going -b html . _build/html

The entry page is then ``_build/html/index.html``.

Links into the documentation of scikit-learn, NumPy, SciPy, pandas, Matplotlib
and Python (intersphinx) need no network: each project's inventory is a file in
``_intersphinx/`` (how each was obtained and how to refresh it:
``_intersphinx/README.md``), and the links point at the project's published
site. Every cross-reference must resolve (``nitpicky``), so a misspelled or
unknown name fails the build under ``-W``.
"""

import re
import sys
from pathlib import Path

import matplotlib
from threadpoolctl import threadpool_limits

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
    # Only to include CONTRIBUTING.md in the developer guide (developers.rst);
    # every page of the site is reStructuredText.
    "myst_parser",
]
source_suffix = {".rst": "restructuredtext"}
# developers.rst includes CONTRIBUTING.md without its "# Contributing" title
# (the page has its own), so the Markdown's sections start at "##".
suppress_warnings = ["myst.header"]

templates_path = ["_templates"]
exclude_patterns = [
    "_build",
    "_intersphinx",
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

# Every cross-reference must resolve; the few that cannot are listed, each with
# its reason.
nitpicky = True
nitpick_ignore = [
    # joblib and Dask are not among the projects whose inventories the docs ship
    # (_intersphinx/README.md); these names render as code, without a link.
    ("py:class", "joblib.Parallel"),
    ("py:obj", "joblib.parallel_backend"),
    ("py:class", "distributed.LocalCluster"),
    # Inherited from scikit-learn's set_output docstring: a user-guide label
    # newer than the last real scikit-learn inventory available offline, on a
    # page we could not place; it renders as text.
    ("std:ref", "df_output_transform"),
]

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

# -- intersphinx: local inventories, links to the published sites -------------
#
# (published site, inventory file in _intersphinx/). The file, not the site, is
# read at build time, so the build works offline; the keys are the top-level
# module names, which sphinx-gallery also uses to link names in example code.

_INVENTORIES = Path(__file__).resolve().parent / "_intersphinx"
intersphinx_mapping = {
    name: (url, str(_INVENTORIES / f"{name}-objects.inv"))
    for name, url in {
        "python": "https://docs.python.org/3",
        "numpy": "https://numpy.org/doc/stable",
        "scipy": "https://docs.scipy.org/doc/scipy",
        "pandas": "https://pandas.pydata.org/docs",
        "sklearn": "https://scikit-learn.org/stable",
        "matplotlib": "https://matplotlib.org/stable",
    }.items()
}
# A reference to another project must name it explicitly (``:class:`...``` with
# the full dotted path); std labels of other projects are reached only with the
# project prefix (``:ref:`sklearn:glossary```) or as scikit-learn's own
# inherited docstrings write them.
intersphinx_disabled_reftypes = ["std:doc"]

# -- sphinx-gallery ------------------------------------------------------------

sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": "/plot_",
    "backreferences_dir": "gen_modules/backreferences",
    "doc_module": ("skw2s",),
    # Names in example code link to our API pages and, through the intersphinx
    # inventories above, to scikit-learn, NumPy, SciPy, pandas and Matplotlib.
    "reference_url": {"skw2s": None},
    # One gallery section per topic, in this order (each folder has a
    # README.txt with its title).
    "subsection_order": [
        "../examples/getting_started",
        "../examples/mechanisms",
        "../examples/practice",
        "../examples/scaling",
    ],
    "image_scrapers": ("matplotlib",),
    "matplotlib_animations": False,
    "remove_config_comments": True,
    "within_subsection_order": "FileNameSortKey",
    "show_memory": False,
    # No run time on the example pages: a time measured while the docs build
    # (on a shared, loaded machine) says nothing about the example. Speed is
    # measured by benchmarks/, as ratios against a baseline in the same run.
    "min_reported_time": float("inf"),
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
    # The source repository (a placeholder URL until the project's home is
    # confirmed; also in pyproject.toml's [project.urls] and CITATION.cff).
    "icon_links": [
        {
            "name": "Source code on GitHub",
            "url": "https://github.com/skw2s/skw2s",
            "icon": "fa-brands fa-github",
            "type": "fontawesome",
        },
    ],
    "header_links_before_dropdown": 6,
    "show_toc_level": 2,
    "navigation_with_keys": False,
    "secondary_sidebar_items": ["page-toc", "sourcelink"],
}
html_sidebars = {
    "index": [],
    "install": [],
    "changelog": [],
    "faq": [],
    "citing": [],
    "release_highlights": [],
    "developers": [],
}
html_show_sourcelink = True

# -- Inherited scikit-learn docstrings -----------------------------------------
#
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
    # The gallery examples run inside this process. Their linear algebra is
    # small, and on a loaded 2-core machine BLAS/OpenMP threads spend their
    # time waiting for each other: plot_classification.py took 4.9 s of CPU
    # with one thread and 129 s with two (load average ~9, the machine this was
    # written on). One thread per pool for the build (here, so that reading this
    # file elsewhere, e.g. in the tests, changes nothing); the examples compute
    # the same numbers.
    threadpool_limits(limits=1)
    app.connect("builder-inited", _write_w2s_suite_page)
    app.connect("autodoc-process-docstring", _drop_sklearn_version_notes)

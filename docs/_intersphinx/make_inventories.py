"""Make the intersphinx inventories that ``docs/conf.py`` reads offline.

The documentation build has no network, so ``intersphinx_mapping`` in
``docs/conf.py`` reads each project's inventory from a file in this folder
and links to the project's published site. How each file was obtained is
written in ``README.md`` beside this script; this script re-makes the two
*generated* ones (scikit-learn and Matplotlib) from the installed packages and
checks them against a real inventory of an older release::

    python docs/_intersphinx/make_inventories.py \\
        --sklearn-reference /path/to/scikit-learn-1.2/objects.inv \\
        --matplotlib-reference /path/to/matplotlib/objects.inv

Without the reference files it only generates (and cannot copy scikit-learn's
glossary terms and user-guide labels, see README.md).
"""

import argparse
import importlib
import inspect
import pkgutil
import re
import sys
import warnings
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent


# -- reading and writing the Sphinx inventory format (version 2) --------------


def read_inventory(path):
    """(project, version, entries); an entry is (name, role, prio, uri, disp)."""
    raw = Path(path).read_bytes()
    lines = raw.split(b"\n", 4)
    if not lines[0].startswith(b"# Sphinx inventory version 2"):
        raise ValueError(f"{path}: not a version-2 Sphinx inventory")
    project = lines[1].decode()[len("# Project: "):]
    version = lines[2].decode()[len("# Version: "):]
    entries = []
    pattern = re.compile(r"(.+?)\s+(\S+:\S+)\s+(-?\d+)\s+(\S*)\s+(.*)")
    for line in zlib.decompress(lines[4]).decode().splitlines():
        match = pattern.fullmatch(line.rstrip())
        if match:
            name, role, prio, uri, disp = match.groups()
            if uri.endswith("$"):
                uri = uri[:-1] + name
            entries.append((name, role, int(prio), uri, disp))
    return project, version, entries


def write_inventory(path, project, version, entries):
    seen, body = set(), []
    for name, role, prio, uri, disp in sorted(set(entries)):
        if (name, role) in seen:
            continue
        seen.add((name, role))
        if uri.endswith("#" + name):
            uri = uri[: -len(name)] + "$"
        if disp == name:
            disp = "-"
        body.append(f"{name} {role} {prio} {uri} {disp}\n")
    header = (
        "# Sphinx inventory version 2\n"
        f"# Project: {project}\n"
        f"# Version: {version}\n"
        "# The remainder of this file is compressed using zlib.\n"
    ).encode()
    Path(path).write_bytes(header + zlib.compress("".join(body).encode(), 9))
    return len(body)


# -- walking an installed package's public API -------------------------------


def _public_modules(package, skip):
    yield package.__name__
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + ".",
                                      onerror=lambda name: None):
        parts = info.name.split(".")[1:]
        if any(p.startswith("_") or p in skip for p in parts):
            continue
        yield info.name


def _module_objects(module):
    """Public classes and functions that ``module`` documents."""
    names = getattr(module, "__all__", None)
    for name in names if names is not None else dir(module):
        if name.startswith("_"):
            continue
        try:
            obj = getattr(module, name, None)
        except ImportError:  # e.g. an experimental estimator not enabled
            continue
        if not (inspect.isclass(obj) or callable(obj)):
            continue
        home = getattr(obj, "__module__", None) or ""
        private_home = any(part.startswith("_") for part in home.split("."))
        if names is None and home != module.__name__ and not private_home:
            continue  # imported from another public module, documented there
        yield name, obj


def _members(cls):
    for name in dir(cls):
        if name.startswith("_"):
            continue
        try:
            attr = inspect.getattr_static(cls, name)
        except AttributeError:
            continue
        if isinstance(attr, property):
            yield name, "py:property"
        elif isinstance(attr, (staticmethod, classmethod)) or inspect.isfunction(attr):
            yield name, "py:method"


# -- scikit-learn -----------------------------------------------------------
# Site layout (scikit-learn >= 1.5; doc/api/module.rst.template and
# doc/api_reference.py of its sources): one page per module,
# api/<module>.html with the anchor module-<module>; one page per class or
# function, modules/generated/<module>.<name>.html with the anchor
# <module>.<name>; methods and properties on their class's page.

_SKLEARN_SKIP = {"tests", "externals", "experimental", "fixes", "optimize",
                 "data", "descr", "images"}
# Narrative pages of scikit-learn 1.2 that later releases removed or moved.
_SKLEARN_REMOVED_PAGES = re.compile(
    r"^(modules/classes|modules/generated/|auto_examples/|whats_new/)"
)
# User-guide pages added after 1.2 that skw2s's pages (and the scikit-learn
# docstrings they inherit) refer to: (label, uri, title).
_SKLEARN_NEW_LABELS = [
    ("metadata_routing", "metadata_routing.html#metadata-routing",
     "Metadata Routing"),
    ("sphx_glr_auto_examples_miscellaneous_plot_set_output.py",
     "auto_examples/miscellaneous/plot_set_output.html"
     "#sphx-glr-auto-examples-miscellaneous-plot-set-output-py",
     "Introducing the set_output API"),
]


def sklearn_entries():
    import sklearn
    from sklearn.experimental import (  # noqa: F401  (documented estimators)
        enable_halving_search_cv,
        enable_iterative_imputer,
    )

    entries = []
    for modname in _public_modules(sklearn, _SKLEARN_SKIP):
        try:
            module = importlib.import_module(modname)
        except Exception:  # an optional dependency is missing
            continue
        entries.append((modname, "py:module", 0, f"api/{modname}.html#module-{modname}",
                        "-"))
        objects = list(_module_objects(module))
        classes = {n.lower() for n, o in objects if inspect.isclass(o)}
        for name, obj in objects:
            full = f"{modname}.{name}"
            page = f"modules/generated/{full}.html"
            if not inspect.isclass(obj) and name.lower() in classes:
                # dbscan next to DBSCAN: pages that differ only in case get
                # "<name>-function.html" (case-insensitive file systems)
                page = f"modules/generated/{name}-function.html"
            role = "py:class" if inspect.isclass(obj) else "py:function"
            entries.append((full, role, 1, f"{page}#{full}", "-"))
            if inspect.isclass(obj):
                for member, mrole in _members(obj):
                    entries.append((f"{full}.{member}", mrole, 1,
                                    f"{page}#{full}.{member}", "-"))
    # sklearn's API reference page for the top-level package is api/sklearn.html
    return entries


def sklearn_std_entries(reference):
    """Glossary terms and user-guide labels of a real scikit-learn inventory."""
    _, version, entries = read_inventory(reference)
    kept = [e for e in entries if e[1] in ("std:term", "std:label", "std:doc")
            and not _SKLEARN_REMOVED_PAGES.match(e[3])]
    kept += [(label, "std:label", -1, uri, title)
             for label, uri, title in _SKLEARN_NEW_LABELS]
    return version, kept


# -- Matplotlib -------------------------------------------------------------
# Site layout: pyplot functions and Axes methods on one page each,
# api/_as_gen/<name>.html; Figure and Axes on their own pages,
# api/_as_gen/<class>.html; every other class and function on its module's
# page api/<module>_api.html. With a real (older) inventory as reference, an
# object that it lists keeps the reference's address and the other objects of
# a module follow the layout of that module in the reference (see README.md).

_MPL_OWN_PAGE = {"matplotlib.axes.Axes", "matplotlib.figure.Figure"}


def _matplotlib_layout(entries, reference):
    """Re-address generated entries after a real inventory."""
    _, _, ref = read_inventory(reference)
    ref_uri = {(n, r): u for n, r, _, u, _ in ref if r.startswith("py:")}
    own_page_modules = {n.rsplit(".", 1)[0] for n, r, _, u, _ in ref
                        if r == "py:class" and u.startswith(f"api/_as_gen/{n}.html")}
    module_page = {}
    for n, r, _, u, _ in ref:
        if r == "py:module":
            module_page[n] = u.split("#")[0]
    out = []
    for name, role, prio, uri, disp in entries:
        if (name, role) in ref_uri:
            out.append((name, role, prio, ref_uri[name, role], disp))
            continue
        module = name if role == "py:module" else None
        parts = name.split(".")
        for k in range(len(parts) - 1, 0, -1):
            prefix = ".".join(parts[:k])
            if prefix in module_page or prefix in own_page_modules:
                module = prefix
                break
        if module and role == "py:class" and module in own_page_modules:
            uri = f"api/_as_gen/{name}.html#{name}"
        elif (module and role in ("py:method", "py:property")
              and module in own_page_modules and not uri.startswith("api/_as_gen/")):
            cls = name.rsplit(".", 1)[0]
            uri = f"api/_as_gen/{cls}.html#{name}"
        elif module in module_page and not uri.startswith("api/_as_gen/"):
            uri = f"{module_page[module]}#{name}"
        out.append((name, role, prio, uri, disp))
    return out


def matplotlib_entries():
    import matplotlib
    import matplotlib.pyplot  # noqa: F401  (the pyplot module is not imported by default)

    skip = {"tests", "testing", "backends", "sphinxext", "mpl-data", "pylab",
            "cbook", "projections", "tri", "style"}
    entries = []
    for modname in _public_modules(matplotlib, skip):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                module = importlib.import_module(modname)
        except Exception:
            continue
        short = modname.split(".", 1)[1] if "." in modname else "matplotlib"
        page = ("api/pyplot_summary.html" if modname == "matplotlib.pyplot"
                else f"api/{short.replace('.', '_')}_api.html")
        if modname == "matplotlib":
            page = "api/matplotlib_configuration_api.html"
        entries.append((modname, "py:module", 0, f"{page}#module-{modname}", "-"))
        for name, obj in _module_objects(module):
            full = f"{modname}.{name}"
            if modname == "matplotlib.pyplot":
                if inspect.isclass(obj):
                    continue
                entries.append((full, "py:function", 1,
                                f"api/_as_gen/{full}.html#{full}", "-"))
                continue
            role = "py:class" if inspect.isclass(obj) else "py:function"
            cls_page = f"api/_as_gen/{full}.html" if full in _MPL_OWN_PAGE else page
            entries.append((full, role, 1, f"{cls_page}#{full}", "-"))
            if full == "matplotlib.axes.Axes":
                for member, mrole in _members(obj):
                    entries.append((f"{full}.{member}", mrole, 1,
                                    f"api/_as_gen/{full}.{member}.html#{full}.{member}",
                                    "-"))
            elif inspect.isclass(obj):
                for member, mrole in _members(obj):
                    entries.append((f"{full}.{member}", mrole, 1,
                                    f"{cls_page}#{full}.{member}", "-"))
    return entries


# -- checking a generated inventory against a real one ------------------------


def compare(generated, reference_path, roles=("py:class", "py:function", "py:method",
                                               "py:module", "py:property")):
    """Share of the reference's objects, also generated, that get its URI."""
    _, version, reference = read_inventory(reference_path)
    ref = {(n, r): u for n, r, _, u, _ in reference if r in roles}
    gen = {(n, r): u for n, r, _, u, _ in generated if r in roles}
    common = ref.keys() & gen.keys()
    same = sum(ref[k].split("#")[0] == gen[k].split("#")[0] and
               ref[k].split("#")[-1] == gen[k].split("#")[-1] for k in common)
    return version, len(ref), len(common), same


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sklearn-reference", type=Path)
    parser.add_argument("--matplotlib-reference", type=Path)
    parser.add_argument("--out", type=Path, default=HERE)
    args = parser.parse_args(argv)

    import matplotlib
    import sklearn

    entries = sklearn_entries()
    if args.sklearn_reference:
        ref_version, std = sklearn_std_entries(args.sklearn_reference)
        version, n_ref, n_common, n_same = compare(entries, args.sklearn_reference)
        print(f"scikit-learn: of {n_ref} objects of the real {version} inventory, "
              f"{n_common} exist in {sklearn.__version__}; {n_same} of those get the "
              "same page and anchor")
        entries += std
    n = write_inventory(args.out / "sklearn-objects.inv", "scikit-learn",
                        sklearn.__version__, entries)
    print(f"sklearn-objects.inv: {n} entries (scikit-learn {sklearn.__version__})")

    entries = matplotlib_entries()
    if args.matplotlib_reference:
        version, n_ref, n_common, n_same = compare(entries, args.matplotlib_reference)
        print(f"Matplotlib: of {n_ref} objects of the real {version} inventory, "
              f"{n_common} exist in {matplotlib.__version__}; {n_same} of those get "
              "the same page and anchor by the layout rule alone; all of them "
              "keep the reference's address")
        entries = _matplotlib_layout(entries, args.matplotlib_reference)
    n = write_inventory(args.out / "matplotlib-objects.inv", "Matplotlib",
                        matplotlib.__version__, entries)
    print(f"matplotlib-objects.inv: {n} entries (Matplotlib {matplotlib.__version__})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

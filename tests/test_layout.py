"""The package's layering: math never imports estimators; no import cycles.

Layers, lowest first (a module imports only from its own layer or below):

0. ``skw2s._validation`` (shared checks), ``skw2s._compat`` (what differs
   between the supported scikit-learn/SciPy versions);
1. math and data: ``skw2s._ridge_solvers``, ``skw2s._sufficient_stats``,
   ``skw2s._nn_math``, ``skw2s._committee_math``,
   ``skw2s._split``, ``skw2s.theory``, ``skw2s.datasets``, ``skw2s.metrics``;
2. estimators: ``skw2s._weighted_ridge``, ``skw2s._multi_index_net``,
   ``skw2s._base`` and the meta-estimators built on it;
3. workflows: ``skw2s.model_selection``, ``skw2s._demo``.

See ``CONTRIBUTING.md`` (section "Where things go").
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "skw2s"


def _module_name(path):
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _imports(path):
    """skw2s modules imported anywhere in ``path`` (function-local ones too)."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.startswith("skw2s"):
                out.add(target)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.startswith("skw2s"))
    out.discard(name)
    return out


MODULES = {_module_name(p): _imports(p) for p in ROOT.rglob("*.py")}


def _layer(module):
    if module in ("skw2s", "skw2s.__main__"):
        return None  # the package's re-exports and entry point
    if module in ("skw2s._validation", "skw2s._compat"):
        return 0
    math = ("skw2s._ridge_solvers", "skw2s._sufficient_stats", "skw2s._nn_math",
            "skw2s._split", "skw2s._committee_math",
            "skw2s.theory", "skw2s.datasets", "skw2s.metrics")
    if module.startswith(math):
        return 1
    if module.startswith(("skw2s.model_selection", "skw2s._demo")):
        return 3
    return 2


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_upward_imports(module):
    own = _layer(module)
    if own is None:
        return
    for target in MODULES[module]:
        assert target != "skw2s", f"{module} imports the package root"
        layer = _layer(target)
        assert layer is not None and layer <= own, (
            f"{module} (layer {own}) imports {target} (layer {layer})"
        )


def test_every_module_has_a_layer():
    assert "skw2s._validation" in MODULES and "skw2s._base" in MODULES
    assert all(_layer(m) in (0, 1, 2, 3) for m in MODULES if m.count(".") >= 1
               and m != "skw2s.__main__")


def test_no_import_cycles():
    graph = {m: {t for t in deps if t in MODULES} for m, deps in MODULES.items()}
    state = {}

    def visit(node, stack):
        state[node] = "open"
        for nxt in graph[node]:
            if state.get(nxt) == "open":
                cycle = stack[stack.index(nxt):] + [nxt]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if nxt not in state:
                visit(nxt, stack + [nxt])
        state[node] = "done"

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])

"""scikit-learn-style parameter validation of every public function.

Every public function (the names in ``__all__`` of ``skw2s`` and its
subpackages that are functions) is decorated with ``validate_params``; this
checks, as ``sklearn/tests/test_public_functions.py`` does, that each parameter
has a constraint and that a value of a wrong type (and, where one can be
generated, a wrong value of the right type) raises an
``InvalidParameterError`` naming the parameter.
"""

import inspect
from importlib import import_module

import pytest
from sklearn.utils._param_validation import (
    InvalidParameterError,
    generate_invalid_param_val,
    generate_valid_param,
    make_constraint,
)

MODULES = ["skw2s", "skw2s.datasets", "skw2s.metrics", "skw2s.model_selection",
           "skw2s.theory"]


def _public_functions():
    out = []
    for name in MODULES:
        module = import_module(name)
        for attr in module.__all__:
            obj = getattr(module, attr)
            if inspect.isfunction(obj):
                out.append(pytest.param(obj, id=f"{name}.{attr}"))
    return out


PUBLIC_FUNCTIONS = _public_functions()


def test_there_are_public_functions():
    assert len(PUBLIC_FUNCTIONS) >= 15


@pytest.mark.parametrize("func", PUBLIC_FUNCTIONS)
def test_function_param_validation(func):
    constraints = getattr(func, "_skl_parameter_constraints", None)
    assert constraints is not None, (
        f"{func.__name__} is public but not decorated with validate_params"
    )
    sig = inspect.signature(func)
    params = [
        p for p in sig.parameters.values()
        if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    ]
    names = {p.name for p in params}
    assert set(constraints) == names, (
        f"constraints of {func.__name__} do not match its parameters: "
        f"missing {names - set(constraints)}, unexpected {set(constraints) - names}"
    )
    required = {
        p.name: generate_valid_param(make_constraint(constraints[p.name][0]))
        for p in params
        if p.default is p.empty and constraints[p.name] != "no_validation"
    }
    bad_type = type("BadType", (), {})()
    for p in params:
        if constraints[p.name] == "no_validation":
            continue
        match = rf"The '{p.name}' parameter of {func.__name__} must be .* Got .*"
        with pytest.raises(InvalidParameterError, match=match):
            func(**{**required, p.name: bad_type})
        for constraint in map(make_constraint, constraints[p.name]):
            try:
                bad_value = generate_invalid_param_val(constraint)
            except NotImplementedError:
                continue
            with pytest.raises(InvalidParameterError, match=match):
                func(**{**required, p.name: bad_value})

"""The HTML representation of the meta-estimators (notebooks, the docs).

Every child box carries a label with its role ("teacher", "student", or a
chain's stage name) above its own box, as scikit-learn labels the parts of a
``ColumnTransformer``; the "?" link opens the API page of the installed
version.
"""

import re

import numpy as np
import pytest
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.neighbors import KNeighborsRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils import estimator_html_repr

import skw2s
from skw2s import (
    WeakToStrongChain,
    WeakToStrongClassifier,
    WeakToStrongRegressor,
    WeakToStrongRegressorCV,
    WeightedRidge,
)
from skw2s._validation import doc_link_template

_LABEL = re.compile(r'sk-toggleable__label[^"]*"><div><div>(.*?)</div>')
_PREFIX = re.compile(r'data-param-prefix="([^"]*)"')


def _labels(estimator):
    return _LABEL.findall(estimator_html_repr(estimator))


CASES = [
    (WeakToStrongRegressor(Ridge(alpha=1e-3), WeightedRidge()),
     ["WeakToStrongRegressor", "teacher", "Ridge", "student", "WeightedRidge"]),
    (WeakToStrongRegressorCV(Ridge(), WeightedRidge(), alphas=[1.0, 10.0]),
     ["WeakToStrongRegressorCV", "teacher", "Ridge", "student", "WeightedRidge"]),
    (WeakToStrongClassifier(DecisionTreeClassifier(), LogisticRegression()),
     ["WeakToStrongClassifier", "teacher", "DecisionTreeClassifier", "student",
      "LogisticRegression"]),
    (WeakToStrongChain([("weak", Ridge(alpha=1e-3)),
                        ("mid", KNeighborsRegressor()),
                        ("strong", WeightedRidge())]),
     ["WeakToStrongChain", "weak", "Ridge", "mid", "KNeighborsRegressor", "strong",
      "WeightedRidge"]),
]


@pytest.mark.parametrize("estimator, labels", CASES, ids=lambda c: getattr(
    c, "__class__", type(c)).__name__)
def test_every_child_box_is_labeled_with_its_role(estimator, labels):
    assert _labels(estimator) == labels


def test_labels_do_not_change_the_copied_parameter_names():
    # A parameter copied from the repr is the name set_params takes.
    w2s = WeakToStrongRegressor(Ridge(), make_pipeline(StandardScaler(), Ridge()))
    html = estimator_html_repr(w2s)
    assert _LABEL.findall(html) == ["WeakToStrongRegressor", "teacher", "Ridge",
                                    "student: Pipeline", "StandardScaler", "Ridge"]
    if "data-param-prefix" not in html:
        pytest.skip("this scikit-learn's HTML repr copies no parameter names")
    prefixes = set(_PREFIX.findall(html)) - {""}
    assert prefixes == {"teacher__", "student__", "student__standardscaler__",
                        "student__ridge__"}
    params = w2s.get_params(deep=True)
    for prefix in prefixes:
        assert any(key.startswith(prefix) for key in params), prefix


def test_labels_for_a_frozen_teacher_and_a_fitted_estimator():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 3))
    y = X @ np.array([1.0, -1.0, 0.5]) + rng.normal(size=60)
    teacher = FrozenEstimator(Ridge().fit(X[:20], y[:20]))
    w2s = WeakToStrongRegressor(teacher, WeightedRidge()).fit(X[20:], y[20:])
    labels = _labels(w2s)
    assert labels[:4] == ["WeakToStrongRegressor", "teacher: FrozenEstimator",
                          "estimator: Ridge", "Ridge"]
    assert labels[-2:] == ["student", "WeightedRidge"]


@pytest.mark.parametrize(
    "version, site",
    [("0.2.0", "stable"), ("1.10.3", "stable"), ("0.2.0.dev0", "latest"),
     ("0.2.0rc1.dev3", "latest"), ("0.2.0+g1234abc", "latest")],
)
def test_doc_link_version(version, site):
    template = doc_link_template(version)
    assert template.startswith(f"https://skw2s.readthedocs.io/en/{site}/generated/")
    assert template.format(estimator_module="skw2s", estimator_name="X").endswith(
        "/generated/skw2s.X.html")


@pytest.mark.parametrize("estimator", [c[0] for c in CASES],
                         ids=lambda e: type(e).__name__)
def test_doc_link_points_at_the_installed_version(estimator):
    name = type(estimator).__name__
    expected = doc_link_template(skw2s.__version__).format(
        estimator_module="skw2s", estimator_name=name)
    assert estimator._get_doc_link() == expected
    assert f'href="{expected}"' in estimator_html_repr(estimator)

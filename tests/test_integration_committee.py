"""A teacher committee on real data (scikit-learn's diabetes, development pool).

The light version of ``benchmarks/committee_real_data.py``: three weak
sources (10 nearest neighbours on bmi and blood pressure, a rule on the s5
serum measurement calibrated on the labeled rows, and gradient-boosted trees
trained on patients of the other sex, frozen), 100 labeled rows, 10 draws.
The claim tested is the one the user guide makes: the committee's test MSE is
below that of the best single source of each draw (chosen in hindsight), by
more than two standard errors of the paired difference over the draws.
"""

import numpy as np
import pytest
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.compose import ColumnTransformer
from sklearn.datasets import load_diabetes
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import KFold
from sklearn.neighbors import KNeighborsRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skw2s import TeacherCommittee

pd = pytest.importorskip("pandas")


class _S5Rule(RegressorMixin, BaseEstimator):
    """A one-feature rule: the target is a line in the s5 serum measurement."""

    def fit(self, X, y):
        self.line_ = LinearRegression().fit(X[["s5"]], y)
        return self

    def predict(self, X):
        return self.line_.predict(X[["s5"]])


def test_committee_beats_its_best_teacher_on_diabetes():
    X, y = load_diabetes(return_X_y=True, as_frame=True)
    y = y.to_numpy()
    elsewhere = (X["sex"] > 0).to_numpy()
    frozen = HistGradientBoostingRegressor(max_iter=100, random_state=0).fit(
        X[elsewhere], y[elsewhere]
    )
    X, y = X[~elsewhere].reset_index(drop=True), y[~elsewhere]
    teachers = [
        ("knn", make_pipeline(ColumnTransformer([("k", "passthrough", ["bmi", "bp"])]),
                              StandardScaler(), KNeighborsRegressor(10))),
        ("rule", _S5Rule()),
        ("frozen", FrozenEstimator(frozen)),
    ]
    diffs = []
    for draw in range(10):
        rng = np.random.default_rng(draw)
        y_train = np.full(len(y), np.nan)
        labeled = rng.choice(len(y), 100, replace=False)
        y_train[labeled] = y[labeled]
        test = np.isnan(y_train)
        c = TeacherCommittee(
            teachers, cv=KFold(5, shuffle=True, random_state=draw)
        ).fit(X, y_train)
        assert c.method_ == "inverse_variance"
        mse = np.mean((c.predict(X[test]) - y[test]) ** 2)
        best = min(np.mean((t.predict(X[test]) - y[test]) ** 2)
                   for t in c.teachers_)
        diffs.append(mse - best)
    diffs = np.asarray(diffs)
    se = diffs.std(ddof=1) / np.sqrt(diffs.size)
    assert diffs.mean() + 2 * se < 0, (diffs.mean(), se)

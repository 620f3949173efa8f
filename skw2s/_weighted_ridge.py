"""Ridge regression with a structured penalty ``alpha * b' Gamma b``.

Placeholder: the full estimator (solvers, validation, path) lands with issue 2.
"""

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.utils.validation import check_is_fitted, validate_data


class WeightedRidge(RegressorMixin, BaseEstimator):
    """Ridge regression with penalty ``alpha * b' Gamma b`` (placeholder)."""

    def __init__(self, alpha=1.0, *, penalty_weights=None, fit_intercept=True,
                 solver="auto"):
        self.alpha = alpha
        self.penalty_weights = penalty_weights
        self.fit_intercept = fit_intercept
        self.solver = solver

    def fit(self, X, y, sample_weight=None):
        X, y = validate_data(self, X, y, multi_output=True, y_numeric=True)
        d = X.shape[1]
        G = np.eye(d) if self.penalty_weights is None else np.asarray(
            self.penalty_weights, dtype=float)
        if G.ndim == 1:
            G = np.diag(G)
        w = np.ones(len(X)) if sample_weight is None else np.asarray(sample_weight)
        xm = np.average(X, axis=0, weights=w) if self.fit_intercept else 0.0
        ym = np.average(y, axis=0, weights=w) if self.fit_intercept else 0.0
        Xc, yc = X - xm, y - ym
        A = Xc.T @ (w[:, None] * Xc) + self.alpha * G
        self.coef_ = np.linalg.lstsq(A, Xc.T @ (w[:, None] * yc.reshape(len(X), -1)),
                                     rcond=None)[0].T
        if y.ndim == 1:
            self.coef_ = self.coef_.ravel()
        self.intercept_ = ym - xm @ self.coef_.T if self.fit_intercept else 0.0
        self.solver_ = "lstsq"
        return self

    def predict(self, X):
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        return X @ self.coef_.T + self.intercept_

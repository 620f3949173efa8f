"""Helpers shared by the theory test files (tests/test_theory_*.py)."""

import numpy as np
import pytest
from threadpoolctl import threadpool_limits


@pytest.fixture
def single_thread_blas():
    # The matrices of the theory tests are small; BLAS threads only add
    # contention on the shared 2-core machine.
    with threadpool_limits(1):
        yield


def _unit(d, seed=0):
    v = np.random.default_rng(seed).standard_normal(d)
    return v / np.linalg.norm(v)


def _orthogonal(d, seed=1):
    q, r = np.linalg.qr(np.random.default_rng(seed).standard_normal((d, d)))
    return q * np.sign(np.diag(r))

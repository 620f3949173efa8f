import numpy as np
import pytest


@pytest.fixture
def rng():
    """A seeded generator: every test that draws data starts from the same state."""
    return np.random.default_rng(0)

"""The code of the "Scaling out" user-guide page runs as written."""

import doctest
from pathlib import Path

PAGE = Path(__file__).resolve().parents[1] / "docs" / "user_guide" / "scaling_out.rst"


def test_scaling_out_page_examples_run():
    result = doctest.testfile(
        str(PAGE),
        module_relative=False,
        optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS,
        verbose=False,
    )
    assert result.attempted > 10
    assert result.failed == 0

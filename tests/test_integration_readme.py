"""The README's quickstart runs and prints what the README says it prints."""

import contextlib
import io
import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_quickstart_output_matches():
    if not README.exists():  # e.g. an installed package tested out of tree
        pytest.skip("README.md is not next to the tests")
    text = README.read_text()
    quickstart = text[text.index("## Quickstart"):]
    code = re.search(r"```python\n(.*?)```", quickstart, re.S).group(1)
    expected = re.search(r"prints\n\n```text\n(.*?)```", quickstart, re.S).group(1)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "README.md", "exec"), {})
    assert out.getvalue() == expected

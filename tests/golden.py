"""The one way tests compare an output with a golden file that was looked at and committed:
`JOURNEY_ACCEPT_GOLDEN=1 python -m pytest` rewrites the golden files instead (look at the new
files and the diff before committing)."""

from __future__ import annotations

import os
from pathlib import Path

from conftest import ROOT

TESTDATA = ROOT / "tests" / "testdata"


def accepting() -> bool:
    return os.environ.get("JOURNEY_ACCEPT_GOLDEN") == "1"


def assert_golden(actual: str | bytes, golden: Path) -> None:
    """`actual` equals the golden file (bytes compared as bytes, text as UTF-8 text)."""
    if accepting():
        golden.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(actual, bytes):
            golden.write_bytes(actual)
        else:
            golden.write_text(actual, encoding="utf-8")
    expected = golden.read_bytes() if isinstance(actual, bytes) else golden.read_text(encoding="utf-8")
    assert actual == expected, f"{golden.relative_to(ROOT)} differs (JOURNEY_ACCEPT_GOLDEN=1 rewrites it)"

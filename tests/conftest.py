"""Shared test helpers: compiling snippets, and tools that skip when missing (but fail
when JOURNEY_REQUIRE_ALL=1, as in CI, so CI really exercises them)."""

from __future__ import annotations

import os
import shutil
import textwrap
from pathlib import Path

import pytest

import journeymap

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.journey"))
ECOMMERCE = ROOT / "examples" / "ecommerce-first-order.journey"  # the map most tests and docs pages use


def require_tool(available: bool, what: str) -> None:
    """Skip the test when `what` is missing; under JOURNEY_REQUIRE_ALL=1 fail instead."""
    if available:
        return
    if os.environ.get("JOURNEY_REQUIRE_ALL") == "1":
        pytest.fail(f"{what} is required here (JOURNEY_REQUIRE_ALL=1) but is not installed")
    pytest.skip(f"{what} is not installed")


def require_executable(name: str) -> str:
    path = shutil.which(name)
    require_tool(path is not None, f"the `{name}` command")
    return path  # type: ignore[return-value]


def compile_snippet(text: str, path: str = "map.journey", **kwargs):
    """Compile dedented source text; returns the Compilation."""
    return journeymap.compile_text(textwrap.dedent(text), path, base_dir=kwargs.pop("base_dir", ROOT), **kwargs)


def codes(compilation) -> list[str]:
    return [d.code for d in compilation.diagnostics]


@pytest.fixture
def example_paths() -> list[Path]:
    return EXAMPLES

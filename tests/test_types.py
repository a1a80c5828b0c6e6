"""The type check (issue 14): mypy, as pyproject.toml's [tool.mypy] configures it, finds no
error in the package, and it reads every module of it (a narrowed `files` would pass on less)."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
import tomllib

from conftest import ROOT, require_tool

PACKAGE = ROOT / "src" / "journeymap"


def test_mypy_finds_no_error_in_any_module():
    require_tool(importlib.util.find_spec("mypy") is not None, "mypy (pip install -e '.[test]')")
    # As a developer runs it: `python -m mypy` in the checkout, everything else from pyproject.
    result = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True,
                            timeout=600, env={**os.environ, "MYPY_FORCE_COLOR": "0"})
    shown = result.stdout + result.stderr
    assert result.returncode == 0, shown
    checked = re.search(r"^Success: no issues found in (\d+) source files$", result.stdout, re.M)
    assert checked is not None, shown
    assert int(checked.group(1)) == len(list(PACKAGE.rglob("*.py"))), shown


def test_the_configuration_ignores_no_errors_wholesale():
    """Third-party packages without types are read as Any by name; no module of ours is let off."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
    assert config["files"] == ["src/journeymap"]
    assert "ignore_missing_imports" not in config and "ignore_errors" not in config
    for override in config.get("overrides", []):
        assert "ignore_errors" not in override, override
        modules = override["module"] if isinstance(override["module"], list) else [override["module"]]
        assert not [m for m in modules if m.startswith("journeymap")], override

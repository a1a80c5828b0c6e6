"""The editor tools the tests drive: Node 22 and a node_modules folder holding
vscode-tmgrammar-test and @vscode/vsce (`.ci/run` installs them and names them in
JOURNEY_NODE and JOURNEY_EDITOR_TOOLS)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, require_tool

EXTENSION = ROOT / "editors" / "vscode"


@pytest.fixture(scope="session")
def node() -> str:
    node = os.environ.get("JOURNEY_NODE") or shutil.which("node")
    require_tool(bool(node) and Path(node).exists(), "Node.js 22 (JOURNEY_NODE)")
    return node


@pytest.fixture(scope="session")
def editor_tools() -> Path:
    folder = Path(os.environ.get("JOURNEY_EDITOR_TOOLS", "/nonexistent"))
    present = (folder / "vscode-tmgrammar-test").is_dir() and (folder / "@vscode" / "vsce").is_dir()
    require_tool(present, "vscode-tmgrammar-test and @vscode/vsce from npm (JOURNEY_EDITOR_TOOLS)")
    return folder

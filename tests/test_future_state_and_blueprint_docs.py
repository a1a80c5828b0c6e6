"""docs/future-state.md and docs/blueprint.md as written: every command runs (in a copy of the
examples), every map snippet compiles, and the `journey gap` output shown is what it prints."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import journeymap
from conftest import ROOT

DOCS = [ROOT / "docs" / "future-state.md", ROOT / "docs" / "blueprint.md"]


def blocks(path: Path, language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```$", path.read_text(encoding="utf-8"), re.M | re.S)


def commands() -> list[tuple[str, str]]:
    found = []
    for path in DOCS:
        for block in blocks(path, "sh"):
            for line in block.splitlines():
                line = line.split("  #")[0].strip()
                if line:
                    found.append((path.name, line))
    return found


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("docs")
    shutil.copytree(ROOT / "examples", folder / "examples")
    return folder


@pytest.mark.parametrize("page, command", commands(), ids=[c for _, c in commands()])
def test_every_command_runs_as_written(workspace, page, command):
    words = shlex.split(command)
    assert words[0] == "journey"
    # As a user's shell runs it, with the journey command of this Python's environment.
    env = dict(os.environ, PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""))
    done = subprocess.run(["bash", "-e", "-c", command], cwd=workspace, capture_output=True, env=env)
    assert done.returncode == 0, done.stderr.decode()
    for word in words:
        if word.endswith((".svg", ".png", ".pdf", ".html")) and not word.startswith("examples/"):
            assert (workspace / word).stat().st_size > 0


@pytest.mark.parametrize("path", DOCS, ids=[p.name for p in DOCS])
def test_every_map_snippet_compiles(path):
    for snippet in blocks(path, "journey"):
        compilation = journeymap.compile_text(snippet, "snippet.journey", base_dir=ROOT / "examples")
        assert [d.headline() for d in compilation.diagnostics if d.is_error] == []


def test_the_gap_output_shown_is_what_journey_gap_prints():
    text = (ROOT / "docs" / "future-state.md").read_text(encoding="utf-8")
    shown = re.search(r"<!-- gap-example -->\n```text\n(.*?)^```$", text, re.M | re.S).group(1)
    done = subprocess.run([sys.executable, "-m", "journeymap.cli", "gap", "examples/ecommerce-first-order-to-be.journey"],
                          cwd=ROOT, capture_output=True)
    assert done.returncode == 0 and done.stdout.decode() == shown

"""Every output format gives the same bytes for the same input, so rendered maps can be
committed and reviewed in pull requests."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time

import pytest

from conftest import EXAMPLES, require_tool

FORMATS = ["svg", "png", "pdf", "dot", "mermaid", "mermaid-journey", "json", "html"]
NEEDS_DOT = {"png", "pdf"}


@pytest.mark.parametrize("fmt", FORMATS)
def test_two_runs_give_the_same_bytes(fmt, tmp_path):
    if fmt in NEEDS_DOT:
        require_tool(shutil.which("dot") is not None, "Graphviz `dot`")
    outputs = []
    for run in range(2):
        folder = tmp_path / str(run)
        folder.mkdir()
        # separate processes, and a different hash seed each time, as two CI runs would have
        env = {"PYTHONHASHSEED": str(run + 1), "PATH": __import__("os").environ["PATH"]}
        done = subprocess.run([sys.executable, "-m", "journeymap.cli", "render", *map(str, EXAMPLES), "-f", fmt,
                               "-o", str(folder)], capture_output=True, env=env)
        assert done.returncode == 0, done.stderr.decode()[-2000:]
        outputs.append({p.name: p.read_bytes() for p in sorted(folder.iterdir())})
        if fmt in NEEDS_DOT and run == 0:
            time.sleep(1.1)  # a timestamp in the file would now differ
    assert len(outputs[0]) == len(EXAMPLES)
    assert outputs[0] == outputs[1]


def test_lanes_view_is_deterministic(tmp_path):
    first = subprocess.run([sys.executable, "-m", "journeymap.cli", "render", str(EXAMPLES[0]), "--view", "lanes",
                            "-o", str(tmp_path / "a.svg")], capture_output=True)
    second = subprocess.run([sys.executable, "-m", "journeymap.cli", "render", str(EXAMPLES[0]), "--view", "lanes",
                             "-o", str(tmp_path / "b.svg")], capture_output=True)
    assert first.returncode == second.returncode == 0
    assert (tmp_path / "a.svg").read_bytes() == (tmp_path / "b.svg").read_bytes()

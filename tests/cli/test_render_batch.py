"""`journey render -j N`: many maps in parallel; one broken map does not stop the others."""

from __future__ import annotations

import subprocess
import sys

from conftest import EXAMPLES


def test_parallel_batch_renders_the_rest_and_names_the_failure(tmp_path):
    broken = tmp_path / "broken.journey"
    broken.write_text("stage s {\n  touchpoint a { emotion 9 }\n}\n")
    inputs = [str(p) for p in EXAMPLES if "two-personas" not in p.name] + [str(broken)]
    outputs = {}
    for jobs in ("1", "2"):
        folder = tmp_path / f"out{jobs}"
        folder.mkdir()
        done = subprocess.run([sys.executable, "-m", "journeymap.cli", "render", *inputs, "-f", "dot", "-o", str(folder),
                               "-j", jobs], capture_output=True, text=True)
        assert done.returncode == 1
        assert "broken.journey:2:26: error[E020]" in done.stderr
        assert f"1 of {len(inputs)} maps failed: {broken}" in done.stderr
        outputs[jobs] = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert len(outputs["2"]) == len(inputs) - 1
    assert outputs["1"] == outputs["2"]

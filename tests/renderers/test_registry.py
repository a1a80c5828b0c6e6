"""The registry of outputs: every format × view the command line offers comes from it, and a
package of someone else's adds one through the `journeymap.outputs` entry point."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

import journeymap
from journeymap.renderers.registry import builtin_outputs, find

PLUGIN = '''
"""A plugin's output: the map's touchpoint labels, shouted."""
from journeymap import Output


def render(journey, options):
    return ("\\n".join(tp.label.upper() for tp in journey.touchpoints) + "\\n").encode()


OUTPUTS = [Output("shout", "flow", "journeymap_shout:render", "txt", "touchpoint labels, upper case",
                  to_terminal=True)]
'''


@pytest.fixture
def plugin_path(tmp_path):
    """A folder holding an installed-looking distribution that declares a journeymap output."""
    (tmp_path / "journeymap_shout.py").write_text(PLUGIN)
    info = tmp_path / "journeymap_shout-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: journeymap-shout\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[journeymap.outputs]\nshout = journeymap_shout:OUTPUTS\n")
    return tmp_path


def journey(*args, cwd, extra_path):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(extra_path), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run([sys.executable, "-m", "journeymap.cli", *args], cwd=cwd, env=env, capture_output=True)


def test_a_plugin_output_renders_and_is_listed(plugin_path, tmp_path):
    (tmp_path / "m.journey").write_text('stage s { touchpoint a "Checkout"; touchpoint b "Pay" }\n')
    done = journey("render", "m.journey", "-f", "shout", cwd=tmp_path, extra_path=plugin_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout == b"CHECKOUT\nPAY\n"
    listed = journey("render", "--list", cwd=tmp_path, extra_path=plugin_path).stdout.decode()
    assert "-f shout --view flow" in listed and "touchpoint labels, upper case" in listed
    helped = journey("render", "--help", cwd=tmp_path, extra_path=plugin_path).stdout.decode()
    assert "shout" in helped
    wrong = journey("render", "m.journey", "-f", "whisper", cwd=tmp_path, extra_path=plugin_path)
    assert wrong.returncode == 2 and b"shout" in wrong.stderr  # the message lists what exists


def test_a_plugin_cannot_replace_a_built_in_output(plugin_path, tmp_path, monkeypatch):
    (plugin_path / "journeymap_shout.py").write_text(PLUGIN.replace('"shout", "flow"', '"svg", "flow"'))
    (tmp_path / "m.journey").write_text('stage s { touchpoint a "Checkout" }\n')
    done = journey("render", "m.journey", "-f", "svg", "--engine", "wasm", "-o", "-", cwd=tmp_path,
                   extra_path=plugin_path)
    assert done.returncode == 0 and done.stdout.lstrip().startswith(b"<?xml")


def test_every_built_in_view_and_format_is_offered_and_renders():
    compiled = journeymap.compile_text('stage s { touchpoint a "A" { emotion 1 } }\n', "m.journey").journey
    for output in builtin_outputs():
        if output.needs == "system graphviz":
            continue  # drawn in tests/renderers/flow with the system engine
        options = journeymap.RenderOptions(view=output.view, engine="wasm")
        assert journeymap.render(compiled, output.format, options), output


def test_the_format_decides_the_view_when_none_is_asked():
    assert find("svg").view == "flow"
    assert find("svg", "lanes").view == "lanes"
    assert find("json", "lanes").view is None  # the same model whatever the view
    with pytest.raises(journeymap.CannotExpress, match="cannot draw the lanes view"):
        find("dot", "lanes")

"""The same map gives byte-identical pictures on any machine, whatever fonts it has installed:
every example in every view, with both engines, rendered under a fontconfig that sees only
DejaVu, one that sees only Liberation, and one that sees no font at all. The system `dot`
reads its fonts through fontconfig (FONTCONFIG_FILE), so if any number in a picture came from
a machine's fonts, these renders would differ."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES, require_tool

FONT_FOLDERS = {
    "dejavu": Path("/usr/share/fonts/truetype/dejavu"),  # Debian's fonts-dejavu-core
    "liberation": Path("/usr/share/fonts/truetype/liberation"),  # Debian's fonts-liberation
}
RENDER_ALL = """
import hashlib, json, sys
import journeymap
from journeymap.renderers import RenderOptions
digests = {}
for path in sys.argv[1:]:
    journey = journeymap.compile_file(path).journey
    for name, format_name, options in (
        ("flow-system", "svg", RenderOptions(engine="system")),
        ("flow-wasm", "svg", RenderOptions(engine="wasm")),
        ("flow-dark", "svg", RenderOptions(engine="system", theme="dark")),
        ("lanes", "svg", RenderOptions(view="lanes")),
        ("html", "html", RenderOptions(engine="system")),
        ("lanes-png", "png", RenderOptions(view="lanes")),
    ):
        data = journeymap.render(journey, format_name, options)
        digests[f"{path}:{name}"] = hashlib.sha256(data).hexdigest()
print(json.dumps(digests))
"""


def fontconfig(folder: Path, fonts: Path | None) -> Path:
    """A fontconfig file that sees only `fonts` (no folder: no font at all), with its own cache."""
    cache = folder / "cache"
    cache.mkdir(parents=True)
    seen = f"<dir>{fonts}</dir>" if fonts is not None else ""
    config = folder / "fonts.conf"
    config.write_text(f'<?xml version="1.0"?>\n<fontconfig>{seen}<cachedir>{cache}</cachedir></fontconfig>\n')
    return config


def render_all(config: Path) -> dict[str, str]:
    env = {**os.environ, "FONTCONFIG_FILE": str(config), "PYTHONHASHSEED": "3"}
    done = subprocess.run([sys.executable, "-c", RENDER_ALL, *map(str, EXAMPLES)], capture_output=True, env=env,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def test_pictures_do_not_depend_on_the_fonts_a_machine_has(tmp_path):
    require_tool(shutil.which("dot") is not None, "Graphviz `dot`")
    for name, folder in FONT_FOLDERS.items():
        require_tool(folder.is_dir(), f"the {name} fonts ({folder})")
    renders = {name: render_all(fontconfig(tmp_path / name, folder)) for name, folder in FONT_FOLDERS.items()}
    renders["no fonts"] = render_all(fontconfig(tmp_path / "none", None))
    first = renders["dejavu"]
    assert len(first) == 6 * len(EXAMPLES)
    for name, digests in renders.items():
        differing = sorted(key for key in first if digests[key] != first[key])
        assert differing == [], f"with {name} fonts these differ: {differing}"


def test_the_check_can_fail(tmp_path):
    """The system `dot` does depend on the fonts for a picture it measures itself (`-f dot`,
    drawn by Graphviz): what the test above compares would show the difference."""
    require_tool(shutil.which("dot") is not None, "Graphviz `dot`")
    import journeymap

    dot = journeymap.render(journeymap.compile_file(EXAMPLES[0]).journey, "dot")
    drawn = {}
    for name, folder in FONT_FOLDERS.items():
        require_tool(folder.is_dir(), f"the {name} fonts ({folder})")
        env = {**os.environ, "FONTCONFIG_FILE": str(fontconfig(tmp_path / name, folder))}
        done = subprocess.run(["dot", "-Tjson0"], input=dot, capture_output=True, env=env, timeout=120)
        assert done.returncode == 0
        drawn[name] = done.stdout
    assert drawn["dejavu"] != drawn["liberation"]

"""The MkDocs plugin, in real builds of a tiny mkdocs-material site."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES, require_tool
from journeymap.buildcache import read_cache_file, write_cache_file

try:
    import material  # noqa: F401
    import mkdocs  # noqa: F401
except ImportError:
    mkdocs = None

ECOMMERCE = next(path for path in EXAMPLES if path.stem == "ecommerce-first-order")

PAGE = """# Maps

![The first-order journey](maps/first.journey)

```journey
stage s "Inline stage" {
  touchpoint a "Inline card" { emotion 1 }
}
```
"""


@pytest.fixture
def site(tmp_path: Path) -> Path:
    require_tool(mkdocs is not None, "MkDocs with mkdocs-material")
    (tmp_path / "docs" / "maps").mkdir(parents=True)
    (tmp_path / "docs" / "maps" / "first.journey").write_text(ECOMMERCE.read_text())
    (tmp_path / "docs" / "index.md").write_text(PAGE)
    (tmp_path / "mkdocs.yml").write_text("site_name: Maps\ntheme:\n  name: material\nplugins:\n  - journeymap\n")
    return tmp_path


def build(site: Path, *extra: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", *extra], cwd=site, capture_output=True,
                          text=True, env=env)


def test_fences_and_image_references_become_inline_svg(site):
    done = build(site, "--strict")
    assert done.returncode == 0, done.stderr
    page = (site / "site" / "index.html").read_text()
    assert page.count('<div class="journeymap" role="img"') == 2
    assert 'aria-label="The first-order journey"' in page
    assert "Checkout" in page and "Inline card" in page


def test_a_broken_map_warns_and_fails_strict_builds(site):
    (site / "docs" / "maps" / "broken.journey").write_text("stage s {\n  touchpoint a { emotion 9 }\n}\n")
    (site / "docs" / "index.md").write_text(PAGE + "\n![broken](maps/broken.journey)\n")
    relaxed = build(site)
    assert relaxed.returncode == 0
    assert "docs/maps/broken.journey:2:26: error[E020]" in relaxed.stderr
    assert "journeymap-error" in (site / "site" / "index.html").read_text()
    assert build(site, "--strict").returncode != 0


# What a pull request could commit into the cache folder: a picture that is not the map (it
# passes the SVG check: only the seal tells), and one with a script (the SVG check tells too).
PLANTED = {
    "not sealed": b'<svg xmlns="http://www.w3.org/2000/svg"><text>PLANTED</text></svg>',
    "sealed": b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.domain)</script></svg>',
}


@pytest.mark.parametrize("planted", ["not sealed", "sealed"])
def test_a_planted_render_never_reaches_a_page(site, monkeypatch, planted):
    """.cache/journeymap sits next to mkdocs.yml, where a pull request can commit entries: not
    sealed, they are not read; sealed (a leaked secret), they still fail the SVG check."""
    monkeypatch.setenv("XDG_STATE_HOME", str(site / "state"))
    assert build(site, "--strict").returncode == 0
    entries = [p for p in (site / ".cache" / "journeymap").rglob("*") if p.is_file()]
    assert len(entries) == 2
    for entry in entries:
        if planted == "sealed":
            assert write_cache_file(str(entry), PLANTED[planted])
        else:
            entry.write_bytes(PLANTED[planted])
    assert build(site, "--strict").returncode == 0
    page = (site / "site" / "index.html").read_text()
    assert "alert(document.domain)" not in page and "PLANTED" not in page
    assert "Checkout" in page and "Inline card" in page
    assert all(read_cache_file(str(entry)) != PLANTED[planted] for entry in entries)


def test_unchanged_maps_come_from_the_render_cache(site, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(site / "state"))
    assert build(site, "--strict").returncode == 0
    for entry in (p for p in (site / ".cache" / "journeymap").rglob("*") if p.is_file()):
        svg = read_cache_file(str(entry)).decode()
        assert write_cache_file(str(entry), svg.replace("Checkout", "FROM-CACHE").replace("Inline card", "FROM-CACHE").encode())
    assert build(site, "--strict").returncode == 0
    assert "FROM-CACHE" in (site / "site" / "index.html").read_text()


@pytest.mark.parametrize("view, root", [("lanes", 'class="jm-lanes"'), ("blueprint", 'class="jm-blueprint"')])
def test_every_view_of_the_cli_draws_in_a_page(site, view, root):
    (site / "mkdocs.yml").write_text(f"site_name: Maps\ntheme:\n  name: material\nplugins:\n  - journeymap:\n      view: {view}\n")
    done = build(site, "--strict")
    assert done.returncode == 0, done.stderr
    page = (site / "site" / "index.html").read_text()
    assert page.count('<div class="journeymap" role="img"') == 2 and page.count(root) == 2

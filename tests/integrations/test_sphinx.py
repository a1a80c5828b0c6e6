"""The Sphinx extension, in real Sphinx builds of a tiny site."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES, require_tool
from journeymap.buildcache import read_cache_file, write_cache_file

try:
    import sphinx  # noqa: F401
except ImportError:
    sphinx = None

ECOMMERCE = next(path for path in EXAMPLES if path.stem == "ecommerce-first-order")

INDEX = """Maps
====

.. journey:: maps/first.journey
   :caption: First order, current state
   :alt: The first-order journey

.. journey::

   stage s "Inline stage" {
     touchpoint a "Inline card" { emotion 1 }
   }

.. journey:: maps/broken.journey
"""


@pytest.fixture
def site(tmp_path: Path) -> Path:
    require_tool(sphinx is not None, "Sphinx")
    source = tmp_path / "src"
    (source / "maps").mkdir(parents=True)
    (source / "maps" / "first.journey").write_text(ECOMMERCE.read_text())
    (source / "maps" / "broken.journey").write_text("stage s {\n  touchpoint a { emotion 9 }\n}\n")
    (source / "conf.py").write_text('extensions = ["journeymap.sphinx"]\nproject = "maps"\n')
    (source / "index.rst").write_text(INDEX)
    return tmp_path


def build(site: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sphinx", "-q", "-b", "html", *extra, str(site / "src"),
                           str(site / "out")], capture_output=True, text=True)


def test_maps_render_inline_and_broken_maps_warn(site):
    done = build(site)
    assert done.returncode == 0, done.stderr
    page = (site / "out" / "index.html").read_text()
    assert page.count("<svg") == 2
    assert "Checkout" in page and "Inline card" in page
    assert "<figcaption>First order, current state</figcaption>" in page
    assert 'aria-label="The first-order journey"' in page
    assert "broken.journey:2: WARNING: error[E020]" in done.stderr
    figures = [part.split("</figure>")[0] for part in page.split('<figure class="journeymap')[1:]]
    assert len(figures) == 2
    assert all("<script" not in figure and "foreignObject" not in figure for figure in figures)


def test_warnings_fail_the_build_under_w(site):
    assert build(site, "-W").returncode != 0


def test_editing_a_map_rebuilds_the_page(site):
    assert build(site).returncode == 0
    first = site / "src" / "maps" / "first.journey"
    first.write_text(first.read_text().replace('"Checkout"', '"Pay now"'))
    assert build(site).returncode == 0
    page = (site / "out" / "index.html").read_text()
    assert "Pay now" in page


def render_cache_entries(site: Path) -> list[Path]:
    return [p for p in (site / "out" / ".doctrees" / "journeymap-cache").rglob("*") if p.is_file()]


def test_unchanged_maps_come_from_the_render_cache(site, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(site / "state"))  # the build's secret is this test's too
    assert build(site).returncode == 0
    entries = render_cache_entries(site)
    assert len(entries) == 2
    for entry in entries:  # prove the next full rebuild reads the cache instead of rendering
        svg = read_cache_file(str(entry)).decode()
        assert write_cache_file(str(entry), svg.replace("Inline card", "FROM-CACHE").replace("Checkout", "FROM-CACHE").encode())
    assert build(site, "-E").returncode == 0
    assert "FROM-CACHE" in (site / "out" / "index.html").read_text()


# What a pull request could commit into the cache folder: a picture that is not the map (it
# passes the SVG check: only the seal tells), and one with a script (the SVG check tells too).
PLANTED = {
    "not sealed": b'<svg xmlns="http://www.w3.org/2000/svg"><text>PLANTED</text></svg>',
    "sealed": b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.domain)</script></svg>',
}


@pytest.mark.parametrize("planted", ["not sealed", "sealed"])
def test_a_planted_render_never_reaches_a_page(site, monkeypatch, planted):
    """Planted in the doctree folder, as a pull request can commit one: not sealed, it is
    not read; sealed (a leaked secret), a script still fails the SVG check. Rendered anew."""
    monkeypatch.setenv("XDG_STATE_HOME", str(site / "state"))
    assert build(site).returncode == 0
    for entry in render_cache_entries(site):
        if planted == "sealed":
            assert write_cache_file(str(entry), PLANTED[planted])
        else:
            entry.write_bytes(PLANTED[planted])
    assert build(site, "-E").returncode == 0
    page = (site / "out" / "index.html").read_text()
    assert "alert(document.domain)" not in page and "PLANTED" not in page
    assert "Checkout" in page and "Inline card" in page
    assert all(read_cache_file(str(entry)) != PLANTED[planted] for entry in render_cache_entries(site))


def test_mermaid_format_for_sphinxcontrib_mermaid_sites(site):
    (site / "src" / "index.rst").write_text(
        'Maps\n====\n\n.. journey:: maps/first.journey\n   :format: mermaid\n'
    )
    assert build(site).returncode == 0
    page = (site / "out" / "index.html").read_text()
    block = page.split('<pre class="mermaid">', 1)[1].split("</pre>", 1)[0]
    assert block.startswith("flowchart LR")
    assert "<svg" not in page.split("<body", 1)[1]


@pytest.mark.parametrize("view, root", [("lanes", 'class="jm-lanes"'), ("blueprint", 'class="jm-blueprint"')])
def test_every_view_of_the_cli_draws_in_a_page(site, view, root):
    (site / "src" / "index.rst").write_text(f'Maps\n====\n\n.. journey:: maps/first.journey\n   :view: {view}\n')
    done = build(site, "-W")
    assert done.returncode == 0, done.stderr
    page = (site / "out" / "index.html").read_text()
    assert page.count("<svg") == 1 and root in page and "Checkout" in page

"""The Sphinx extension, in real Sphinx builds of a tiny site."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES, require_tool

try:
    import sphinx  # noqa: F401
except ImportError:
    sphinx = None

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
    (source / "maps" / "first.journey").write_text(EXAMPLES[1].read_text())  # the e-commerce example
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


def test_unchanged_maps_come_from_the_render_cache(site):
    assert build(site).returncode == 0
    entries = [p for p in (site / "out" / ".doctrees" / "journeymap-cache").rglob("*") if p.is_file()]
    assert len(entries) == 2
    for entry in entries:  # prove the next full rebuild reads the cache instead of rendering
        entry.write_text(entry.read_text().replace("Inline card", "FROM-CACHE").replace("Checkout", "FROM-CACHE"))
    assert build(site, "-E").returncode == 0
    assert "FROM-CACHE" in (site / "out" / "index.html").read_text()


def test_mermaid_format_for_sphinxcontrib_mermaid_sites(site):
    (site / "src" / "index.rst").write_text(
        'Maps\n====\n\n.. journey:: maps/first.journey\n   :format: mermaid\n'
    )
    assert build(site).returncode == 0
    page = (site / "out" / "index.html").read_text()
    block = page.split('<pre class="mermaid">', 1)[1].split("</pre>", 1)[0]
    assert block.startswith("flowchart LR")
    assert "<svg" not in page.split("<body", 1)[1]


def test_a_tampered_render_cache_is_checked_before_it_is_inlined(site):
    assert build(site).returncode == 0
    entries = [p for p in (site / "out" / ".doctrees" / "journeymap-cache").rglob("*") if p.is_file()]
    for entry in entries:  # a cache restored from elsewhere is input too
        entry.write_text(entry.read_text().replace("</svg>", '<script>alert("cached")</script></svg>'))
    done = build(site, "-E")
    assert "refusing to write an unsafe SVG: <script> element" in done.stderr
    assert 'alert("cached")' not in (site / "out" / "index.html").read_text()

"""The Sphinx extension, in real Sphinx builds: every form of the directive in each theme we
support under -W, broken maps (a placeholder on the page, each warning once, at its real
line), LaTeX (the map as a PDF image), rebuilds, the render cache and what a pull request
could plant in it."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

import journeymap
from conftest import require_tool
from docs_sites import SPHINX_THEMES, build_sphinx, figures, sphinx_site
from journeymap.buildcache import read_cache_file, write_cache_file

BROKEN = "stage s {\n  touchpoint a { emotion 9 }\n}\n"
INLINE_BROKEN = """\
Broken
======

Some text.

.. journey:: maps/broken.journey

.. journey::

   stage s "Inline" {
     touchpoint a "A" { emotion 7 }
   }
"""


def _installed(theme: str) -> bool:
    return theme == "alabaster" or importlib.util.find_spec(theme) is not None


@pytest.fixture
def site(tmp_path: Path) -> Path:
    require_tool(importlib.util.find_spec("sphinx") is not None, "Sphinx")
    return sphinx_site(tmp_path)


@pytest.mark.parametrize("theme", SPHINX_THEMES)
def test_every_form_builds_clean_under_w_in_each_theme(tmp_path, theme):
    require_tool(importlib.util.find_spec("sphinx") is not None and _installed(theme), f"Sphinx with {theme}")
    site = sphinx_site(tmp_path, theme)
    done = build_sphinx(site, "-W", "--keep-going")
    assert done.returncode == 0, done.stderr
    page = (site / "out" / "index.html").read_text()
    shown = figures(page)
    assert len(shown) == 3
    first, lanes, inline = shown
    assert "<figcaption>First order, current state</figcaption>" in first
    assert 'aria-label="The first-order journey"' in first and first.startswith(' align-center"')
    assert 'class="jm-lanes' in lanes and "Maya" in lanes and "<figcaption>The lanes, for Maya</figcaption>" in lanes
    assert "Inline card" in inline and "<figcaption>An inline map</figcaption>" in inline
    # an inline map states no title and is not titled after the page's file ("index")
    assert "<title>Customer journey: journey map (flow)</title>" in inline and ">index<" not in inline
    assert 'aria-label="Maps"' in inline  # named after the page's heading instead
    assert all("<script" not in figure and "foreignObject" not in figure for figure in shown)
    assert "journeymap.css" in page and (site / "out" / "_static" / "journeymap.css").is_file()
    code = page.split('<div class="highlight"><pre>', 1)[1].split("</pre>", 1)[0]  # the literal block stays code
    assert '<span class="n">journey</span>' in code and "<svg" not in code


def test_a_broken_map_leaves_a_placeholder_and_warns_once_at_its_real_line(site):
    (site / "src" / "maps" / "broken.journey").write_text(BROKEN)
    (site / "src" / "broken.rst").write_text(INLINE_BROKEN)
    (site / "src" / "again.rst").write_text("Again\n=====\n\n.. journey:: maps/broken.journey\n")
    (site / "src" / "index.rst").write_text((site / "src" / "index.rst").read_text()
                                            + "\n.. toctree::\n\n   broken\n   again\n")
    done = build_sphinx(site)
    assert done.returncode == 0, done.stderr
    warnings = [line for line in done.stderr.splitlines() if "WARNING" in line]
    assert len([w for w in warnings if "broken.journey:2: WARNING: error[E020]" in w]) == 1  # two pages, one warning
    # the inline map's mistake at its line in the .rst file: content starts on line 10
    assert any(w.endswith("broken.rst:11: WARNING: error[E020]: emotion must be a whole number from -2 to +2, "
                          "not the number '7' (or one of angry (-2), frustrated (-1), neutral (0), happy (+1), "
                          "delighted (+2)) [journeymap.E020]") for w in warnings), warnings
    assert len(warnings) == 2, warnings
    for name in ("broken", "again"):
        page = (site / "out" / f"{name}.html").read_text()
        assert '<div class="journeymap-error" role="note">' in page
        assert "maps/broken.journey:2:26: error[E020]: emotion must be a whole number" in page
        assert str(site) not in page  # the page names files within the docs, not the build machine's paths
    assert "broken.rst:11:33: error[E020]" in (site / "out" / "broken.html").read_text()
    assert build_sphinx(site, "-W", "-E").returncode != 0


def test_latex_holds_each_map_as_a_pdf_image(site):
    require_tool(__import__("shutil").which("dot") is not None, "Graphviz `dot` (PDF needs the system engine)")
    (site / "src" / "index.rst").write_text("Maps\n====\n\n.. journey:: maps/first.journey\n   :caption: First & 100%\n\n"
                                            ".. journey::\n\n   stage s \"Inline\" { touchpoint a \"Inline card\" }\n")
    done = build_sphinx(site, "-W", builder="latex", out="latex")
    assert done.returncode == 0, done.stderr
    tex = (site / "latex" / "maps.tex").read_text()
    included = [line for line in tex.splitlines() if line.startswith("\\sphinxincludegraphics{journeymap-")]
    assert len(included) == 2
    for line in included:
        image = site / "latex" / line[len("\\sphinxincludegraphics{"):-1]
        assert image.read_bytes().startswith(b"%PDF")
    assert "\\caption{First \\& 100\\%}" in tex


def test_the_pdf_shows_each_map(site):
    """The LaTeX build made into a PDF by latexmk, as `make` in the build folder does: the map
    is in it (our PDF is one image of the picture, docs/flow-view.md), with its caption."""
    import shutil
    import subprocess

    for tool in ("dot", "latexmk", "pdftotext", "pdfimages"):
        require_tool(shutil.which(tool) is not None, f"`{tool}` (Graphviz, TeX Live's latexmk, poppler-utils)")
    (site / "src" / "index.rst").write_text("Maps\n====\n\n.. journey:: maps/first.journey\n   :caption: First & 100%\n")
    assert build_sphinx(site, "-W", builder="latex", out="latex").returncode == 0
    made = subprocess.run(["make"], cwd=site / "latex", capture_output=True, text=True, timeout=600)
    assert made.returncode == 0, made.stdout[-3000:]
    text = subprocess.run(["pdftotext", str(site / "latex" / "maps.pdf"), "-"], capture_output=True, text=True).stdout
    assert "Fig. 1: First & 100%" in text
    listed = subprocess.run(["pdfimages", "-list", str(site / "latex" / "maps.pdf")], capture_output=True,
                            text=True).stdout.splitlines()[2:]
    images = [(int(row.split()[3]), int(row.split()[4])) for row in listed if row.split()[2] == "image"]
    svg = journeymap.render(journeymap.compile_file(site / "src" / "maps" / "first.journey").journey, "svg").decode()
    width, height = (float(v) for v in re.search(r'<svg [^>]*?width="([\d.]+)" height="([\d.]+)"', svg).groups())
    # the map's own picture, drawn at 288 dpi (three device pixels a CSS pixel)
    assert len(images) == 1 and abs(images[0][0] - width * 3) < 2 and abs(images[0][1] - height * 3) < 2, images


def test_latex_never_drops_a_map_silently(site):
    """A view drawn neither as PDF nor PNG is a warning and a visible note in the document."""
    from journeymap import CannotExpress, find_output

    (site / "src" / "index.rst").write_text("Maps\n====\n\n.. journey:: maps/first.journey\n   :view: lanes\n")
    done = build_sphinx(site, builder="latex", out="latex")
    tex = (site / "latex" / "maps.tex").read_text()
    try:
        find_output("pdf", "lanes")
    except CannotExpress:
        assert "WARNING: journey: the map could not be drawn for LaTeX as PDF or PNG" in done.stderr
        assert "\\begin{sphinxadmonition}{warning}{journey map first.journey was not drawn}" in tex
    else:  # the lanes view has a PDF now: it is there as an image
        assert "\\sphinxincludegraphics{journeymap-" in tex


def test_warnings_fail_the_build_under_w(site):
    (site / "src" / "maps" / "first.journey").write_text(BROKEN)
    assert build_sphinx(site, "-W").returncode != 0


def test_editing_a_map_rebuilds_the_page(site):
    assert build_sphinx(site).returncode == 0
    first = site / "src" / "maps" / "first.journey"
    first.write_text(first.read_text().replace('"Checkout"', '"Pay now"'))
    assert build_sphinx(site).returncode == 0
    page = (site / "out" / "index.html").read_text()
    assert "Pay now" in page


def render_cache_entries(site: Path) -> list[Path]:
    return [p for p in (site / "out" / ".doctrees" / "journeymap-cache").rglob("*") if p.is_file()]


def test_unchanged_maps_come_from_the_render_cache(site, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(site / "state"))  # the build's secret is this test's too
    assert build_sphinx(site).returncode == 0
    entries = render_cache_entries(site)
    assert len(entries) == 3
    for entry in entries:  # prove the next full rebuild reads the cache instead of rendering
        svg = read_cache_file(str(entry)).decode()
        assert write_cache_file(str(entry), svg.replace("Inline card", "FROM-CACHE").replace("Checkout", "FROM-CACHE").encode())
    assert build_sphinx(site, "-E").returncode == 0
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
    assert build_sphinx(site).returncode == 0
    for entry in render_cache_entries(site):
        if planted == "sealed":
            assert write_cache_file(str(entry), PLANTED[planted])
        else:
            entry.write_bytes(PLANTED[planted])
    assert build_sphinx(site, "-E").returncode == 0
    page = (site / "out" / "index.html").read_text()
    assert "alert(document.domain)" not in page and "PLANTED" not in page
    assert "Checkout" in page and "Inline card" in page
    assert all(read_cache_file(str(entry)) != PLANTED[planted] for entry in render_cache_entries(site))


def test_mermaid_format_for_sphinxcontrib_mermaid_sites(site):
    (site / "src" / "index.rst").write_text(
        'Maps\n====\n\n.. journey:: maps/first.journey\n   :format: mermaid\n'
    )
    assert build_sphinx(site).returncode == 0
    page = (site / "out" / "index.html").read_text()
    block = page.split('<pre class="mermaid">', 1)[1].split("</pre>", 1)[0]
    assert block.startswith("flowchart LR")
    assert "<svg" not in page.split("<body", 1)[1]


def test_an_option_the_view_cannot_take_is_a_placeholder(site):
    (site / "src" / "index.rst").write_text("Maps\n====\n\n.. journey:: maps/first.journey\n   :timeout: soon\n")
    done = build_sphinx(site)
    assert "index.rst:4: WARNING: journey: option timeout='soon' needs a number" in done.stderr
    assert "journeymap-error" in (site / "out" / "index.html").read_text()


def test_text_builders_name_each_map_in_a_paragraph_of_its_own(site):
    done = build_sphinx(site, "-W", builder="text", out="text")
    assert done.returncode == 0, done.stderr
    lines = (site / "text" / "index.txt").read_text().splitlines()
    assert "[journey map: The first-order journey]" in lines
    assert "[journey map: The lanes, for Maya]" in lines and "[journey map: An inline map]" in lines


@pytest.mark.parametrize("view, root", [("lanes", 'class="jm-lanes'), ("blueprint", 'class="jm-blueprint')])
def test_every_view_of_the_cli_draws_in_a_page(site, view, root):
    (site / "src" / "index.rst").write_text(f"Maps\n====\n\n.. journey:: maps/first.journey\n   :view: {view}\n")
    done = build_sphinx(site, "-W")
    assert done.returncode == 0, done.stderr
    (shown,) = figures((site / "out" / "index.html").read_text())
    assert root in shown and "Checkout" in shown

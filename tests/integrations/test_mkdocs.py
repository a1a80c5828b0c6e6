"""The MkDocs plugin, in real builds of a mkdocs-material site: every form (image references with
titles and options, fences with options, a map in a list) under --strict; code and inline
code never touched (our own docs/mkdocs.md builds); diagnostics at the page's real line; the
render cache and what a pull request could plant in it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import ROOT, require_tool
from docs_sites import MKDOCS_CONFIG, build_mkdocs, figures, mkdocs_site
from journeymap.buildcache import read_cache_file, write_cache_file

try:
    import material  # noqa: F401
    import mkdocs  # noqa: F401
    import pymdownx  # noqa: F401
except ImportError:
    mkdocs = None

BROKEN = "stage s {\n  touchpoint a { emotion 9 }\n}\n"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    require_tool(mkdocs is not None, "MkDocs with mkdocs-material and pymdown-extensions")
    return mkdocs_site(tmp_path)


def page_of(site: Path, name: str = "index") -> str:
    path = site / "site" / ("index.html" if name == "index" else f"{name}/index.html")
    return path.read_text()


def test_every_form_builds_clean_under_strict(site):
    done = build_mkdocs(site, "--strict")
    assert done.returncode == 0, done.stderr
    page = page_of(site)
    shown = figures(page)
    assert len(shown) == 4
    first, lanes, inline, listed = shown
    assert 'aria-label="The first-order journey"' in first
    assert "<figcaption>First order, current state</figcaption>" in first and "Checkout" in first
    # options in an image's title: view and persona; the rest of the title is the caption
    assert 'class="jm-lanes' in lanes and "<figcaption>The lanes, for Maya</figcaption>" in lanes
    assert "view=lanes" not in lanes
    assert "Inline card" in inline and "<figcaption>An inline map</figcaption>" in inline
    assert 'aria-label="Maps"' in inline and ">index<" not in inline  # untitled, named after the heading
    assert "Listed card" in listed and 'class="jm-lanes' in listed
    # code stays code: inline code, and a fenced example holding both forms
    assert "<code>![map](maps/first.journey)</code>" in page
    assert "Example card" not in "".join(shown) and "Only an example" in page
    assert "assets/journeymap/journeymap.css" in page
    assert (site / "site" / "assets" / "journeymap" / "journeymap.css").is_file()


def test_our_own_docs_page_builds_with_our_own_plugin(site):
    """docs/mkdocs.md shows the syntax inside a fenced example: it must stay an example."""
    shutil.copy(ROOT / "docs" / "mkdocs.md", site / "docs" / "mkdocs.md")
    (site / "docs" / "maps" / "first-order.journey").write_text((site / "docs" / "maps" / "first.journey").read_text())
    (site / "mkdocs.yml").write_text(MKDOCS_CONFIG + "validation:\n  unrecognized_links: info\n  links:\n"
                                     "    not_found: info\n    anchors: info\n")
    done = build_mkdocs(site, "--strict")
    assert done.returncode == 0, done.stderr
    page = page_of(site, "mkdocs")
    assert "journeymap-error" not in page
    for figure in figures(page):
        assert "Example card" not in figure
    code = "".join(part.split("</code>")[0] for part in page.split("<code>")[1:])
    assert "<svg" not in code


def test_a_broken_map_warns_at_its_real_line_and_fails_strict_builds(site):
    (site / "docs" / "maps" / "broken.journey").write_text(BROKEN)
    (site / "docs" / "broken.md").write_text(
        "---\ntitle: Broken\n---\n# Broken\n\n![broken](maps/broken.journey)\n\n"
        "- item\n\n    ```journey\n    stage s {\n      touchpoint a { emotion 7 }\n    }\n    ```\n")
    (site / "docs" / "again.md").write_text("# Again\n\n![broken](maps/broken.journey)\n")
    relaxed = build_mkdocs(site)
    assert relaxed.returncode == 0
    warnings = [line for line in relaxed.stderr.splitlines() if line.startswith("WARNING")]
    assert warnings.count("WARNING -  docs/maps/broken.journey:2:26: error[E020]: emotion must be a whole number "
                          "from -2 to +2, not the number '9' (or one of angry (-2), frustrated (-1), neutral (0), "
                          "happy (+1), delighted (+2))") == 1  # two pages, one warning
    # the fence's map: line 12 of the file (front matter counted), its column in the file
    assert any(w.startswith("WARNING -  docs/broken.md:12:30: error[E020]") for w in warnings), warnings
    for name in ("broken", "again"):
        assert "docs/maps/broken.journey:2:26: error[E020]" in page_of(site, name)
        assert 'class="journeymap-error"' in page_of(site, name)
    assert build_mkdocs(site, "--strict").returncode != 0


def test_unknown_options_and_maps_outside_the_docs_folder_are_warnings(site, tmp_path):
    (tmp_path / "secret.journey").write_text('stage s { touchpoint a "SECRET" }\n')
    (site / "docs" / "index.md").write_text(
        '# Maps\n\n```journey vew="lanes"\nstage s { touchpoint a "A" }\n```\n\n![x](../../secret.journey)\n')
    done = build_mkdocs(site)
    assert "docs/index.md: unknown option 'vew'" in done.stderr
    assert "../../secret.journey is outside the docs folder" in done.stderr
    assert "SECRET" not in page_of(site)


def test_site_wide_options_and_a_map_s_own(site):
    (site / "mkdocs.yml").write_text(MKDOCS_CONFIG.replace("  - journeymap\n", "  - journeymap:\n      view: lanes\n"))
    (site / "docs" / "index.md").write_text("# Maps\n\n![a](maps/first.journey)\n\n![b](maps/first.journey \"view=flow\")\n")
    assert build_mkdocs(site, "--strict").returncode == 0
    first, second = figures(page_of(site))
    assert 'class="jm-lanes' in first and 'class="jm-lanes' not in second and 'class="jm-flow"' in second


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
    assert build_mkdocs(site, "--strict").returncode == 0
    entries = [p for p in (site / ".cache" / "journeymap").rglob("*") if p.is_file()]
    assert len(entries) == 4
    for entry in entries:
        if planted == "sealed":
            assert write_cache_file(str(entry), PLANTED[planted])
        else:
            entry.write_bytes(PLANTED[planted])
    assert build_mkdocs(site, "--strict").returncode == 0
    page = page_of(site)
    assert "alert(document.domain)" not in page and "PLANTED" not in page
    assert "Checkout" in page and "Inline card" in page
    assert all(read_cache_file(str(entry)) != PLANTED[planted] for entry in entries)


def test_unchanged_maps_come_from_the_render_cache(site, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(site / "state"))
    assert build_mkdocs(site, "--strict").returncode == 0
    for entry in (p for p in (site / ".cache" / "journeymap").rglob("*") if p.is_file()):
        svg = read_cache_file(str(entry)).decode()
        assert write_cache_file(str(entry), svg.replace("Checkout", "FROM-CACHE").replace("Inline card", "FROM-CACHE").encode())
    assert build_mkdocs(site, "--strict").returncode == 0
    assert "FROM-CACHE" in page_of(site)


@pytest.mark.parametrize("view, root", [("lanes", 'class="jm-lanes'), ("blueprint", 'class="jm-blueprint')])
def test_every_view_of_the_cli_draws_in_a_page(site, view, root):
    config = (site / "mkdocs.yml").read_text()
    (site / "mkdocs.yml").write_text(config.replace("  - journeymap\n", f"  - journeymap:\n      view: {view}\n"))
    assert f"view: {view}" in (site / "mkdocs.yml").read_text()
    (site / "docs" / "index.md").write_text("# Maps\n\n![The map](maps/first.journey)\n")
    done = build_mkdocs(site, "--strict")
    assert done.returncode == 0, done.stderr
    (shown,) = figures(page_of(site))
    assert root in shown and "Checkout" in shown

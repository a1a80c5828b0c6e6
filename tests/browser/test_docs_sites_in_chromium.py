"""Maps in built docs sites, opened in real headless Chromium: Sphinx in alabaster, furo, the Read
the Docs and the Book themes, MkDocs in Material; each page in light and dark colour schemes, at
desktop and phone width. Every map is visible, never cut off (shrunk to the column or
scrolling inside its own frame, the page never sideways), its links are not underlined or
bordered by the theme, and every text in it is readable against what is behind it.

Screenshots go to a temporary folder (printed with -s), or to $JOURNEY_SCREENSHOTS when set.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

from conftest import require_executable, require_tool
from docs_sites import SPHINX_THEMES, build_mkdocs, build_sphinx, mkdocs_site, sphinx_site

CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]
DESKTOP, PHONE = (1280, 900), (390, 844)
SITES = [*(f"sphinx-{theme}" for theme in SPHINX_THEMES), "mkdocs-material"]
# The least contrast between a map's text and what is behind it (WCAG's ratio for large text
# and graphics): it tells a dark page showing through a map from a designer's grey.
LEAST_CONTRAST = 3.0

MAP_PROBLEMS = """
() => {
  const problems = [];
  const rgb = text => {
    const m = /rgba?\\(([^)]+)\\)/.exec(text || '');
    if (!m) return null;
    const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
  };
  const luminance = c => {
    const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  };
  const contrast = (a, b) => {
    const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  const pageBackground = element => {  // the first opaque background of the element or its ancestors
    for (let e = element; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c && c.a > 0.5) return c;
    }
    return {r: 255, g: 255, b: 255, a: 1};
  };
  const root = document.documentElement;
  if (root.scrollWidth > window.innerWidth + 1) problems.push(['page scrolls sideways', root.scrollWidth, window.innerWidth]);
  const canvases = [...document.querySelectorAll('.journeymap-canvas')];
  if (!canvases.length) problems.push(['no map on the page']);
  for (const canvas of canvases) {
    const svg = canvas.querySelector(':scope > svg');
    const box = svg.getBoundingClientRect(), frame = canvas.getBoundingClientRect();
    const style = getComputedStyle(svg);
    if (box.width < 100 || box.height < 40 || style.visibility !== 'visible' || style.display === 'none')
      problems.push(['map not visible', box.width, box.height]);
    // Never cut off: the picture fits its frame, or the frame scrolls to it.
    const scrolls = ['auto', 'scroll'].includes(getComputedStyle(canvas).overflowX);
    if (box.width > frame.width + 1 && !scrolls) problems.push(['map wider than its frame', box.width, frame.width]);
    if (box.height > frame.height + 1) problems.push(['map taller than its frame', box.height, frame.height]);
    // and no ancestor clips the frame
    for (let e = canvas.parentElement; e && e !== document.body; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.overflowX === 'visible' && s.overflowY === 'visible') continue;
      if (['auto', 'scroll'].includes(s.overflowX)) break;
      const r = e.getBoundingClientRect();
      if (frame.right > r.right + 1 || frame.left < r.left - 1) { problems.push(['frame clipped by', e.tagName, e.className]); break; }
    }
    // Links in the picture keep the picture's look.
    for (const link of svg.querySelectorAll('a')) {
      for (const e of [link, ...link.querySelectorAll('text')]) {
        const s = getComputedStyle(e);
        if (s.textDecorationLine !== 'none') problems.push(['underlined', e.textContent.trim().slice(0, 30), s.textDecorationLine]);
        if (parseFloat(s.borderBottomWidth) > 0 || s.boxShadow !== 'none') problems.push(['link bordered', e.textContent.trim().slice(0, 30)]);
      }
    }
    // Every text readable against the last shape painted under its middle, or the page.
    const shapes = [...svg.querySelectorAll('rect, path, polygon, ellipse, circle')]
      .map(e => ({e, fill: rgb(getComputedStyle(e).fill), r: e.getBoundingClientRect()}))
      .filter(s => s.fill && s.fill.a > 0 && getComputedStyle(s.e).fillOpacity !== '0');
    for (const text of svg.querySelectorAll('text')) {
      if (!text.textContent.trim()) continue;
      const t = text.getBoundingClientRect();
      const x = t.left + t.width / 2, y = t.top + t.height / 2;
      let behind = null;
      for (const s of shapes) {
        if (!(text.compareDocumentPosition(s.e) & Node.DOCUMENT_POSITION_PRECEDING)) continue;
        if (x >= s.r.left && x <= s.r.right && y >= s.r.top && y <= s.r.bottom) behind = s.fill;
      }
      behind = behind || pageBackground(canvas);
      const colour = rgb(getComputedStyle(text).fill);
      if (colour && contrast(colour, behind) < %(least)s)
        problems.push(['hard to read', text.textContent.trim().slice(0, 30), contrast(colour, behind).toFixed(2)]);
    }
  }
  return problems;
}
""" % {"least": LEAST_CONTRAST}

LINKS_IN_MAPS = "() => document.querySelectorAll('.journeymap-canvas svg a').length"
# Whether the page around the maps is dark: the themes that have a dark scheme follow the
# browser's; alabaster and Read the Docs stay light.
DARK_THEMES = {"sphinx-furo", "sphinx-sphinx_book_theme", "mkdocs-material"}
PAGE_IS_DARK = """() => {
  const around = document.querySelector('.journeymap').parentElement;
  for (let e = around; e; e = e.parentElement) {
    const m = /rgba?\\(([^)]+)\\)/.exec(getComputedStyle(e).backgroundColor);
    const p = m ? m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number) : [];
    if (p.length && (p.length < 4 || p[3] > 0.5)) return (p[0] + p[1] + p[2]) / 3 < 100;
  }
  return false;
}"""


@pytest.fixture(scope="module")
def chromium():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    require_tool(sync_playwright is not None, "Playwright's Python package (pip install playwright)")
    executable = require_executable("chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_FLAGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = Path(os.environ["JOURNEY_SCREENSHOTS"]) if os.environ.get("JOURNEY_SCREENSHOTS") else (
        tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"\nscreenshots: {folder}")
    return folder


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    """Each site built once (with -W / --strict): its index page."""
    pages: dict[str, Path] = {}
    for name in SITES:
        folder = tmp_path_factory.mktemp(name)
        if name.startswith("sphinx-"):
            theme = name.removeprefix("sphinx-")
            require_tool(importlib.util.find_spec("sphinx") is not None and (
                theme == "alabaster" or importlib.util.find_spec(theme) is not None), f"Sphinx with {theme}")
            done = build_sphinx(sphinx_site(folder, theme), "-W")
            pages[name] = folder / "out" / "index.html"
        else:
            require_tool(importlib.util.find_spec("material") is not None and importlib.util.find_spec("pymdownx")
                         is not None, "MkDocs with mkdocs-material and pymdown-extensions")
            done = build_mkdocs(mkdocs_site(folder), "--strict")
            pages[name] = folder / "site" / "index.html"
        assert done.returncode == 0, (name, done.stderr)
    return pages


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("site", SITES)
def test_maps_in_docs_pages(chromium, built, shots, site, scheme, size):
    # A context of its own: a theme remembers the last scheme it showed (local storage).
    context = chromium.new_context(viewport={"width": size[0], "height": size[1]}, color_scheme=scheme)
    page = context.new_page()
    errors: list[str] = []
    requests: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("request", lambda request: requests.append(request.url))
    try:
        page.goto(built[site].resolve().as_uri(), wait_until="load")
        page.wait_for_timeout(500)  # themes switch their colour scheme from a script
        assert errors == []
        assert [url for url in requests if not url.startswith(("file:", "data:"))] == []
        assert page.evaluate(PAGE_IS_DARK) == (scheme == "dark" and site in DARK_THEMES), "the scheme under test"
        assert page.evaluate(LINKS_IN_MAPS) > 0  # the case under test: links a theme could underline
        assert page.evaluate(MAP_PROBLEMS) == []
        label = "phone" if size == PHONE else "desktop"
        page.screenshot(path=str(shots / f"{site}-{scheme}-{label}.png"), full_page=True)
    finally:
        context.close()


PLACEHOLDER_PROBLEMS = """
() => {
  const rgb = t => { const p = /rgba?\\(([^)]+)\\)/.exec(t)[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
                     return {r: p[0], g: p[1], b: p[2]}; };
  const lum = c => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
                     return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b); };
  const problems = [];
  const notes = [...document.querySelectorAll('.journeymap-error')];
  if (!notes.length) problems.push(['no placeholder']);
  for (const note of notes) {
    const box = note.getBoundingClientRect();
    if (box.width < 100 || box.height < 20) problems.push(['placeholder not visible', box.width, box.height]);
    if (!note.textContent.includes('error[E020]')) problems.push(['no diagnostic', note.textContent.slice(0, 80)]);
    for (const e of [note, ...note.querySelectorAll('*')]) {
      const s = getComputedStyle(e);
      const [a, b] = [lum(rgb(s.color)), lum(rgb(getComputedStyle(note).backgroundColor))].sort((x, y) => y - x);
      if ((a + 0.05) / (b + 0.05) < 4.5) problems.push(['placeholder hard to read', e.tagName]);
      if (e.scrollWidth > e.clientWidth + 1 && e.clientWidth > 0) problems.push(['placeholder text cut off', e.tagName]);
    }
  }
  return problems;
}
"""
BROKEN_PAGE = {"sphinx": "Broken\n======\n\n.. journey::\n\n   stage s \"A\" {\n     touchpoint a \"A\" { emotion 9 }\n   }\n",
               "mkdocs": "# Broken\n\n```journey\nstage s \"A\" {\n  touchpoint a \"A\" { emotion 9 }\n}\n```\n"}


@pytest.fixture(scope="module")
def broken_pages(tmp_path_factory) -> dict[str, Path]:
    pages = {}
    if importlib.util.find_spec("furo") is not None:
        folder = tmp_path_factory.mktemp("broken-sphinx")
        build_sphinx(sphinx_site(folder, "furo", BROKEN_PAGE["sphinx"]))
        pages["sphinx-furo"] = folder / "out" / "index.html"
    if importlib.util.find_spec("material") is not None:
        folder = tmp_path_factory.mktemp("broken-mkdocs")
        build_mkdocs(mkdocs_site(folder, BROKEN_PAGE["mkdocs"]))
        pages["mkdocs-material"] = folder / "site" / "index.html"
    return pages


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("site", ["sphinx-furo", "mkdocs-material"])
def test_a_broken_map_leaves_a_readable_placeholder(chromium, broken_pages, shots, site, scheme):
    require_tool(site in broken_pages, f"the {site} site")
    context = chromium.new_context(viewport={"width": PHONE[0], "height": PHONE[1]}, color_scheme=scheme)
    page = context.new_page()
    try:
        page.goto(broken_pages[site].resolve().as_uri(), wait_until="load")
        page.wait_for_timeout(500)
        assert page.evaluate(PLACEHOLDER_PROBLEMS) == []
        page.screenshot(path=str(shots / f"broken-{site}-{scheme}.png"), full_page=True)
    finally:
        context.close()

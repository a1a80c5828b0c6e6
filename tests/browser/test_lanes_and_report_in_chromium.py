"""The flow and lanes SVGs and the HTML report opened in real headless Chromium: no console
errors, no network requests, our embedded font loaded, no text outside its box, in light and
dark, at desktop and phone width and in print.

Screenshots go to a temporary folder (printed with -s), or to $JOURNEY_SCREENSHOTS when set.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import journeymap
from conftest import EXAMPLES, ROOT, require_executable, require_tool
from journeymap.renderers import RenderOptions

MAPS = {
    "ecommerce": ROOT / "examples" / "ecommerce-first-order.journey",
    "b2b": ROOT / "examples" / "b2b-saas-buying.journey",
    "hostile": ROOT / "tests" / "testdata" / "lanes" / "hostile.journey",
}
DESKTOP, PHONE, PRINT = (1280, 900), (390, 844), (794, 1123)
# Flags that keep Chromium from reaching the network on its own, so any request we see is the page's.
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]

# For every drawn cell: each line of text inside the cell's box, and no two lines overlapping.
SVG_LAYOUT_PROBLEMS = """
() => {
  const problems = [];
  const slack = 0.5;
  const inside = (a, b) => a.left >= b.left - slack && a.right <= b.right + slack
                        && a.top >= b.top - slack && a.bottom <= b.bottom + slack;
  for (const cell of document.querySelectorAll('g.cell')) {
    const box = cell.querySelector(':scope > rect.box').getBoundingClientRect();
    const lines = [...cell.querySelectorAll('text')];
    const rects = lines.map(t => t.getBoundingClientRect());
    rects.forEach((r, i) => {
      if (!inside(r, box)) problems.push(['outside its cell', lines[i].textContent.slice(0, 60),
                                          Math.round(r.right - box.right), Math.round(r.bottom - box.bottom)]);
    });
    for (let i = 0; i < rects.length; i++) for (let j = i + 1; j < rects.length; j++) {
      const a = rects[i], b = rects[j];
      if (a.left < b.right && b.left < a.right && a.top < b.bottom - 1 && b.top < a.bottom - 1)
        problems.push(['overlaps', lines[i].textContent.slice(0, 40), lines[j].textContent.slice(0, 40)]);
    }
  }
  const emotion = document.querySelector('g.lane-emotion');
  if (emotion) {
    const label = emotion.querySelector('g.label > rect.box').getBoundingClientRect();
    const svg = emotion.ownerSVGElement.getBoundingClientRect();
    for (const t of emotion.querySelectorAll('text.level')) {
      if (!inside(t.getBoundingClientRect(), label)) problems.push(['level outside its label', t.textContent]);
    }
    for (const t of emotion.querySelectorAll('text.tag')) {
      const r = t.getBoundingClientRect();
      if (r.top < label.top - slack || r.bottom > label.bottom + slack || r.right > svg.right)
        problems.push(['moment tag outside the emotion lane', t.textContent]);
    }
  }
  return problems;
}
"""

# Text of the page outside the scrollable figure must stay inside its block, and the page
# itself must never scroll sideways.
HTML_LAYOUT_PROBLEMS = """
() => {
  const problems = [];
  const root = document.documentElement;
  if (root.scrollWidth > window.innerWidth + 1) problems.push(['page scrolls sideways', root.scrollWidth]);
  const main = document.querySelector('main').getBoundingClientRect();
  const blocks = 'td, th, dd, dt, p, h1, h2, h3, h4, li, .v, .quote, .sub, figcaption, table, .card';
  for (const el of document.querySelectorAll(blocks)) {
    if (el.closest('.scroll, svg')) continue;
    const head = el.closest('thead');  // at phone width the headings are kept for screen readers only
    if (head && head.getBoundingClientRect().width <= 1) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0) continue;
    if (r.right > main.right + 1 || r.left < main.left - 1) problems.push(['leaves the page', el.tagName, el.textContent.slice(0, 50)]);
    if (el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0) problems.push(['overflows', el.tagName, el.textContent.slice(0, 50)]);
  }
  for (const bdi of document.querySelectorAll('bdi')) {
    if (bdi.closest('.scroll, svg')) continue;
    const box = bdi.parentElement.closest('td, th, dd, dt, p, h1, h2, h3, h4, li, .v, .quote, a').getBoundingClientRect();
    for (const r of bdi.getClientRects()) {
      if (r.right > box.right + 1 || r.left < box.left - 1) problems.push(['text outside its box', bdi.textContent.slice(0, 50)]);
    }
  }
  return problems;
}
"""


@pytest.fixture(scope="module")
def chromium(tmp_path_factory):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    require_tool(sync_playwright is not None, "Playwright's Python package (pip install playwright)")
    executable = require_executable("chromium")
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=executable, headless=True, args=CHROMIUM_FLAGS,
            viewport={"width": DESKTOP[0], "height": DESKTOP[1]},
        )
        try:
            yield context
        finally:
            context.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = Path(os.environ["JOURNEY_SCREENSHOTS"]) if os.environ.get("JOURNEY_SCREENSHOTS") else (
        tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"\nscreenshots: {folder}")
    return folder


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, dict[str, Path]]:
    folder = tmp_path_factory.mktemp("rendered")
    files: dict[str, dict[str, Path]] = {}
    for name, source in MAPS.items():
        journey_model = journeymap.compile_file(source).journey
        files[name] = {}
        for kind, format_name in (("svg", "svg"), ("html", "html")):
            path = folder / f"{name}.{kind}"
            path.write_bytes(journeymap.render(journey_model, format_name, RenderOptions(view="lanes")))
            files[name][kind] = path
    return files


class Visit:
    """A page opened in the browser, with what it logged and asked for."""

    def __init__(self, context, path: Path, size: tuple[int, int], media: str = "screen",
                 scheme: str = "light") -> None:
        self.page = context.new_page()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda message: self.errors.append(message.text) if message.type == "error" else None)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.set_viewport_size({"width": size[0], "height": size[1]})
        self.page.emulate_media(media=media, color_scheme=scheme)
        self.url = path.resolve().as_uri()
        self.page.goto(self.url, wait_until="load")

    def fonts(self) -> list[str]:
        """The status of each font the page defines, once the fonts it uses have loaded."""
        return self.page.evaluate("async () => { await document.fonts.ready; "
                                  "return [...document.fonts].map(f => f.family + ' ' + f.status); }")

    def outside_requests(self) -> list[str]:
        return [url for url in self.requests if url != self.url]

    def close(self) -> None:
        self.page.close()


def fonts_loaded(visit: Visit) -> None:
    """Every @font-face of ours loaded (a font the sanitizer refused would show as "error"),
    and the text is drawn with it, not with a fallback."""
    statuses = visit.fonts()
    assert statuses and all(status.endswith(" loaded") for status in statuses), statuses
    family = statuses[0].split(" ")[0]
    used = visit.page.evaluate("getComputedStyle(document.querySelector('text')).fontFamily")
    assert used.startswith(family), (used, family)


FLOW_MAPS = {**{path.stem: path for path in EXAMPLES}, "hostile": MAPS["hostile"]}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("view", ["flow", "lanes"])
@pytest.mark.parametrize("name", FLOW_MAPS)
def test_svg_views_in_chromium(chromium, tmp_path, shots, name, view, scheme):
    """Each card's, header's, label's and cell's text stays inside its box, in the reader's
    light and dark mode (the `auto` theme), with our font and no other."""
    journey_model = journeymap.compile_file(FLOW_MAPS[name]).journey
    path = tmp_path / f"{name}-{view}.svg"
    path.write_bytes(journeymap.render(journey_model, "svg", RenderOptions(view=view)))
    width, height = (int(float(v)) + 1 for v in _svg_size(path))
    visit = Visit(chromium, path, (min(width, 6000), min(height, 4000)), scheme=scheme)
    try:
        assert visit.errors == []
        assert visit.outside_requests() == []
        fonts_loaded(visit)
        assert visit.page.evaluate(SVG_LAYOUT_PROBLEMS) == []
        assert visit.page.evaluate("document.querySelectorAll('script').length") == 0
        background = visit.page.evaluate("getComputedStyle(document.querySelector('rect.bg')).fill")
        assert (background == "rgb(255, 255, 255)") == (scheme == "light"), background
        visit.page.screenshot(path=str(shots / f"{view}-{name}-{scheme}.png"))
    finally:
        visit.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("name", MAPS)
def test_html_report_in_chromium(chromium, rendered, shots, name, size, scheme):
    visit = Visit(chromium, rendered[name]["html"], size, scheme=scheme)
    try:
        assert visit.errors == []
        assert visit.outside_requests() == []
        fonts_loaded(visit)
        assert visit.page.evaluate(HTML_LAYOUT_PROBLEMS) == []
        assert visit.page.evaluate(SVG_LAYOUT_PROBLEMS) == []  # the lanes view inside the page
        # Hostile labels stay text: nothing ran, and no element came from a label's markup.
        assert visit.page.evaluate("document.querySelectorAll('script:not([type=\"application/json\"]), img').length") == 0
        label = "phone" if size == PHONE else "desktop"
        visit.page.screenshot(path=str(shots / f"report-{name}-{label}-{scheme}.png"), full_page=name != "hostile")
    finally:
        visit.close()


def test_html_report_prints(chromium, rendered, shots):
    visit = Visit(chromium, rendered["ecommerce"]["html"], PRINT, media="print")
    try:
        assert visit.errors == []
        # In print the lanes view shrinks to the page instead of scrolling.
        fits = visit.page.evaluate("""() => {
          const svg = document.querySelector('svg.jm-lanes').getBoundingClientRect();
          return svg.right <= document.querySelector('main').getBoundingClientRect().right + 1;
        }""")
        assert fits
        assert visit.page.evaluate(HTML_LAYOUT_PROBLEMS) == []
        visit.page.pdf(path=str(shots / "report-ecommerce.pdf"), format="A4")
        assert (shots / "report-ecommerce.pdf").stat().st_size > 1000
    finally:
        visit.close()


def _svg_size(path: Path) -> tuple[str, str]:
    import re

    head = path.read_text(encoding="utf-8")[:1000]
    match = re.search(r'<svg[^>]* width="([\d.]+)" height="([\d.]+)"', head)
    assert match, "the lanes SVG states its size"
    return match.group(1), match.group(2)


@pytest.fixture
def graphviz_flow_view(monkeypatch):
    """A stand-in flow backend that returns real Graphviz SVG, so the page is tested with what
    `dot` produces (prologue, pt sizes, links) whatever state the real flow backend is in."""
    import subprocess
    import sys
    import types

    dot = require_executable("dot")

    def render(journey_model, options):
        lines = ["digraph flow { rankdir=LR; node [shape=box];"]
        for i, tp in enumerate(journey_model.touchpoints):
            lines.append(f'  t{i} [label="Touchpoint {i}" URL="https://example.com/{i}"];')
            if i:
                lines.append(f"  t{i - 1} -> t{i};")
        lines.append("}")
        return subprocess.run([dot, "-Tsvg"], input="\n".join(lines).encode(), capture_output=True, check=True).stdout

    module = types.ModuleType("journeymap.renderers.flow.svg")
    module.EXTENSION, module.BINARY, module.VIEWS, module.render = "svg", False, ("flow",), render
    monkeypatch.setitem(sys.modules, "journeymap.renderers.flow.svg", module)


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_html_report_with_a_graphviz_flow_view(chromium, graphviz_flow_view, shots, tmp_path, size):
    journey_model = journeymap.compile_file(MAPS["ecommerce"]).journey
    path = tmp_path / "with-flow.html"
    path.write_bytes(journeymap.render(journey_model, "html"))
    visit = Visit(chromium, path, size)
    try:
        assert visit.errors == []
        assert visit.outside_requests() == []
        assert visit.page.evaluate(HTML_LAYOUT_PROBLEMS) == []
        # The flow view is scaled to the column down to a readable size, its frame never
        # wider than the page.
        widths = visit.page.evaluate("""() => {
          const svg = document.querySelector('.fit svg').getBoundingClientRect();
          const frame = document.querySelector('.fit').parentElement.getBoundingClientRect();
          return [svg.width, frame.width, document.querySelector('main').getBoundingClientRect().width];
        }""")
        assert 0 < widths[0] and widths[1] <= widths[2]
        label = "phone" if size == PHONE else "desktop"
        visit.page.screenshot(path=str(shots / f"report-with-flow-{label}.png"), full_page=True)
    finally:
        visit.close()

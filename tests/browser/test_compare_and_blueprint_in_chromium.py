"""The lanes view with --compare, the report's "Current vs future" section and the blueprint view
in real headless Chromium, at desktop and phone width, light and dark: no text outside its cell
(or, in the blueprint, outside its note), our font loaded, no console errors or requests.

At phone width a picture is shown as a docs page shows it (the integrations' figure and
stylesheet: shrunk to the column down to a readable size, scrolling below that). Screenshots go to a temporary folder
(printed with -s), or to $JOURNEY_SCREENSHOTS.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import journeymap
from conftest import ROOT
from journeymap.integrations import figure_html, stylesheet_text
from journeymap.renderers import RenderOptions
from test_lanes_and_report_in_chromium import (  # noqa: F401  (fixtures)
    DESKTOP, HTML_LAYOUT_PROBLEMS, PHONE, SVG_LAYOUT_PROBLEMS, Visit, chromium, fonts_loaded, shots)

FUTURES = {
    "ecommerce": ROOT / "examples" / "ecommerce-first-order-to-be.journey",
    "hostile": ROOT / "tests" / "testdata" / "lanes" / "hostile-future.journey",
}
BLUEPRINTS = {
    "broadband": ROOT / "examples" / "broadband-installation.journey",
    "ecommerce": ROOT / "examples" / "ecommerce-first-order.journey",
    "hostile": ROOT / "tests" / "testdata" / "blueprint" / "hostile.journey",
}

# In the blueprint every item of the physical, frontstage, backstage and support rows has a
# note of its own: each line of text inside one.
NOTE_PROBLEMS = """
() => {
  const problems = [];
  const slack = 0.5;
  for (const cell of document.querySelectorAll('g.cell')) {
    const notes = [...cell.querySelectorAll(':scope > rect.note')].map(n => n.getBoundingClientRect());
    if (!notes.length) continue;
    for (const t of cell.querySelectorAll('text')) {
      const r = t.getBoundingClientRect();
      if (!notes.some(n => r.left >= n.left - slack && r.right <= n.right + slack
                          && r.top >= n.top - slack && r.bottom <= n.bottom + slack))
        problems.push(['outside its note', t.textContent.slice(0, 60)]);
    }
  }
  return problems;
}
"""


def page_with(svg: bytes, path: Path) -> Path:
    """A bare docs-like page holding the picture as the docs integrations embed it."""
    text = svg.decode("utf-8")
    body = figure_html(text[text.find("<svg"):], None, "picture")
    path.write_text('<!DOCTYPE html><html><head><meta charset="utf-8">'
                    '<meta name="viewport" content="width=device-width, initial-scale=1">'
                    f'<style>{stylesheet_text()}</style></head>'
                    f'<body style="margin:0;padding:8px">{body}</body></html>', encoding="utf-8")
    return path


def check(visit: Visit, extra: str | None = None) -> None:
    assert visit.errors == []
    assert visit.outside_requests() == []
    fonts_loaded(visit)
    assert visit.page.evaluate(SVG_LAYOUT_PROBLEMS) == []
    if extra:
        assert visit.page.evaluate(extra) == []


def drawn(path: Path, view: str, compare: bool = False) -> bytes:
    compilation = journeymap.compile_file(path)
    assert compilation.ok, [d.headline() for d in compilation.diagnostics]
    base = compilation.base.journey if compilation.base is not None else None
    return journeymap.render(compilation.journey, "svg", RenderOptions(view=view, base=base, compare=compare))


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("name", FUTURES)
def test_lanes_compared_in_chromium(chromium, tmp_path, shots, name, size, scheme):
    svg = drawn(FUTURES[name], "lanes", compare=True)
    assert b'class="curve-base"' in svg
    visit = Visit(chromium, page_with(svg, tmp_path / "compare.html"), size, scheme=scheme)
    try:
        check(visit)
        label = "phone" if size == PHONE else "desktop"
        visit.page.screenshot(path=str(shots / f"compare-{name}-{label}-{scheme}.png"), full_page=True)
    finally:
        visit.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("name", BLUEPRINTS)
def test_blueprint_in_chromium(chromium, tmp_path, shots, name, size, scheme):
    svg = drawn(BLUEPRINTS[name], "blueprint")
    visit = Visit(chromium, page_with(svg, tmp_path / "blueprint.html"), size, scheme=scheme)
    try:
        check(visit, NOTE_PROBLEMS)
        label = "phone" if size == PHONE else "desktop"
        visit.page.screenshot(path=str(shots / f"blueprint-{name}-{label}-{scheme}.png"), full_page=True)
    finally:
        visit.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", BLUEPRINTS)
def test_blueprint_svg_at_its_own_size(chromium, tmp_path, shots, name, scheme):
    path = tmp_path / f"{name}.svg"
    path.write_bytes(drawn(BLUEPRINTS[name], "blueprint"))
    visit = Visit(chromium, path, (1280, 900), scheme=scheme)
    try:
        check(visit, NOTE_PROBLEMS)
        assert visit.page.evaluate("document.querySelectorAll('script').length") == 0
    finally:
        visit.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("name", FUTURES)
def test_report_of_a_future_state_in_chromium(chromium, tmp_path, shots, name, size, scheme):
    compilation = journeymap.compile_file(FUTURES[name])
    path = tmp_path / "report.html"
    path.write_bytes(journeymap.render(compilation.journey, "html",
                                       RenderOptions(base=compilation.base.journey, compare=True)))
    visit = Visit(chromium, path, size, scheme=scheme)
    try:
        assert visit.errors == [] and visit.outside_requests() == []
        assert visit.page.evaluate("document.querySelectorAll('#current-vs-future').length") == 1
        assert visit.page.evaluate(HTML_LAYOUT_PROBLEMS) == []
        assert visit.page.evaluate(SVG_LAYOUT_PROBLEMS) == []
        label = "phone" if size == PHONE else "desktop"
        visit.page.screenshot(path=str(shots / f"report-future-{name}-{label}-{scheme}.png"), full_page=name != "hostile")
    finally:
        visit.close()

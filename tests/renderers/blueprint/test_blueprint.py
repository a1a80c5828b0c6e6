"""The blueprint view (`--view blueprint`, §17): the rows and lines a service designer reads, each
attribute in its row under its touchpoint, fail points and waits on their cards, safe with
hostile text, the same bytes every time, and PNG/PDF like the lanes view."""

from __future__ import annotations

import subprocess
import sys

import defusedxml.ElementTree as SafeET
import pytest

import journeymap
from conftest import ROOT, compile_snippet
from journeymap.renderers import RenderOptions, stylesheets
from journeymap.renderers.blueprint import draw, layout as blueprint

SVG = "{http://www.w3.org/2000/svg}"
BLUEPRINT = RenderOptions(view="blueprint")
BROADBAND = ROOT / "examples" / "broadband-installation.journey"
HOSTILE = ROOT / "tests" / "testdata" / "blueprint" / "hostile.journey"
MAP = '''title "Clinic"
stage visit "Visit" {
  touchpoint arrive "Arrives" {
    action "Checks in at the desk"
    physical "Appointment letter"
    frontstage "Receptionist greets by name"
    backstage "Nurse reads the referral"
    support "Patient record system"
    fail "Referral not in the system"
    wait 20min
  }
  touchpoint consult "Consultation" { action "Talks to the doctor"; confidence assumed }
}
stage after "After" { touchpoint leave "Leaves" }
'''


def render(text: str = MAP, **options) -> bytes:
    return journeymap.render(compile_snippet(text).journey, "svg", RenderOptions(view="blueprint", **options))


def cells(svg: bytes) -> list:
    return [g for g in SafeET.fromstring(svg).iter(f"{SVG}g") if "cell" in (g.get("class") or "").split()]


def cell_text(cell) -> str:
    return " ".join(t.text or "" for t in cell.iter(f"{SVG}text"))


def test_the_view_is_registered_for_svg_png_and_pdf():
    assert "blueprint" in journeymap.views()
    for form in ("svg", "png", "pdf"):
        assert journeymap.find_output(form, "blueprint").view == "blueprint"
    listed = subprocess.run([sys.executable, "-m", "journeymap.cli", "render", "--list"], capture_output=True).stdout
    assert b"--view blueprint" in listed


def test_rows_in_order_split_by_the_three_named_lines():
    plan = blueprint.layout(compile_snippet(MAP).journey, BLUEPRINT)
    assert [row.kind for row in plan.rows] == ["physical", "actions", "frontstage", "backstage", "support"]
    titles = [row.label.blocks[0].lines[0].text for row in plan.rows]
    assert titles == ["Physical evidence", "Customer actions", "Frontstage", "Backstage", "Support processes"]
    rows = {row.kind: row for row in plan.rows}
    for kind, above, below in (("interaction", "actions", "frontstage"), ("visibility", "frontstage", "backstage"),
                               ("internal", "backstage", "support")):
        line = next(s for s in plan.separators if s.kind == kind)
        assert rows[above].y + rows[above].height < line.y < rows[below].y
    names = [s.band.blocks[0].lines[0].text for s in plan.separators]
    assert names == ["Line of interaction", "Line of visibility", "Line of internal interaction"]


def test_each_attribute_is_in_its_row_under_its_touchpoint():
    plan = blueprint.layout(compile_snippet(MAP).journey, BLUEPRINT)
    column = next(i for i, c in enumerate(plan.columns) if c.touchpoint and c.touchpoint.id == "arrive")

    def shown(kind: str) -> str:
        row = next(r for r in plan.rows if r.kind == kind)
        return " ".join(line.text for block in row.cells[column].blocks for line in block.lines)

    assert shown("physical") == "Appointment letter"
    assert shown("frontstage") == "Receptionist greets by name"
    assert shown("backstage") == "Nurse reads the referral"
    assert shown("support") == "Patient record system"
    assert shown("actions") == "Arrives Checks in at the desk Fail point: Referral not in the system Waits 20min"
    for kind in ("physical", "frontstage", "backstage", "support"):  # each item on a note of its own
        row = next(r for r in plan.rows if r.kind == kind)
        assert len(row.cells[column].notes) == 1


def test_fail_points_and_waits_are_marked_on_their_cards_and_explained():
    svg = render()
    cards = {name: next(c for c in cells(svg) if "card" in c.get("class") and name in cell_text(c))
             for name in ("Arrives", "Consultation")}
    badges = [g.get("class") for g in cards["Arrives"].iter(f"{SVG}g") if "badge" in (g.get("class") or "")]
    assert badges == ["badge fail-t", "badge wait-t"]
    assert not [g for g in cards["Consultation"].iter(f"{SVG}g") if "badge" in (g.get("class") or "")]
    legend = next(c for c in cells(svg) if "legend" in c.get("class"))
    assert "Fail point: where the service often goes wrong" in cell_text(legend)
    plain = render(MAP.replace('    fail "Referral not in the system"\n', "").replace("    wait 20min\n", ""))
    assert not [c for c in cells(plain) if "legend" in c.get("class")]


def test_a_card_that_rests_on_assumption_is_marked():
    svg = render()
    consult = next(c for c in cells(svg) if "Consultation" in cell_text(c))
    assert "assumed" in consult.get("class").split() and "Assumed:" in cell_text(consult)


def test_the_lines_and_badges_differ_in_more_than_colour():
    """Grey-scale print: the three lines by their pattern, the two badges by fill."""
    rules = dict(draw.RULES)
    assert "stroke-dasharray" not in rules[" .sep"]
    assert rules[" .sep.visibility"] != rules[" .sep.internal"]
    assert all("stroke-dasharray" in rules[f" .sep.{kind}"] for kind in ("visibility", "internal"))
    assert "fill: {bg}" in rules[" .badge.wait-t circle"] and "fill: {bg}" not in rules[" .badge.fail-t circle"]


@pytest.mark.parametrize("theme", ["auto", "light", "dark"])
def test_the_svg_passes_the_safety_check_with_its_own_stylesheet(theme):
    for path in (BROADBAND, HOSTILE):
        svg = journeymap.render(journeymap.compile_file(path).journey, "svg", RenderOptions(view="blueprint", theme=theme))
        assert journeymap.check_svg(svg) == []
    assert any(".jm-blueprint" in sheet for sheet in stylesheets())


def test_hostile_text_stays_text():
    compilation = journeymap.compile_file(HOSTILE)
    svg = journeymap.render(compilation.journey, "svg", BLUEPRINT)
    root = SafeET.fromstring(svg)
    assert not [e for e in root.iter() if e.tag.split("}")[-1] in ("script", "foreignObject", "a", "image")]
    drawn = " ".join(t.text or "" for t in root.iter(f"{SVG}text"))
    for tp in compilation.journey.touchpoints:
        for text in (*tp.physical, *tp.frontstage, *tp.support):
            if len(text) < 60 and "\n" not in text and "\u202e" not in text:
                assert text in drawn


def test_same_bytes_every_time():
    journey_model = journeymap.compile_file(BROADBAND).journey
    assert journeymap.render(journey_model, "svg", BLUEPRINT) == journeymap.render(journey_model, "svg", BLUEPRINT)


@pytest.mark.parametrize("form, magic", [("png", b"\x89PNG"), ("pdf", b"%PDF")])
def test_png_and_pdf(form, magic):
    data = journeymap.render(journeymap.compile_file(BROADBAND).journey, form, BLUEPRINT)
    assert data.startswith(magic)


def test_a_stage_without_touchpoints_and_a_map_without_blueprint_attributes():
    svg = render('stage empty "Empty"\nstage s { touchpoint t { action "Does it" } }\n')
    assert journeymap.check_svg(svg) == []
    assert "No touchpoints yet" in " ".join(cell_text(c) for c in cells(svg))


def test_the_example_uses_every_blueprint_attribute():
    touchpoints = journeymap.compile_file(BROADBAND).journey.touchpoints
    for field in ("physical", "frontstage", "backstage", "support", "fails", "actions"):
        assert any(getattr(tp, field) for tp in touchpoints), field
    assert any(tp.wait is not None for tp in touchpoints)


def test_the_cli_draws_it(tmp_path):
    done = subprocess.run([sys.executable, "-m", "journeymap.cli", "render", str(BROADBAND), "--view", "blueprint",
                           "-f", "png", "-o", str(tmp_path / "b.png")], capture_output=True)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "b.png").read_bytes().startswith(b"\x89PNG")


@pytest.mark.parametrize("form", ["svg", "png", "pdf"])
def test_without_view_the_flow_view_is_drawn_whatever_other_views_exist(form):
    assert journeymap.find_output(form).view == "flow"
    assert journeymap.views()[0] == "flow"


def test_the_picture_in_the_docs_is_what_the_example_renders_today():
    """docs/blueprint.md shows it; the view needs no Graphviz, so it is the same bytes anywhere
    (JOURNEY_ACCEPT_GOLDEN=1 draws it again)."""
    from golden import assert_golden

    svg = journeymap.render(journeymap.compile_file(BROADBAND).journey, "svg", BLUEPRINT)
    assert_golden(svg, ROOT / "docs" / "images" / "broadband-installation-blueprint.svg")

"""The lanes view with --compare (§16): the base's curve dashed under the map's own, through
the same columns, and each stage's change in its header."""

from __future__ import annotations

import re
from dataclasses import replace

import defusedxml.ElementTree as SafeET
import pytest

import journeymap
from conftest import ROOT
from journeymap.errors import CannotExpress
from journeymap.renderers import RenderOptions
from journeymap.renderers.lanes import layout as lanes

SVG = "{http://www.w3.org/2000/svg}"
BASE = '''title "Now"
persona a "Ann"
persona b "Bo"
stage one "One" {
  touchpoint t1 { emotion 1 }
  touchpoint gone { emotion -2 }
  touchpoint t2 { emotion -1 }
}
stage two "Two" { touchpoint t3 { emotion a 2, b -2 } }
'''
FUTURE = '''extends "base.journey"
title "Then"
remove gone
stage one { touchpoint t2 { emotion 2 } }
stage three "Three" { touchpoint t4 { emotion 0 } }
'''


@pytest.fixture
def future(tmp_path):
    (tmp_path / "base.journey").write_text(BASE)
    (tmp_path / "future.journey").write_text(FUTURE)
    compilation = journeymap.compile_file(tmp_path / "future.journey")
    assert compilation.ok, [d.headline() for d in compilation.diagnostics]
    return compilation


def shown_text(svg: bytes) -> str:
    """The drawn text, its wrapped lines joined again."""
    return " ".join(t.text or "" for t in SafeET.fromstring(svg).iter(f"{SVG}text"))


def options(compilation, **given) -> RenderOptions:
    return RenderOptions(view="lanes", base=compilation.base.journey, compare=True, **given)


def test_the_base_curve_goes_through_the_kept_columns_and_between_them(future):
    plan = lanes.layout(future.journey, options(future))
    columns = {c.touchpoint.id: c.centre for c in plan.columns if c.touchpoint}
    zero = plan.emotion["zero"]
    base = plan.emotion["base"]
    points = [(x, round((zero - y) / lanes.EMOTION_STEP), score) for x, y, score in base["points"]]
    # t1 and t2 at their columns; the removed touchpoint halfway between them; t3 (per-persona
    # values only, no one emotion) breaks the line as it does on the map's own curve.
    assert points == [(columns["t1"], 1, 1), ((columns["t1"] + columns["t2"]) / 2, -2, -2), (columns["t2"], -1, -1)]
    assert [len(run) for run in base["runs"]] == [3]


def test_stage_headers_say_each_change(future):
    lines = lanes.stage_deltas(future.journey, options(future))
    # one: (1 + -1 + -2) / 3 = -0.67 before; (1 + 2) / 2 = 1.5 after. two: its only touchpoint
    # has per-persona values, 2 and -2: a mean of 0, the same before and after.
    assert lines == {"one": "Emotion vs as-is: +2.17", "two": "Emotion vs as-is: no change",
                     "three": "New stage (not in the as-is map)"}
    drawn = shown_text(journeymap.render(future.journey, "svg", options(future)))
    for line in lines.values():
        assert line in drawn
    assert "Compared with the current state “Now”" in drawn


def test_for_one_persona_both_curves_are_that_persona_s(future):
    svg = journeymap.render(future.journey, "svg", options(future, persona="b")).decode()
    root = SafeET.fromstring(svg.encode())
    compare = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "compare")
    assert len(compare.findall(f"{SVG}circle")) == 4  # t1, gone, t2, and t3 as Bo felt it
    assert lanes.stage_deltas(future.journey, options(future, persona="b"))["two"] == "Emotion vs as-is: no change"


def test_the_compared_view_is_safe_and_deterministic(future):
    first = journeymap.render(future.journey, "svg", options(future))
    assert journeymap.check_svg(first) == []
    assert first == journeymap.render(future.journey, "svg", options(future))
    assert b'class="curve-base"' in first
    assert b'class="curve-base"' not in journeymap.render(future.journey, "svg", RenderOptions(view="lanes"))


def test_compare_needs_a_base_and_a_view_that_draws_it(future):
    with pytest.raises(CannotExpress, match="needs a map that extends another"):
        journeymap.render(future.journey, "svg", RenderOptions(view="lanes", compare=True))
    with pytest.raises(CannotExpress, match="not the flow view"):
        journeymap.render(future.journey, "svg", replace(options(future), view="flow"))


@pytest.mark.parametrize("form", ["png", "pdf"])
def test_png_and_pdf_draw_the_comparison_too(future, form):
    data = journeymap.render(future.journey, form, options(future))
    assert data[:4] in (b"\x89PNG", b"%PDF")
    assert data != journeymap.render(future.journey, form, RenderOptions(view="lanes"))


def test_the_example_pair_compared():
    compilation = journeymap.compile_file(ROOT / "examples" / "ecommerce-first-order-to-be.journey")
    drawn = shown_text(journeymap.render(compilation.journey, "svg", options(compilation)))
    assert re.findall(r"Emotion vs as-is: (?:no change|[+-][\d.]+)", drawn) == [
        "Emotion vs as-is: no change", "Emotion vs as-is: +1", "Emotion vs as-is: +1",
        "Emotion vs as-is: no change", "Emotion vs as-is: no change"]


def test_the_base_is_filtered_to_the_same_persona(tmp_path):
    (tmp_path / "base.journey").write_text('persona a "Ann"\npersona b "Bo"\nstage s {\n'
                                           '  touchpoint t1 { emotion 1 }\n  touchpoint only_a { persona a; emotion -2 }\n}\n')
    (tmp_path / "future.journey").write_text('extends "base.journey"\nremove only_a\n')
    compilation = journeymap.compile_file(tmp_path / "future.journey")
    for persona, expected in (("a", [1, -2]), ("b", [1])):
        svg = journeymap.render(compilation.journey, "svg", options(compilation, persona=persona))
        compare = next(g for g in SafeET.fromstring(svg).iter(f"{SVG}g") if g.get("class") == "compare")
        zero = lanes.layout(compilation.journey.for_persona(persona), options(compilation, persona=persona)).emotion["zero"]
        drawn = [round((zero - float(c.get("cy"))) / lanes.EMOTION_STEP) for c in compare.findall(f"{SVG}circle")]
        assert drawn == expected, persona


def test_the_picture_in_the_docs_is_what_the_example_pair_renders_today():
    """docs/future-state.md shows it (JOURNEY_ACCEPT_GOLDEN=1 draws it again, after the example
    pair changed)."""
    from golden import assert_golden

    compilation = journeymap.compile_file(ROOT / "examples" / "ecommerce-first-order-to-be.journey")
    svg = journeymap.render(compilation.journey, "svg", options(compilation))
    assert_golden(svg, ROOT / "docs" / "images" / "ecommerce-first-order-to-be-compare.svg")

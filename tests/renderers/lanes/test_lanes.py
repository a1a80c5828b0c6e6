"""The lanes view (`--view lanes -f svg`): what a reader of the grid relies on."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import defusedxml.ElementTree as SafeET
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import journeymap
from conftest import EXAMPLES, ROOT, compile_snippet
from journeymap.renderers import RenderOptions
from journeymap.renderers.lanes import layout as lanes
from journeymap.renderers.typography import MAX_LINES, wrap

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE_MAP = ROOT / "tests" / "testdata" / "lanes" / "hostile.journey"
LANES = RenderOptions(view="lanes")


def render(source: str, **options) -> str:
    compilation = compile_snippet(source)
    assert not [d for d in compilation.diagnostics if d.severity == "error"], compilation.diagnostics
    return journeymap.render(compilation.journey, "svg", RenderOptions(view="lanes", **options)).decode("utf-8")


def parse(svg: str):
    return SafeET.fromstring(svg.encode("utf-8"))


def lane_kinds(root) -> list[str]:
    return [g.get("class").split("lane-")[1] for g in root.iter(f"{SVG}g") if "lane " in (g.get("class") or "") + " "]


def texts(root) -> list[str]:
    return [t.text or "" for t in root.iter(f"{SVG}text")]


def unsafe_parts(svg: str) -> list[str]:
    """What a browser would run or follow: script, on* handlers, foreignObject, unsafe links."""
    try:
        from journeymap import check_svg
    except ImportError:
        check_svg = None
    if check_svg is not None:
        return list(check_svg(svg))
    problems = []
    for element in parse(svg).iter():
        tag = element.tag.split("}")[-1]
        if tag in ("script", "foreignObject", "iframe", "use", "image", "a"):
            problems.append(tag)
        for name, value in element.attrib.items():
            local = name.split("}")[-1].lower()
            if local.startswith("on") or "javascript:" in value.lower():
                problems.append(f"{tag}@{local}")
    return problems


MAP = """
title "Lanes test"
persona ana "Ana"
persona ben "Ben"
stage one "First stage" {
  duration 3d
  kpi "Bounce" 48%
  touchpoint a "Alpha" { channel web; action "Does a"; emotion 1 }
  touchpoint b "Bravo" { channel email; emotion -1; moment first "Price shock"; persona ben }
}
stage two "Second stage" {
  touchpoint c "Charlie" { channel store; thought "Hmm"; pain "Slow"; opportunity "Faster" }
  touchpoint d "Delta" { emotion 2; backstage "Warehouse picks the order" }
}
"""


def test_svg_and_lanes_dispatches_to_the_lanes_backend():
    svg = render(MAP)
    root = parse(svg)
    assert root.tag == f"{SVG}svg" and "jm-lanes" in root.get("class")
    assert svg.startswith('<?xml version="1.0" encoding="UTF-8"?>')


def test_a_lane_appears_only_when_the_map_has_content_for_it():
    kinds = lane_kinds(parse(render(MAP)))
    assert kinds == ["kpis", "touchpoints", "actions", "thoughts", "emotion", "moments", "pains",
                     "opportunities", "backstage"]
    bare = lane_kinds(parse(render('stage s { touchpoint a "A" { channel web } }')))
    assert bare == ["touchpoints"]


def test_stage_durations_and_kpis_are_shown():
    shown = texts(parse(render(MAP)))
    assert "Duration: 3d" in shown
    assert "Bounce: 48%" in shown
    assert "First stage" in shown and "Second stage" in shown


# Both personas take every touchpoint and feel the same: one curve for the map.
SHARED = MAP.replace("; persona ben", "")


def test_emotion_curve_has_a_marker_per_emotion_and_breaks_where_one_is_missing():
    root = parse(render(SHARED))
    emotion = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "lane lane-emotion")
    points = [c for c in emotion.iter(f"{SVG}circle") if c.get("class", "").split()[0] == "point"]
    assert len(points) == 3  # a, b, d; c has no emotion
    runs = [p.get("points") for p in emotion.iter(f"{SVG}polyline")]
    assert len(runs) == 1 and len(runs[0].split()) == 2  # a-b joined, gap at c, d alone
    ys = [float(c.get("cy")) for c in points]
    assert ys[2] < ys[0] < ys[1]  # +2 above +1 above -1
    moments = [p for p in emotion.iter(f"{SVG}path") if "moment" in p.get("class")]
    assert len(moments) == 1
    assert "FMOT" in texts(emotion)


def test_the_curve_follows_the_touchpoint_columns():
    plan = lanes.layout(compile_snippet(SHARED).journey, LANES)
    xs = [x for x, _, _ in plan.emotion["points"]]
    centres = [c.centre for c in plan.columns if c.touchpoint and c.touchpoint.emotion is not None]
    assert xs == centres and xs == sorted(xs)


TWO_JOURNEYS = """
persona lena "Lena, leisure traveller"
persona bao "Bao, business traveller"
stage book "Book" {
  touchpoint search "Searches" { emotion 0 }
  touchpoint fare "Chooses a fare" { persona lena; emotion -2 }
  touchpoint tool "Corporate tool" { persona bao; emotion 1 }
}
stage fly "Fly" {
  touchpoint checkin "Checks in" { emotion lena 1, bao 2; moment first }
  touchpoint lounge "Lounge" { persona bao }
  touchpoint gate "Boards" { emotion lena -1, bao 1 }
}
"""


def curves(source: str, **options) -> list[dict]:
    root = parse(render(source, **options))
    emotion = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "lane lane-emotion")
    found = []
    for group in emotion.iter(f"{SVG}g"):
        if "persona-curve" in group.get("class", "") and group.find(f"{SVG}title") is not None:
            found.append({"look": group.get("class").split()[-1], "title": group.find(f"{SVG}title").text,
                          "runs": [p.get("points") for p in group.iter(f"{SVG}polyline")],
                          "markers": [p.get("d") for p in group.iter(f"{SVG}path")]})
    return found


def test_each_persona_has_a_curve_through_their_own_touchpoints_only():
    plan = lanes.layout(compile_snippet(TWO_JOURNEYS).journey, LANES)
    centre = {c.touchpoint.id: c.centre for c in plan.columns}
    zero = plan.emotion["zero"]
    lena, bao = plan.emotion["curves"]
    level = lambda point: round((zero - point[1]) / lanes.EMOTION_STEP)  # noqa: E731
    # Lena: search 0, fare -2, checkin +1, gate -1 (not the corporate tool, not the lounge)
    assert [level(p) for p in lena["points"]] == [0, -2, 1, -1]
    assert [level(p) for p in bao["points"]] == [0, 1, 2, 1]
    # Where both pass, their markers sit side by side around the column's centre; alone, on it.
    assert lena["points"][0][0] < centre["search"] < bao["points"][0][0]
    assert lena["points"][1][0] == centre["fare"] and bao["points"][1][0] == centre["tool"]
    # Bao's lounge has no emotion: his curve breaks there; Lena's goes on past it.
    assert len(lena["runs"]) == 1 and len(lena["runs"][0]) == 4
    assert [len(run) for run in bao["runs"]] == [3]  # search, tool, checkin; gate stands alone
    drawn = curves(TWO_JOURNEYS)
    assert [c["title"] for c in drawn] == ["Lena, leisure traveller", "Bao, business traveller"]
    assert [c["look"] for c in drawn] == ["p0", "p1"]
    assert [len(c["markers"]) for c in drawn] == [4, 4]
    # different shapes, so the curves stay apart in grey-scale print
    assert drawn[0]["markers"][0].split()[1][0] == "A" and drawn[1]["markers"][0].split()[1][0] == "H"


def test_the_emotion_lane_explains_the_personas_markers_and_puts_moments_above_the_curves():
    svg = render(TWO_JOURNEYS)
    root = parse(svg)
    emotion = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "lane lane-emotion")
    shown = texts(emotion)
    assert "Lena, leisure traveller" in shown and "Bao, business" in " ".join(shown)
    legend = [g for g in emotion.iter(f"{SVG}g") if "persona-curve" in g.get("class", "")
              and g.find(f"{SVG}title") is None]
    assert len(legend) == 2
    plan = lanes.layout(compile_snippet(TWO_JOURNEYS).journey, LANES)
    top_level = plan.emotion["levels"][0][1]
    assert all(m["y"] < top_level - 9 for m in plan.emotion["moments"])
    # the legend stays clear of the levels' words below it
    legend_bottom = max(line.y for lane in plan.lanes if lane.kind == "emotion" for line in
                        (l for b in lane.label.blocks for l in b.lines))
    assert legend_bottom < top_level - 4


def test_one_persona_or_a_persona_view_has_one_curve():
    assert curves(TWO_JOURNEYS, persona="bao") == []
    plan = lanes.layout(compile_snippet(TWO_JOURNEYS).journey.for_persona("bao"), RenderOptions(view="lanes", persona="bao"))
    assert [score for _, _, score in plan.emotion["points"]] == [0, 1, 2, 1]
    single = compile_snippet('persona maya\nstage s { touchpoint a { emotion maya -2 }\n touchpoint b { emotion 1 } }').journey
    plan = lanes.layout(single, LANES)
    assert plan.emotion["curves"] == [] and [score for _, _, score in plan.emotion["points"]] == [-2, 1]


def test_persona_filter_keeps_their_touchpoints_only():
    shown = texts(parse(render(MAP, persona="ana")))
    assert "Alpha" in shown and "Bravo" not in shown
    assert any(t.startswith("Persona: Ana") for t in shown)


def test_rendering_is_deterministic():
    assert render(MAP) == render(MAP)
    journey_model = journeymap.compile_file(HOSTILE_MAP).journey
    once = journeymap.render(journey_model, "svg", LANES)
    again = journeymap.render(journeymap.compile_file(HOSTILE_MAP).journey, "svg", LANES)
    assert once == again


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_examples_render_well_formed_and_safe(path: Path):
    svg = journeymap.render(journeymap.compile_file(path).journey, "svg", LANES).decode("utf-8")
    parse(svg)
    assert unsafe_parts(svg) == []


def test_hostile_labels_appear_literally_and_inertly():
    journey_model = journeymap.compile_file(HOSTILE_MAP).journey
    svg = journeymap.render(journey_model, "svg", LANES).decode("utf-8")
    root = parse(svg)  # well-formed despite ]]>, quotes and markup in labels
    assert unsafe_parts(svg) == []
    assert "<script" not in svg and "<svg onload" not in svg  # markup in labels arrives escaped
    # Wrapping may split a label over lines; joined without spaces it must be all there.
    shown = "".join(texts(root)).replace(" ", "")
    for tp in journey_model.touchpoints[:-1]:
        for text in (tp.label, *tp.actions, *(p.text for p in tp.pains)):
            for part in text.split("\n"):
                assert part.replace(" ", "") in shown, part
    assert "“</text><script>alert(1)</script>”" in "".join(texts(root))


def test_newlines_in_labels_become_separate_lines():
    shown = texts(parse(render('stage s { touchpoint a "line one\\nline two" { channel web } }')))
    assert "line one" in shown and "line two" in shown


def test_a_ten_thousand_character_label_is_shortened_with_the_whole_text_in_a_tooltip():
    long_label = "A" * 9990 + " end-of-it"
    svg = render(f'stage s {{ touchpoint a "{long_label}" {{ channel web }} }}')
    root = parse(svg)
    lines = [t for t in texts(root) if t.startswith("A")]
    assert 1 < len(lines) <= MAX_LINES and lines[-1].endswith("…")
    titles = [t.text for t in root.iter(f"{SVG}title")]
    assert long_label in titles
    assert len(svg) < 60_000


def test_every_line_fits_its_cell_by_our_own_measure():
    """The browser test measures with real fonts; this checks the layout model itself."""
    plan = lanes.layout(journeymap.compile_file(HOSTILE_MAP).journey, LANES)
    cells = [*plan.stage_cells, *(c for lane in plan.lanes for c in (lane.label, *lane.cells))]
    for cell in cells:
        for block in cell.blocks:
            for line in block.lines:
                size = {"stage-t": lanes.STAGE, "strong": lanes.LABEL, "lane-t": lanes.LABEL, "muted": lanes.SMALL,
                        "pill-t": lanes.SMALL}.get(line.css, lanes.BODY)
                bold = line.css in ("stage-t", "strong", "lane-t")
                assert line.x + lanes.text_width(line.text, size, bold) <= cell.x + cell.width - lanes.PAD + 0.01
                assert cell.y < line.y - size * 0.8 and line.y < cell.y + cell.height
    for lane in plan.lanes:
        edges = [(c.x, c.x + c.width) for c in lane.cells]
        assert all(right <= next_left + 0.01 for (_, right), (next_left, _) in zip(edges, edges[1:]))


@settings(max_examples=60, deadline=None)
@given(text=st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=300),
       width=st.integers(min_value=40, max_value=300))
def test_wrap_never_exceeds_the_width_and_keeps_every_word(text: str, width: int):
    lines, shortened = wrap(text, float(width), 12.0, False, 1000)
    assert not shortened
    for line in lines:
        assert lanes.text_width(line, 12.0) <= width or len(line) == 1
    assert "".join(lines).replace(" ", "") == text.replace("\t", "").replace("\n", "").replace(" ", "")


def test_columns_are_sized_to_their_content():
    plan = lanes.layout(compile_snippet("""
        stage s {
          touchpoint a "A" { channel web }
          touchpoint b "B" { channel web; action "A much longer action that needs a wider column than a" }
        }
    """).journey, LANES)
    narrow, wide = plan.columns
    assert narrow.width == lanes.MIN_COLUMN < wide.width <= lanes.MAX_COLUMN


def test_cli_renders_the_lanes_view(tmp_path: Path):
    (tmp_path / "m.journey").write_text(MAP)
    done = subprocess.run([sys.executable, "-m", "journeymap.cli", "render", "m.journey", "--view", "lanes",
                           "-o", "m.svg"], cwd=tmp_path, capture_output=True)
    assert done.returncode == 0, done.stderr
    assert "jm-lanes" in (tmp_path / "m.svg").read_text()
    again = subprocess.run([sys.executable, "-m", "journeymap.cli", "render", "m.journey", "--view", "lanes",
                            "-f", "dot"], cwd=tmp_path, capture_output=True)
    assert again.returncode == 2 and b"Traceback" not in again.stderr


def test_empty_map_still_renders():
    svg = render('title "Nothing yet"')
    assert "Nothing yet" in texts(parse(svg))
    assert re.search(r'width="\d+', svg)


def test_an_empty_stage_keeps_its_column_and_says_so():
    root = parse(render('stage a { touchpoint x "X" { channel web } }\nstage empty "Empty"'))
    assert "No touchpoints yet" in texts(root)
    assert "Empty" in texts(root)


RESEARCHED = """
source int "Interviews with 12 customers" { kind interview; n 12 }
source fun "Funnel analytics" { kind analytics }
stage s "Buy" {
  touchpoint a "Basket" { channel web; emotion -1; confidence assumed
    pain p1 "Search misses brands" { severity high; confidence assumed }
    pain "Slow" { severity low; evidence int; confidence observed }
    opportunity o1 "Photo of a list" { status done; impact high; effort low; owner search-team }
    opportunity o2 "Brand synonyms" { status planned; confidence assumed }
    opportunity o3 "Voice search" { status dropped }
  }
  touchpoint b "Checkout" { channel web; emotion -2; evidence fun; confidence measured }
  touchpoint c "Paid" { outcome success; emotion 2 }
}
a -> b { rate 80% }
b -> c { rate 60% }
"""


def lane(root, kind: str):
    return next(g for g in root.iter(f"{SVG}g") if g.get("class") == f"lane lane-{kind}")


def test_the_reach_row_shows_each_touchpoints_share_when_the_map_has_rates():
    root = parse(render(RESEARCHED))
    assert lane_kinds(root)[:2] == ["touchpoints", "reach"]
    reach = lane(root, "reach")
    shown = texts(reach)
    assert ["100%", "80%", "48%"] == [t for t in shown if t.endswith("%")]
    assert "20% leave here" in shown and "32% leave here" in shown and "48% end here: success" in shown
    bars = [r for r in reach.iter(f"{SVG}rect") if r.get("class") == "bar-fill"]
    tracks = [r for r in reach.iter(f"{SVG}rect") if r.get("class") == "bar-track"]
    widths = [float(b.get("width")) / float(t.get("width")) for b, t in zip(bars, tracks)]
    assert [round(w, 2) for w in widths] == [1.0, 0.8, 0.48]
    # No rates and no entries: every path is a guess, so no reach row.
    assert "reach" not in lane_kinds(parse(render(RESEARCHED.replace(" { rate 80% }", "").replace(" { rate 60% }", ""))))


def test_severity_and_status_are_words_and_closed_ideas_are_struck_through():
    root = parse(render(RESEARCHED))
    pains = texts(lane(root, "pains"))[1:]  # after the lane's title
    assert pains[:3] == ["High", "Search misses brands", "assumed"]
    assert " ".join(pains[3:]) == "Low Slow observed · Interviews with 12 customers"
    ideas = lane(root, "opportunities")
    shown = [" ".join(texts(ideas)[1:])]  # one text, however it wraps
    shown = shown[0]
    assert "Done ✓" in shown and "Planned" in shown and "Dropped" in shown
    assert "impact high · effort low · search-team" in shown
    strikes = [line for line in ideas.iter(f"{SVG}line") if line.get("class") == "strike"]
    struck = {t.text for t in ideas.iter(f"{SVG}text")
              if any(abs(float(s.get("y1")) - (float(t.get("y")) - lanes.BODY * 0.3)) < 0.01 for s in strikes)}
    assert struck == {"Photo of a list", "Voice search"}  # done and dropped; the planned one stays


def test_assumed_items_are_hatched_dashed_and_explained_in_the_key():
    plan = lanes.layout(compile_snippet(RESEARCHED).journey, LANES)
    card_lane = next(l for l in plan.lanes if l.kind == "touchpoints")
    basket, checkout, _paid = card_lane.cells
    assert "assumed" in basket.css and [m.kind for m in basket.marks] == ["hatch"]
    assert "assumed" not in checkout.css and not checkout.marks
    assert "Measured · Funnel analytics" in [" ".join(l.text for l in b.lines) for b in checkout.blocks]
    pains = next(l for l in plan.lanes if l.kind == "pains").cells[0]
    hatched = [m for m in pains.marks if m.kind == "hatch"]
    assert len(hatched) == 1 and hatched[0].y < pains.blocks[1].lines[0].y < hatched[0].y + hatched[0].height
    slow = pains.blocks[3].lines[0]
    assert not hatched[0].y < slow.y < hatched[0].y + hatched[0].height  # the observed pain is not
    for mark in hatched:  # every hatch line stays inside its strip
        for x1, y1, x2, y2 in mark.segments:
            for x, y in ((x1, y1), (x2, y2)):
                assert mark.x - 0.01 <= x <= mark.x + mark.width + 0.01 and mark.y - 0.01 <= y <= mark.y + mark.height + 0.01
    key_text = [l.text for b in plan.key.blocks for l in b.lines]
    assert "assumed: the team's guess, not yet backed by research" in key_text
    assert "an idea struck through is done or dropped" in key_text
    assert plan.key.y > plan.grid_bottom and plan.height >= plan.key.y + plan.key.height
    assert lanes.layout(compile_snippet(MAP).journey, LANES).key is None  # nothing to explain


def test_an_item_names_its_sources_whole_up_to_a_long_research_title():
    """A cited source is named in full while its label is a usual research title (up to
    lanes.SOURCE_SHOWN characters), so a reader can tell "Interviews with 14 first-time
    customers" from "Interviews with 14 first-time c…" of another wave."""
    title = "Interviews with 14 first-time customers, spring"
    assert len(title) <= lanes.SOURCE_SHOWN
    source = (f'source int "{title}"\nsource long "{"x" * (lanes.SOURCE_SHOWN + 10)}"\n'
              'stage s { touchpoint a "A" { pain "Slow" { evidence int, long } } }')
    pains = next(l for l in lanes.layout(compile_snippet(source).journey, LANES).lanes if l.kind == "pains")
    shown = " ".join(line.text for block in pains.cells[0].blocks for line in block.lines)
    assert title in shown
    assert "x" * (lanes.SOURCE_SHOWN - 1) + "…" in shown.replace(" ", "")


def test_the_title_block_frames_the_map_and_a_funnel_band_heads_the_stages():
    """§11: the objectives and the scenario under the title; when any stage names its place in
    the funnel, every stage header opens with it (a dash for a stage that does not)."""
    source = ('objective "Find why first orders are abandoned"\nscenario "A first order on a weekday evening"\n'
              'stage a "Ads" { funnel tofu; touchpoint x { emotion 0 } }\n'
              'stage b "Buy" { funnel bofu; touchpoint y { emotion 1 } }\n'
              'stage c "After" { touchpoint z { emotion 2 } }\n')
    svg = journeymap.render(journeymap.compile_text(source, "map.journey").journey, "svg",
                            journeymap.RenderOptions(view="lanes")).decode()
    texts = [t for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]
    assert "Objective: Find why first orders are abandoned" in texts
    assert "Scenario: A first order on a weekday evening" in texts
    assert [t for t in texts if t in ("Top of funnel", "Middle of funnel", "Bottom of funnel", "\u2014")] == [
        "Top of funnel", "Bottom of funnel", "\u2014"]
    plain = journeymap.render(journeymap.compile_text("stage a { touchpoint x }\n", "map.journey").journey, "svg",
                              journeymap.RenderOptions(view="lanes")).decode()
    assert "funnel" not in plain and "\u2014" not in plain

"""`-f mermaid-journey`: Mermaid's journey chart, its scores, actors and text encoding."""

from __future__ import annotations

import html
import re

from hypothesis import given, settings

import journeymap
from golden import TESTDATA as GOLDEN_DATA, assert_golden
from conftest import EXAMPLES, compile_snippet
from journeymap.renderers.mermaid.text import journey_text
from mermaid_model import as_journey_shows, label_texts

TESTDATA = GOLDEN_DATA / "mermaid"
ECOMMERCE = next(p for p in EXAMPLES if p.stem == "ecommerce-first-order")


def decoded(mermaid_text: str) -> str:
    return html.unescape(re.sub(r"#(\d+);", r"&#\1;", mermaid_text))


def test_delimiters_directives_and_markup_are_encoded_and_nothing_is_lost():
    for text in ['a: b; c, d # e', '%%{init: {"theme": "dark"}}%%', "<b>&amp;</b>", "ﬂ°°35¶ß", "x\u2028y\u202ez"]:
        out = journey_text(text)
        assert not set(re.sub(r"#\d+;", "", out)) & set('#:;,%"<>&°¶\n\u2028\u202e'), out
        assert decoded(out) == " ".join(text.split())


@settings(max_examples=300, deadline=None)
@given(text=label_texts)
def test_no_journey_text_holds_anything_the_chart_would_read(text):
    out = journey_text(text)
    # As Mermaid's journey grammar sees it: one line, no delimiter, directive, tag or
    # placeholder character outside our codes, no keyword at the start.
    assert re.fullmatch(r"(?:[^#:;,%\"<>&°¶\s]| |#\d+;)+", out), out
    assert not re.match(r"title|section|journey|accTitle|accDescr", out, re.IGNORECASE)
    # As the browser shows it: the text on one line, nothing lost and nothing added (the chart
    # writes every text as text content, so no icon, KaTeX, Markdown or HTML is read in it).
    assert as_journey_shows(out) == (" ".join(text.split()) or "-")


def test_c1_controls_are_written_as_themselves():
    # Browsers read `&#128;` as a euro sign (Windows-1252), so no reference could show U+0080.
    assert journey_text("a\u0080b\u009fc") == "a\u0080b\u009fc"
    assert journey_text("a\u0085b") == "a b"  # NEL is a line break, and lines become spaces


def test_journey_keywords_at_the_start_are_defused_in_any_case():
    assert journey_text("title of the task").startswith("#116;itle")
    assert journey_text("Section one").startswith("#83;ection")
    assert journey_text("JOURNEY").startswith("#74;OURNEY")
    assert journey_text("accTitle x").startswith("#97;")
    assert journey_text("accDescr { x }").startswith("#97;")
    assert journey_text("a title") == "a title"
    assert journey_text("a\nb") == "a b"
    assert journey_text("") == "-"


def test_scores_are_emotion_plus_three_and_three_without_emotion():
    journey = compile_snippet(
        'persona m "Maya, parent"\nstage s {\n  touchpoint a { emotion -2; persona m }\n  touchpoint b\n'
        "  touchpoint c { emotion delighted }\n}\n"
    ).journey
    assert journeymap.render(journey, "mermaid-journey").decode().splitlines() == [
        "journey", "  title map", "  section s",
        "    a: 1: Maya#44; parent", "    b: 3: Maya#44; parent", "    c: 5: Maya#44; parent",
    ]


def test_actors_are_the_touchpoints_personas_or_else_the_channel():
    journey = compile_snippet(
        'persona a "Ann"\npersona b "Bo"\nstage s {\n  touchpoint x { persona b }\n  touchpoint y\n}\n'
    ).journey
    lines = journeymap.render(journey, "mermaid-journey").decode().splitlines()
    assert lines[-2:] == ["    x: 3: Bo", "    y: 3: Ann, Bo"]
    no_personas = compile_snippet("stage s {\n  touchpoint a { channel web }\n  touchpoint b\n}\n").journey
    assert journeymap.render(no_personas, "mermaid-journey").decode().splitlines()[-2:] == ["    a: 3: web", "    b: 3"]


def test_journey_chart_matches_the_golden():
    text = journeymap.render(journeymap.compile_file(ECOMMERCE).journey, "mermaid-journey").decode()
    golden = TESTDATA / "ecommerce-first-order.journey-chart.mmd"
    assert_golden(text, golden)


def test_every_line_is_one_mermaid_statement():
    journey = journeymap.compile_file(TESTDATA / "hostile.journey").journey
    text = journeymap.render(journey, "mermaid-journey").decode()
    assert text == journeymap.render(journey, "mermaid-journey").decode()
    body = text.splitlines()[1:]
    assert len(body) == 1 + len(journey.stages) + len(journey.touchpoints)
    for line in body:
        masked = re.sub(r"#\d+;", "", line)
        assert not set(masked) & set("#;%"), line
        if line.startswith("    "):
            assert masked.count(":") == 2, line


PER_PERSONA = """
persona lena "Lena, leisure traveller"
persona bao "Bao, business traveller"
stage s {
  touchpoint a "Searches" { emotion lena -2, bao 1; confidence assumed }
  touchpoint b "Checks in" { emotion lena 1, bao 2 }
  touchpoint c "Queue" { persona lena; emotion -1 }
}
"""


def test_a_task_scores_the_chosen_personas_emotion_or_the_mean():
    journey_model = compile_snippet(PER_PERSONA).journey

    def scores(**options) -> list[str]:
        chart = journeymap.render(journey_model, "mermaid-journey", journeymap.RenderOptions(**options)).decode()
        return [decoded(line).strip().split(": ")[:2] for line in chart.splitlines() if line.startswith("    ")]

    # the mean, rounded to the nearest level with halves toward neutral: -0.5 is 0 (score 3), 1.5 is 1 (4)
    assert scores() == [["Searches (assumed)", "3"], ["Checks in", "4"], ["Queue", "2"]]
    assert scores(persona="bao") == [["Searches (assumed)", "4"], ["Checks in", "5"]]
    assert scores(persona="lena") == [["Searches (assumed)", "1"], ["Checks in", "4"], ["Queue", "2"]]

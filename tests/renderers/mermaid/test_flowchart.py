"""`-f mermaid`: the flowchart's structure, styling, links and entity encoding."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings

import journeymap
from golden import TESTDATA as GOLDEN_DATA, assert_golden
from conftest import EXAMPLES, compile_snippet
from journeymap.renderers import RenderOptions
from journeymap.renderers.mermaid.text import WORD_JOINER, encode, label
from mermaid_model import INTERPRETED, as_mermaid_matches, decoded, label_texts, shown

TESTDATA = GOLDEN_DATA / "mermaid"
ECOMMERCE = next(p for p in EXAMPLES if p.stem == "ecommerce-first-order")
TWO_PERSONAS = next(p for p in EXAMPLES if p.stem == "two-personas-air-travel")
HOSTILE = [
    'quote " hash # semicolon ; colon :',
    '%%{init: {"securityLevel": "loose"}}%%',
    "<script>alert(1)</script>",
    "`backticks` [brackets] {braces} (parens) |pipes| A-->B",
    "#35; &amp; ﬂ°°35¶ß",
    "café 日本 😀 \u2028 \u202e",
]


def test_encode_leaves_nothing_mermaid_or_html_could_read_and_loses_nothing():
    for text in HOSTILE:
        out = encode(text)
        assert not set(re.sub(r"#\d+;", "", out)) & set('"%<>&|:;`[]{}()\n\\,#°¶\u2028\u202e'), out
        assert shown(out) == text


@pytest.mark.parametrize("text", [
    "fa:fa-car Car", "fab:fa-github", "fas:fa-user", "fak:fa-custom", "far:fa-bell fal:fa-bell",
    "logos:aws mdi:home", "$$x^2$$", "$$$", "C:\\new \\N", "\ufb02\xb0\xb060\xb6\xdfimg\ufb02\xb0lt\xb6\xdf",
    "<b>bold</b> <br/> <!-- c --> <?x>", "&lt; &#60; &amp;lt; R&D",
])
def test_what_mermaid_interprets_after_decoding_is_broken_by_a_word_joiner(text):
    out = encode(text)
    assert not INTERPRETED.search(as_mermaid_matches(out)), as_mermaid_matches(out)
    assert shown(out) == text
    assert as_mermaid_matches(out).replace(WORD_JOINER, "") == text  # no decoding changes it either
    assert encode(shown(out)) == out and encode(decoded(out)) == out  # defusing twice adds nothing


def test_plain_words_get_no_word_joiner():
    for text in ["Compare plans: monthly", "Pay $5", "R & D", "a < b > c", "10 : 30", "a_b **c**"]:
        assert WORD_JOINER not in decoded(encode(text)), text


@settings(max_examples=300, deadline=None)
@given(text=label_texts)
def test_no_label_holds_anything_mermaid_would_read(text):
    out = label(text)
    lines = out.split("<br>")
    # Nothing lost or changed but the word joiners added (the text may have its own).
    assert [shown(line) for line in lines] == text.replace(WORD_JOINER, "").split("\n")
    for line in lines:
        # As Mermaid's lexer sees it: nothing but letters, digits, plain punctuation, our codes.
        assert re.fullmatch(r"(?:[^\W_]|[ .'!?_/-]|[\x80-\x9f]|#\d+;)*", line), line
        assert not re.search("direction", line, re.IGNORECASE)
    for line, text_line in zip(lines, text.replace(WORD_JOINER, "").split("\n")):
        # As it is when Mermaid searches it for icons and KaTeX: still the text, holding none.
        assert as_mermaid_matches(line).replace(WORD_JOINER, "") == text_line
        assert not INTERPRETED.search(as_mermaid_matches(line)), line


def test_c1_controls_are_written_as_themselves():
    # Browsers read `&#128;` as a euro sign (Windows-1252), so no reference could show U+0080.
    assert encode("a\u0080b\u009fc") == "a\u0080b\u009fc"


def test_only_our_own_lines_say_direction_to_mermaid():
    # Mermaid's lexer finds `direction TB` anywhere on a line, even inside a quoted label.
    journey = compile_snippet(
        'direction TB\nstage s "Stage direction LR" {\n  touchpoint a "direction RL"\n'
        '  touchpoint b "x DIRECTION bt"\n}\na -> b "direction\\tTD"\n'
    ).journey
    text = journeymap.render(journey, "mermaid").decode()
    assert re.findall(r"^.*direction\s+(?:TB|BT|TD|LR|RL).*$", text, re.M | re.I) == ["    direction TB"]
    assert [decoded(m) for m in re.findall(r'\["(.*?)"\]', text)] == [
        "Stage direction LR", "direction RL", "x DIRECTION bt"]
    assert decoded(encode("directions, Direction")) == "directions, Direction"


def test_label_lines_become_our_own_br():
    assert label("one\n<br>two") == f"one<br>#60;#{ord(WORD_JOINER)};br#62;two"


def test_flowchart_structure_matches_the_golden():
    journey = journeymap.compile_file(ECOMMERCE).journey
    text = journeymap.render(journey, "mermaid").decode()
    golden = TESTDATA / "ecommerce-first-order.flowchart.mmd"
    assert_golden(text, golden)


def test_stages_touchpoints_edges_styles_and_links():
    journey = journeymap.compile_file(ECOMMERCE).journey
    text = journeymap.render(journey, "mermaid").decode()
    assert text.startswith("flowchart LR\n")
    assert [decoded(m) for m in re.findall(r'subgraph s\d+\["(.*)"\]', text)] == [s.label for s in journey.stages]
    assert len(re.findall(r'^    t\d+\["', text, re.M)) == len(journey.touchpoints)
    assert len(re.findall(r"^  t\d+ (-->|-\.->)", text, re.M)) == len(journey.transitions)
    assert "linkStyle 6 stroke-dasharray:6 4,stroke:#8e44ad" in text  # checkout -> reviews: dashed, back
    assert "t10 -.->" in text  # the dotted edge
    assert '-->|"pays #40;60#37;#41;"|' in text  # label and rate
    assert "class t5 angry_moment" in text
    assert 'click t2 href "https://example.com/welcome" _blank' in text


def test_node_ids_are_generated_never_reserved_words_or_user_text():
    journey = compile_snippet('stage end { touchpoint graph "end" }\nstage click { touchpoint style }\n').journey
    text = journeymap.render(journey, "mermaid").decode()
    ids = re.findall(r"^\s+(?:subgraph )?(\w+)\[", text, re.M)
    assert ids == ["s0", "t0", "s1", "t1"]


def test_links_keep_their_escapes_and_fragments_and_cannot_break_the_string():
    journey = compile_snippet(
        'stage s {\n  touchpoint a { link "https://example.com/a%20b?q=\\"x\\"&r=%%{init}%%;#top" }\n'
        '  touchpoint b { link " docs/page.html#part" }\n}\n'
    ).journey
    text = journeymap.render(journey, "mermaid").decode()
    assert 'click t0 href "https://example.com/a%20b?q=%22x%22&r=%25%25%7Binit%7D%25%25%3B#top" _blank' in text
    assert 'click t1 href "docs/page.html#part" _blank' in text


def test_direction_tb_persona_filter_and_empty_stage():
    journey = journeymap.compile_file(TWO_PERSONAS).journey
    text = journeymap.render(journey, "mermaid", RenderOptions(persona="business")).decode()
    assert "Fast-track security" in text and "Bag drop" not in text
    tb = compile_snippet("direction TB\nstage s { touchpoint a }\nstage empty\n").journey
    text = journeymap.render(tb, "mermaid").decode()
    assert text.startswith("flowchart TB")
    assert 's1_empty["#40;no touchpoints#41;"]' in text


def test_same_map_same_bytes():
    journey = journeymap.compile_file(TESTDATA / "hostile.journey").journey
    assert journeymap.render(journey, "mermaid") == journeymap.render(journey, "mermaid")


def test_cards_show_each_personas_emotion_a_pains_severity_and_what_is_assumed():
    chart = journeymap.render(compile_snippet("""
        persona lena "Lena, leisure traveller"
        persona bao "Bao, business traveller"
        stage s {
          touchpoint a "Searches" {
            channel web; emotion lena -2, bao 1; confidence assumed
            pain "Slow" { severity low }
            pain "Prices jump" { severity high }
          }
          touchpoint b "Checks in" { emotion 1 }
        }
    """).journey, "mermaid", RenderOptions()).decode()
    searches = decoded(next(line for line in chart.splitlines() if line.strip().startswith("t0[")))
    assert "web · Lena: -- angry · Bao: + happy" in searches
    assert "pain (high): Prices jump" in searches and searches.endswith('(assumed)"]')
    assert "  style t0 stroke-dasharray:5 3" in chart.splitlines()
    assert "style t1" not in chart

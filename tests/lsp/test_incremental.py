"""The language server's incremental re-read gives exactly what a full parse gives, after any
sequence of edits: the same statements, comments, problems and syntax-error flag."""

from __future__ import annotations

import sys

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import journeymap
from conftest import EXAMPLES, ROOT
from journeymap.lsp.incremental import IncrementalParser

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import generate_map  # noqa: E402

TEXTS = [path.read_text(encoding="utf-8") for path in EXAMPLES] + [generate_map(30)]
# Pieces an editor session types or deletes, the troublesome ones included.
PIECES = ["}", "{", '"', "\n", '"""', "\n\n", "stage x {", "touchpoint y \"Y\" {", " -> ", "#", ";", "emotion 1",
          "\\q", "é", "😀", "  ", "a", "\t", "}\n}", "x -> y\n", '"""\ntext\n"""']


@st.composite
def edits(draw):
    text = draw(st.sampled_from(TEXTS))
    steps = []
    for _ in range(draw(st.integers(1, 6))):
        position = draw(st.floats(0, 1))
        remove = draw(st.integers(0, 12))
        insert = draw(st.sampled_from(PIECES + [""]))
        steps.append((position, remove, insert))
    return text, steps


def _apply(text: str, position: float, remove: int, insert: str) -> str:
    at = int(position * len(text))
    return text[:at] + insert + text[at + remove:]


def _same(incremental, full):
    (doc_a, problems_a), (doc_b, problems_b) = incremental, full
    assert doc_a.statements == doc_b.statements
    assert doc_a.comments == doc_b.comments
    assert problems_a == problems_b
    assert doc_a.has_syntax_errors == doc_b.has_syntax_errors
    assert doc_a.source.text == doc_b.source.text


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits())
def test_an_incremental_read_is_a_full_read(case):
    text, steps = case
    parser = IncrementalParser("map.journey")
    _same(parser.parse(text), journeymap.parse(text, "map.journey"))
    for step in steps:
        text = _apply(text, *step)
        _same(parser.parse(text), journeymap.parse(text, "map.journey"))


def test_closing_a_string_reopens_the_stage_that_recovery_had_ended():
    """An unterminated string inside a stage: the parser's recovery ends the stage before it.
    Closing the string at the end of the file makes the stage read on, so the statement just
    before a problem is never kept as it was (found by the property test above)."""
    text = next(path for path in EXAMPLES if path.name == "b2b-saas-buying.journey").read_text(encoding="utf-8")
    parser = IncrementalParser("map.journey")
    for step in [(0.5, 0, '"""\ntext\n"""'), (0.0, 0, "}"), (0.0, 0, "stage x {"), (1.0, 0, '"""')]:
        text = _apply(text, *step)
        _same(parser.parse(text), journeymap.parse(text, "map.journey"))


def test_an_edit_inside_one_stage_reads_only_that_stage_again():
    text = generate_map(200)
    parser = IncrementalParser("map.journey")
    parser.parse(text)
    lines = len(text.split("\n"))
    edited = text.replace('"Touchpoint 150"', '"Touchpoint one hundred fifty"')
    _same(parser.parse(edited), journeymap.parse(edited, "map.journey"))
    # The changed stage is read again, and the stage after it (to check that the change is over).
    assert parser.reused_lines > lines - 140  # a stage of ten touchpoints is about 60 lines
    added = edited.replace('    emotion', '    pain "new"\n    emotion', 1)
    _same(parser.parse(added), journeymap.parse(added, "map.journey"))
    assert parser.reused_lines >= 5  # the lines before the first stage were kept

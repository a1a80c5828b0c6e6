"""`journey fmt`: canonical, idempotent, meaning-preserving, every comment kept."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import journeymap
from conftest import EXAMPLES, ROOT
from journeymap.formatter import format_source
from journeymap.formatter.verify import _meaning

UGLY = """# Header

title   "Grocery"    # trailing
status as-is


persona maya "Maya"{goal "g"  # goal comment
}
stage s {  # stage comment
  # before a
  touchpoint a "A" { channel web; emotion 2 }


  touchpoint b {
        channel email
  } # after b
  # end of stage
}
a->b "x" { rate 5%; style dashed }   # edge
# final
"""

CANONICAL = """# Header

title "Grocery"  # trailing
status as-is

persona maya "Maya" {
  goal "g"  # goal comment
}

stage s {  # stage comment
  # before a
  touchpoint a "A" { channel web; emotion 2 }

  touchpoint b {
    channel email
  }  # after b
  # end of stage
}

a -> b "x" { rate 5%; style dashed }  # edge
# final
"""


def fmt(text: str | bytes, path: str = "map.journey") -> str:
    data = text.encode() if isinstance(text, str) else text
    result = format_source(data, path, base_dir=ROOT / "examples")
    assert result.text is not None, [d.headline() for d in result.diagnostics]
    return result.text


def test_canonical_layout():
    assert fmt(UGLY) == CANONICAL
    assert fmt(CANONICAL) == CANONICAL


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_examples_are_canonical(example):
    assert format_source(example.read_bytes(), str(example)).text == example.read_text()


def test_crlf_is_kept_and_no_bom_is_written():
    out = fmt(b"\xef\xbb\xbfstage s {\r\n  touchpoint a   # x\r\n}\r\n")
    assert out == "stage s {\r\n  touchpoint a  # x\r\n}\r\n"


def test_long_text_keeps_its_layout():
    text = 'description """\n    one\n      two\n    """\nstage s { touchpoint a }\n'
    assert fmt(text) == text


@st.composite
def commented_programs(draw):
    """Valid maps from a small vocabulary, with comments sprinkled at line ends and between lines."""
    lines = []
    for s in range(draw(st.integers(1, 3))):
        lines.append(f'stage s{s} "Stage {s}" {{' + draw(st.sampled_from(["", "  # open"])))
        for t in range(draw(st.integers(0, 3))):
            attrs = draw(st.lists(st.sampled_from(["channel web", "emotion -1", 'pain "p"', "moment first", 'action "a; b # c"']),
                                  unique=True, max_size=3))
            one_line = draw(st.booleans())
            if one_line:
                lines.append(f"  touchpoint t{s}_{t} {{ {'; '.join(attrs)} }}" if attrs else f"  touchpoint t{s}_{t}")
            else:
                lines.append(f"  touchpoint t{s}_{t} {{")
                lines += [f"      {a}" + draw(st.sampled_from(["", " # why"])) for a in attrs]
                lines.append("  }")
            if draw(st.booleans()):
                lines.append(draw(st.sampled_from(["", "  # note", "#x"])))
        lines.append("}" + draw(st.sampled_from(["", " # close"])))
    return "\n".join(lines) + draw(st.sampled_from(["\n", "\n# end\n", ""]))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(commented_programs())
def test_fmt_is_idempotent_keeps_meaning_and_comments(text):
    compilation = journeymap.compile_text(text, "gen.journey")
    if not compilation.ok:
        return
    once = fmt(text)
    assert fmt(once) == once
    assert _meaning(journeymap.compile_text(once, "gen.journey")) == _meaning(compilation)
    original, _ = journeymap.parse(text)
    formatted, _ = journeymap.parse(once)
    assert [c.text for c in formatted.comments] == [c.text for c in original.comments]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("stage s { touchpoint a ; # note\n}\n", "stage s {\n  touchpoint a  # note\n}\n"),
        ('title "x"; # c\nstage s { touchpoint a }\n', 'title "x"  # c\nstage s { touchpoint a }\n'),
        ('title "x";; # c\nstage s { touchpoint a }\n', 'title "x"  # c\nstage s { touchpoint a }\n'),
        # a comment after nothing but `;` keeps its place, on its own line
        ("; # c\nstage s { touchpoint a }\n", "# c\nstage s { touchpoint a }\n"),
        (";# c2\n# c1\nstage s { touchpoint a }\n", "# c2\n# c1\nstage s { touchpoint a }\n"),
        ("stage s {\n  touchpoint a\n  ; # c\n}\n", "stage s {\n  touchpoint a\n  # c\n}\n"),
        ("stage s {\n  ; # c\n  touchpoint a\n}\n", "stage s {\n  # c\n  touchpoint a\n}\n"),
        ("stage s { ; # c\n  touchpoint a }\n", "stage s {  # c\n  touchpoint a\n}\n"),
    ],
)
def test_a_comment_after_an_empty_statement_stays_in_place(text, expected):
    assert fmt(text) == expected
    assert fmt(expected) == expected


_GLUE = st.sampled_from(["", ";", " ;", "; ;", ";;"])  # empty statements after a statement
_COMMENT = st.sampled_from(["", " # c", "# d"])


@st.composite
def semicolon_programs(draw):
    """Valid maps whose lines end in empty statements (`;`), comments, both, or are only those."""
    def line(indent: str, statement: str) -> str:
        return indent + statement + draw(_GLUE) + draw(_COMMENT)

    def filler(indent: str) -> list[str]:
        return [indent + draw(st.sampled_from([";", " ;", ";;", "# e", "", "; # f"])) for _ in range(draw(st.integers(0, 2)))]

    lines = filler("") + ([line("", 'title "x"')] if draw(st.booleans()) else [])
    for s in range(draw(st.integers(1, 3))):
        lines += filler("")
        if draw(st.booleans()):
            lines.append(line("", f"stage s{s} {{ touchpoint t{s}" + draw(_GLUE) + " }"))
            continue
        lines.append(f"stage s{s} {{" + draw(st.sampled_from(["", " ;", " ; # g"])))
        for t in range(draw(st.integers(1, 3))):
            lines += filler("  ")
            lines.append(line("  ", f"touchpoint t{s}_{t}" + draw(st.sampled_from(["", " { channel web }", " { channel web; }"]))))
        lines += filler("  ")
        lines.append(line("", "}"))
    return "\n".join(lines + filler("")) + "\n"


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(semicolon_programs())
def test_fmt_never_refuses_a_valid_map_with_semicolons_and_comments(text):
    """format_source checks its own output (same model, every comment in order, stable): on a
    map that compiles it must never find its own output wrong."""
    if not journeymap.compile_text(text, "gen.journey", base_dir=ROOT / "examples").ok:
        return
    once = fmt(text)
    assert fmt(once) == once


def journey(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "journeymap.cli", *args], input=stdin, capture_output=True)


def test_cli_check_diff_write_and_stdin(tmp_path):
    path = tmp_path / "m.journey"
    path.write_text(UGLY)
    check = journey("fmt", "--check", str(path))
    assert check.returncode == 1 and b"would reformat" in check.stderr
    diff = journey("fmt", "--diff", str(path))
    assert diff.returncode == 1 and b"+title \"Grocery\"  # trailing" in diff.stdout
    assert path.read_text() == UGLY  # neither wrote
    assert journey("fmt", str(path)).returncode == 0
    assert path.read_text() == CANONICAL
    assert journey("fmt", "--check", str(path)).returncode == 0
    piped = journey("fmt", "-", stdin=UGLY.encode())
    assert piped.returncode == 0 and piped.stdout.decode() == CANONICAL


def test_cli_refuses_a_file_with_a_syntax_error(tmp_path):
    path = tmp_path / "bad.journey"
    path.write_text("stage s {\n    touchpoint a { emotion 2 }}}\n")
    before = path.read_bytes()
    done = journey("fmt", str(path))
    assert done.returncode == 1
    assert b"error[E001]" in done.stderr
    assert path.read_bytes() == before


def test_cli_formats_a_map_that_parses_whatever_its_other_errors(tmp_path):
    # A formatter runs mid-edit: an unknown reference, a bad value or a missing include is
    # `journey check`'s business, not a reason to leave the layout alone.
    path = tmp_path / "unfinished.journey"
    path.write_text('include "not-yet.journey"\nstage s {\n      touchpoint a { emotion 9 }\n}\na -> nowhere\n')
    done = journey("fmt", str(path))
    assert done.returncode == 0, done.stderr
    assert path.read_text() == 'include "not-yet.journey"\n\nstage s {\n  touchpoint a { emotion 9 }\n}\n\na -> nowhere\n'
    assert journey("check", str(path)).returncode == 1


def test_a_printer_bug_is_caught_on_the_syntax_tree_even_when_the_map_does_not_compile(monkeypatch):
    from journeymap.formatter import FormatError, printer

    # Drop the last character of every string: the tree no longer says what the file says.
    monkeypatch.setattr(printer, "quote", lambda text: '"' + text[:-1] + '"')
    unfinished = 'stage s {\n      touchpoint a "Checkout" { emotion 9 }\n}\na -> nowhere\n'
    with pytest.raises(FormatError):
        format_source(unfinished.encode(), "map.journey")


def test_remove_keeps_its_word_before_a_transition():
    # Without `remove`, `remove a -> b` would add the very transition it takes out of the base.
    future = 'extends "ecommerce-first-order.journey"\nremove   confirmation->tracking\nconfirmation -> substitutions\n'
    assert fmt(future) == ('extends "ecommerce-first-order.journey"\nremove confirmation -> tracking\n'
                           'confirmation -> substitutions\n')


def test_a_lost_remove_word_is_caught_on_the_syntax_tree_even_when_the_base_is_missing(monkeypatch):
    from journeymap.formatter import FormatError, printer

    head = printer._Printer._head
    monkeypatch.setattr(printer._Printer, "_head", lambda self, node: head(self, node).removeprefix("remove "))
    with pytest.raises(FormatError):
        format_source(b'extends "not-yet.journey"\nremove a ->  b\n', "map.journey")

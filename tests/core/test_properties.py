"""Property tests: programs generated from our own grammar, and mutations of the examples,
always end in a model or in diagnostics, never in an exception."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.lark import from_lark

import journeymap
from conftest import EXAMPLES, ROOT
from journeymap.syntax import grammar_text

NAMES = ["title", "stage", "touchpoint", "persona", "channel", "emotion", "goal", "rate", "style", "moment",
         "kpi", "duration", "link", "include", "a", "b", "checkout", "web", "happy", "first"]


def _grammar():
    """Our grammar for hypothesis, which compiles every terminal with Python's `re`: the
    \\p{...} classes of IDENT and NUMBER (overridden by EXPLICIT below anyway) are spelt in
    `re` syntax; the rules, the structure under test, are untouched."""
    from lark import Lark

    text = grammar_text()
    for ours, plain in ((r"[\p{L}\p{M}\p{N}_]", r"\w"), (r"[\p{L}_]", r"[^\W\d]")):
        text = text.replace(ours, plain)
    assert r"\p{" not in text
    return Lark(text, parser="lalr", lexer="basic")


# Terminals written with \p{...} classes (which the `regex` module understands and Python's
# `re`, used by hypothesis, does not) get explicit strategies.
EXPLICIT = {
    "IDENT": st.one_of(st.sampled_from(NAMES), st.from_regex(r"[a-zé_][a-z0-9_é]{0,6}(-[a-z0-9]{1,3})?", fullmatch=True)),
    "NUMBER": st.from_regex(r"[+-]?[0-9]{1,3}(\.[0-9])?(%|min|h|d|w|mo|x)?", fullmatch=True),
    "STRING": st.from_regex(r'"([^"\\\n\x00-\x1f\x7f]|\\[nt"\\])*"', fullmatch=True),
    "LONG_STRING": st.from_regex(r'"""\n?[ a-z\n]{0,12}"""', fullmatch=True),
    "_SEP": st.sampled_from(["\n", ";", "\n\n"]),
}

programs = from_lark(_grammar(), explicit=EXPLICIT)


def compile_text(text: str | bytes):
    return journeymap.compile_text(text, "gen.journey", base_dir=ROOT / "examples")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programs)
def test_generated_programs_compile_or_give_diagnostics(text):
    compilation = compile_text(text)
    if compilation.ok:
        assert compilation.journey is not None
    else:
        assert compilation.journey is None
        assert all(d.span.line >= 1 and d.span.column >= 1 for d in compilation.diagnostics)


def example_bytes() -> list[bytes]:
    return [path.read_bytes() for path in EXAMPLES]


@st.composite
def mutated_examples(draw):
    data = bytearray(draw(st.sampled_from(example_bytes())))
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["delete", "duplicate", "swap", "random", "invalid", "nul"]))
        at = draw(st.integers(0, len(data) - 1))
        if kind == "delete":
            del data[at : at + draw(st.integers(1, 20))]
        elif kind == "duplicate":
            data[at:at] = data[at : at + draw(st.integers(1, 40))]
        elif kind == "swap" and at + 1 < len(data):
            data[at], data[at + 1] = data[at + 1], data[at]
        elif kind == "random":
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif kind == "invalid":
            data[at:at] = draw(st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xf4\x90\x80\x80"]))
        elif kind == "nul":
            data[at:at] = b"\x00"
        if not data:
            data = bytearray(b"#")
    return bytes(data)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_examples())
def test_mutated_examples_never_raise(data):
    compilation = compile_text(data)
    assert compilation.ok == (compilation.journey is not None)


HOSTILE_INPUTS = {
    "braces-10000-deep": b"stage s " + b"{" * 10_000 + b"\n" + b"}\n" * 10_000,
    "one-megabyte-line": b'title "' + b"x" * 1_000_000 + b'"\n',
    "one-megabyte-identifiers": b"a" * 1_000_000 + b"\n",
    "random-bytes": bytes(range(256)) * 40,
    "only-quotes": b'"' * 5000,
    "arrows": b"a " + b"-> " * 20_000 + b"\n",
    "unclosed-long-string": b'description """' + b"\n  x" * 10_000,
    # found by hypothesis: recovery after a comment that swallows the rest of a transition
    "recovery-dead-end": b'titletitle{title->#title"""\na\na"""}',
}


@pytest.mark.parametrize("name", sorted(HOSTILE_INPUTS))
def test_hostile_inputs_give_diagnostics_and_exit_1(name, tmp_path):
    path = tmp_path / f"{name}.journey"
    path.write_bytes(HOSTILE_INPUTS[name])
    done = subprocess.run([sys.executable, "-m", "journeymap.cli", "check", str(path)], capture_output=True,
                          timeout=60)
    assert done.returncode == 1, done.stderr[-2000:]
    assert b"Traceback" not in done.stderr and b"Traceback" not in done.stdout
    assert b"error[E" in done.stdout

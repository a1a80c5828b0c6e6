"""`display_name`: the one place a path becomes text, for every output a path is shown in."""

from __future__ import annotations

import json
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import journeymap
from journeymap.display import display_name


@pytest.mark.parametrize(
    ("path", "shown"),
    [
        ("docs/maps/first-order.journey", "docs/maps/first-order.journey"),
        ("ümlaut café/☕.journey", "ümlaut café/☕.journey"),
        (os.fsdecode(b"m\xffap.journey"), "m\\xffap.journey"),
        (b"m\xffap.journey", "m\\xffap.journey"),
        ("two\nlines.journey", "two\\nlines.journey"),
        ("tab\there", "tab\\there"),
        ("cr\rhere", "cr\\rhere"),
        ("bell\x07\x1b[31m", "bell\\x07\\x1b[31m"),
        ("del\x7f", "del\\x7f"),
        ("c1\x85next", "c1\\x85next"),
        ("sep\u2028para\u2029", "sep\\u2028para\\u2029"),
        ("\u202eyenruoj.svg", "\\u202eyenruoj.svg"),
        ("lone\ud800", "lone\\ud800"),
        ("private\U000f0000", "private\\U000f0000"),
    ],
)
def test_names_are_shown_printable_and_on_one_line(path, shown):
    assert display_name(path) == shown


# Any name the operating system can hand over: bytes, decoded as Python decodes file names.
file_names = st.binary(min_size=1, max_size=40).filter(lambda b: b"\x00" not in b).map(os.fsdecode)


@settings(max_examples=500)
@given(name=st.one_of(file_names, st.text(max_size=40)))
def test_every_display_name_is_valid_printable_text_and_showing_it_again_changes_nothing(name):
    shown = display_name(name)
    shown.encode("utf-8")  # no lone surrogates: every UTF-8 output can take it
    assert shown.isprintable()  # no line breaks, controls or bidirectional overrides
    assert display_name(shown) == shown
    json.loads(json.dumps(shown, ensure_ascii=False))


@settings(max_examples=300)
@given(name=st.text(st.characters(blacklist_categories=("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")), max_size=40))
def test_a_printable_name_is_shown_as_it_is(name):
    if name.isprintable():  # a space other than U+0020 is not
        assert display_name(name) == name


def test_compiled_maps_know_their_files_by_display_name(tmp_path):
    broken = tmp_path / os.fsdecode(b"m\xffap\n.journey")
    broken.write_bytes(b"stage s { touchpoint a }\nx -> a\n")
    compilation = journeymap.compile_file(broken)
    shown = display_name(str(broken))
    assert shown.endswith("/m\\xffap\\n.journey")
    assert [d.span.file for d in compilation.diagnostics] == [shown]
    assert list(compilation.sources) == [shown]
    good = tmp_path / os.fsdecode(b"ok\xff.journey")
    good.write_bytes(b"stage s { touchpoint a }\n")
    journey = journeymap.compile_file(good).journey
    assert journey.title == "ok\\xff"  # the default title is made from the display name
    assert journey.touchpoints[0].source.file == display_name(str(good))

"""A bidirectional override in one field of a line acts inside that field only: the version,
the owners, the persona names, a source, a transition's label. Drawn, an override at the end
of each field changes nothing at all (the fields after it are not reversed), in every view."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

import journeymap
from conftest import compile_snippet
from journeymap.renderers import RenderOptions
from journeymap.renderers.style import isolated

RLO, PDF, FSI, PDI = "\u202e", "\u202c", "\u2068", "\u2069"

MAP = """\
title "Bidi"
status as-is
version "1.0{o}"
owner "alice"
source s1 "Interviews{o}" {{ kind interview }}
source s2 "Survey" {{ kind survey }}
persona p "Pat{o}" {{
}}
persona q "Quinn" {{
}}
stage s "Stage" {{
  duration 3d
  owner "ops{o}"
  kpi "Visits{o}" "12"
  touchpoint a "A" {{
    persona p, q
    emotion p -1, q 1
    kpi "Bounce{o}" "48%"
    pain "Slow" {{ evidence s1, s2 }}
    opportunity "Faster" {{ owner "team{o}"; impact high; evidence s1, s2 }}
  }}
  touchpoint b "B"
}}
stage t "T" {{
  touchpoint c "C"
}}
a -> b "go{o}" {{ rate 40% }}
b -> c
"""


@pytest.mark.parametrize("view", ["flow", "lanes", "blueprint"])
def test_an_override_at_the_end_of_each_field_changes_nothing_drawn(view):
    pictures = []
    for override in (RLO, ""):
        journey = compile_snippet(MAP.format(o=override)).journey
        pictures.append(journeymap.render(journey, "png", RenderOptions(engine="wasm", view=view)))
    assert pictures[0] == pictures[1]


def test_plain_text_is_left_as_it_is():
    for text in ("Pat", "Owner: Ana", "שלום", "٣ أيام", ""):
        assert isolated(text) == text


def test_a_field_with_a_control_is_one_isolate():
    assert isolated(f"1.0{RLO}") == f"{FSI}1.0{RLO}{PDI}"
    assert isolated(f"a{PDI}{RLO}b") == f"{FSI}a{RLO}b{PDI}"  # its stray PDI would close the isolate early
    assert isolated(f"{FSI}x{PDI}{RLO}") == f"{FSI}{FSI}x{PDI}{RLO}{PDI}"  # its own isolates stay
    assert isolated(f"{RLO}\u2066x") == f"{FSI}{RLO}\u2066x{PDI}{PDI}"  # one it leaves open is closed first


@given(st.text(alphabet=st.sampled_from(["a", " ", RLO, PDF, FSI, PDI, "\u2066", "\u2067", "\u202a", "\u202b"])))
def test_the_isolate_is_closed_by_its_own_end(text):
    """Whatever the field holds, the isolate opened first is the one the last PDI closes."""
    result = isolated(text)
    if result == text:
        return
    depth = 0
    for position, char in enumerate(result):
        if char in (FSI, "\u2066", "\u2067"):
            depth += 1
        elif char == PDI:
            depth -= 1
            assert depth > 0 or position == len(result) - 1
    assert depth == 0

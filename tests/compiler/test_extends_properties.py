"""Future-state maps over generated bases (§16): an extending map made of random overrides,
removals and additions never raises; when it compiles, what it removed is gone, what it
declared again has its new label, the base's other touchpoints are all still there, and gap,
diff, fmt and every view take it."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import journeymap
from journeymap.renderers import RenderOptions
from strategies import journey_texts


@st.composite
def extensions(draw, base: str) -> tuple[str, set[str], dict[str, str]]:
    """An extending map of `base`, the ids it removes and the touchpoints it relabels."""
    stages = re.findall(r"^stage (\w+)", base, re.MULTILINE)
    touchpoints = re.findall(r"^  touchpoint (\w+)", base, re.MULTILINE)
    lines = ['extends "base.journey"']
    removed: set[str] = set()
    relabelled: dict[str, str] = {}
    for ident in draw(st.lists(st.sampled_from(touchpoints), max_size=2, unique=True)):
        lines.append(f"remove {ident}")
        removed.add(ident)
    kept = [t for t in touchpoints if t not in removed]
    for ident in draw(st.lists(st.sampled_from(kept), max_size=2, unique=True)) if kept else []:
        stage = draw(st.sampled_from(stages))
        label = f"Redesigned {ident}"
        lines.append(f'stage {stage} {{\n  touchpoint {ident} "{label}" {{ emotion 2 }}\n}}')
        relabelled[ident] = label
    if draw(st.booleans()):
        after = draw(st.sampled_from(stages))
        lines.append(f'stage brand_new "Brand new" after {after} {{\n  touchpoint fresh "Fresh" {{ emotion 1 }}\n}}')
    return "\n".join(lines) + "\n", removed, relabelled


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_an_extending_map_of_any_base(data):
    base = data.draw(journey_texts())
    text, removed, relabelled = data.draw(extensions(base))
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "base.journey").write_text(base)
        Path(folder, "future.journey").write_text(text)
        future = journeymap.compile_file(Path(folder, "future.journey"))
        before = journeymap.compile_file(Path(folder, "base.journey")).journey
    assert all(d.code.startswith(("E", "W")) for d in future.diagnostics)
    if not future.ok:
        return
    journey = future.journey
    ids = {tp.id for tp in journey.touchpoints}
    assert not removed & ids
    assert {tp.id for tp in before.touchpoints} - removed <= ids  # nothing else of the base is lost
    for ident, label in relabelled.items():
        assert journey.touchpoint(ident).label == label
    assert journey.status == "to-be" or "status" in text
    journeymap.format_gap(journeymap.gap(before, journey), "md")
    assert journeymap.diff(before, journey) or not (removed or relabelled)
    assert journeymap.format_source(text, "future.journey").text == journeymap.format_source(
        journeymap.format_source(text, "future.journey").text, "future.journey").text
    for view in ("lanes", "blueprint"):
        journeymap.render(journey, "svg", RenderOptions(view=view))
    journeymap.render(journey, "json")

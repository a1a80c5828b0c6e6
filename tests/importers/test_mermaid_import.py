"""`journey import`: Mermaid journey diagrams become .journey maps; round trips are exact."""

from __future__ import annotations

import subprocess
import sys

import pytest

import journeymap
from conftest import EXAMPLES, compile_snippet
from journeymap.importers.mermaid_journey import ImportProblem, parse, to_journey


def chart_of(journey_text: str):
    compilation = journeymap.compile_text(journey_text, "imported.journey")
    assert compilation.ok, [d.headline() for d in compilation.diagnostics]
    return compilation.journey


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_round_trip_gives_the_same_chart(example):
    original = journeymap.render(journeymap.compile_file(example).journey, "mermaid-journey").decode()
    imported = chart_of(to_journey(parse(original)))
    again = journeymap.render(imported, "mermaid-journey").decode()
    assert parse(again) == parse(original)
    assert again == original


def test_hostile_labels_survive_the_round_trip():
    labels = ['a "quote" # hash', "colon: semi; comma, pct %", "%%{init: {}}%%", "section keyword", "<b>x</b> & y"]
    cards = "\n".join(f'  touchpoint t{i} "{label.replace(chr(34), chr(92) + chr(34))}" {{ emotion 1 }}'
                      for i, label in enumerate(labels))
    journey = compile_snippet(f'persona p "Maya, parent"\nstage s "Stage: one" {{\n{cards}\n}}\n').journey
    original = journeymap.render(journey, "mermaid-journey").decode()
    imported = chart_of(to_journey(parse(original)))
    assert [tp.label for tp in imported.touchpoints] == labels
    assert [p.label for p in imported.personas] == ["Maya, parent"]
    assert imported.stages[0].label == "Stage: one"


def test_sections_tasks_scores_and_actors():
    chart = parse("journey\n  title My day\n  section Go to work\n    Make tea: 5: Me\n    Go upstairs: 3: Me, Cat\n")
    journey = chart_of(to_journey(chart))
    assert journey.title == "My day"
    assert [s.label for s in journey.stages] == ["Go to work"]
    assert [(t.label, t.emotion, t.personas) for t in journey.touchpoints] == [
        ("Make tea", 2, ("me",)), ("Go upstairs", 0, ("me", "cat"))]


def test_duplicate_labels_get_unique_ids():
    chart = parse("journey\n  section A\n    Call: 3\n  section A\n    Call: 4\n")
    journey = chart_of(to_journey(chart))
    assert len({s.id for s in journey.stages} | {t.id for t in journey.touchpoints}) == 4


@pytest.mark.parametrize(
    "text,line",
    [("flowchart LR\n  a --> b\n", 1), ("journey\n  section A\n    Task without score\n", 3),
     ("journey\n  section A\n    Task: 9: Me\n", 3), ("", 1)],
)
def test_malformed_mermaid_names_the_line(text, line):
    with pytest.raises(ImportProblem) as caught:
        parse(text)
    assert caught.value.line == line


def run(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "journeymap.cli", "import", *args], input=stdin, capture_output=True)


def test_cli_writes_once_and_never_overwrites(tmp_path):
    source = tmp_path / "day.mmd"
    source.write_text("journey\n  title Day\n  section A\n    Tea: 5: Me\n")
    target = tmp_path / "day.journey"
    assert run(str(source), "-o", str(target)).returncode == 0
    assert "touchpoint tea" in target.read_text()
    target.write_text("mine")
    again = run(str(source), "-o", str(target))
    assert again.returncode == 2 and target.read_text() == "mine"
    bad = run("-", stdin=b"journey\n  section A\n    Tea: x\n")
    assert bad.returncode == 1
    assert bad.stderr.decode().startswith("-:3:")
    assert b"Traceback" not in bad.stderr

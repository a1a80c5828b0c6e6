"""`journey import`: Mermaid journey diagrams become .journey maps, read as Mermaid reads them;
malformed Mermaid gets its line; round trips give the same chart."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import journeymap
from conftest import EXAMPLES, ROOT, compile_snippet
from journeymap.importers.mermaid_journey import ImportProblem, for_everyone, notes_on, parse, shown, to_journey

TESTDATA = ROOT / "tests" / "testdata" / "mermaid"


def imported(mermaid: str, actors_as_personas: bool = True):
    compilation = journeymap.compile_text(to_journey(parse(mermaid), actors_as_personas=actors_as_personas),
                                          "imported.journey")
    assert compilation.ok, [d.headline() for d in compilation.diagnostics]
    return compilation.journey


@pytest.mark.parametrize("path", [*EXAMPLES, TESTDATA / "hostile.journey"], ids=lambda p: p.stem)
def test_round_trip_of_our_own_chart_is_exact(path):
    original = journeymap.render(journeymap.compile_file(path).journey, "mermaid-journey").decode()
    again = journeymap.render(imported(original), "mermaid-journey").decode()
    assert again == original


@pytest.mark.parametrize("name", ["working-day", "everything-mermaid-allows"])
def test_round_trip_of_a_hand_written_chart_gives_the_same_chart(name):
    original = (TESTDATA / f"{name}.mmd").read_text(encoding="utf-8")
    again = journeymap.render(imported(original), "mermaid-journey").decode()
    expected = parse(original)
    # The one thing a map cannot say: a task for nobody. A touchpoint that names no persona
    # is for every persona, so such a task comes back with every actor (docs/mermaid.md).
    everyone = list(dict.fromkeys(a for s in expected.sections for t in s.tasks for a in t.actors))
    for task in for_everyone(expected):
        task.actors = everyone
    assert parse(again) == expected


def test_only_tasks_without_actors_beside_tasks_with_actors_are_for_everyone():
    mixed = parse((TESTDATA / "everything-mermaid-allows.mmd").read_text(encoding="utf-8"))
    assert [(t.label, t.line, t.column) for t in for_everyone(mixed)] == [("Invites the team", 20, 5)]
    assert for_everyone(parse("journey\n  section A\n    Tea: 5\n    Coffee: 4\n")) == []


def test_sections_tasks_scores_and_actors():
    journey = imported((TESTDATA / "working-day.mmd").read_text(encoding="utf-8"))
    assert journey.title == "My working day"
    assert [s.label for s in journey.stages] == ["Go to work", "Go home"]
    assert [(t.label, t.emotion, t.personas) for t in journey.touchpoints[:3]] == [
        ("Make tea", 2, ("me",)), ("Go upstairs", 0, ("me",)), ("Do work", -2, ("me", "cat"))]
    assert [p.label for p in journey.personas] == ["Me", "Cat"]


def test_what_mermaid_ignores_is_ignored_and_entities_are_decoded():
    chart = parse((TESTDATA / "everything-mermaid-allows.mmd").read_text(encoding="utf-8"))
    assert chart.title == "Onboarding: week one"
    assert [s.label for s in chart.sections] == ["Sign-up", "First use"]
    assert [(t.label, t.score, t.actors) for t in chart.sections[0].tasks] == [
        ('Finds the "Start" button', 4, ["Ana, admin", "Bo"]), ("Types a password <8 chars>", 2, ["Bo"])]
    assert chart.sections[1].tasks[0].actors == []
    assert chart.sections[1].tasks[1].label == "Café & naïve 日本"


def test_front_matter_title_and_a_task_before_any_section():
    chart = parse('---\ntitle: "From front matter"\n---\njourney\n  Early: 4\n')
    assert chart.title == "From front matter"
    assert [(s.label, [t.label for t in s.tasks]) for s in chart.sections] == [("Journey", ["Early"])]


def test_entity_codes_never_yield_characters_the_language_refuses():
    chart = parse("journey\n  section A\n    a#13;b#12;c#7;d#10;e#9;f: 3: #0;\n")
    journey = imported("journey\n  section A\n    a#13;b#12;c#7;d#10;e#9;f: 3: #0;\n")
    assert chart.sections[0].tasks[0].label == "a b c d\ne\tf"
    assert journey.touchpoints[0].label == "a b c d\ne\tf"


def test_entity_codes_show_what_mermaid_shows():
    # Checked against Mermaid 11 in Chromium: references decode as HTML decodes them there.
    assert shown("#128; #7; #64976; #0;") == "\u20ac \x07 \ufdd0 \ufffd"
    assert shown("#foo; #a_b; #ampx; #amp; #lt;b#gt;") == "&foo; &a_b; &x; & <b>"
    assert shown("ﬂ°°35¶ß ﬂ°lt¶ß") == "# <"  # placeholders written out are decoded too
    assert shown("&amp &lt x #é; #35x;") == "&amp &lt x #é; &35x;"  # raw text stays itself


def test_line_breaks_directives_and_tag_quotes_are_read_as_mermaid_reads_them():
    chart = parse("%%{init: {\n  \"theme\": \"dark\"\n}}%%\njourney\n  title a<br>b\n  section c<br/>d\n"
                  "    e<BR >f %%{wrap}%%: 3: g<br>h\n    <a title=\"x\">: 4\n")
    assert chart.title == "a<br>b"  # Mermaid draws the title as plain text
    assert chart.sections[0].label == "c\nd"
    assert [(t.label, t.actors) for t in chart.sections[0].tasks] == [("e\nf", ["g\nh"]), ("<a title='x'>", [])]


def test_duplicate_and_awkward_labels_get_unique_valid_ids():
    journey = imported("journey\n  section Stage\n    1st: 3: note\n    Call: 4\n  section Stage\n"
                       "    Call: 4\n    #37;#37;: 5: note, title\n  section #32;\n    x: 3\n")
    ids = [s.id for s in journey.stages] + [t.id for t in journey.touchpoints] + [p.id for p in journey.personas]
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize(
    "text,line,column,says",
    [
        ("flowchart LR\n  a --> b\n", 1, 1, "Mermaid 'flowchart' diagram"),
        ("", 1, 1, "no Mermaid diagram"),
        ("journey\n  section A\n    Task without score\n", 3, 5, "expected a task"),
        ("journey\n  section A\n    Task: five\n", 3, 11, "must be a number"),
        ("journey\n  section A\n    Task: 1e3\n", 3, 11, "must be a number"),
        ("journey\n  section A\n    Task: 3: Me: You\n", 3, 16, "name: score: actor"),
        ("journey\n  section A\n    Task; two: 3\n", 3, 9, "';'"),
        ("journey\n  section A: b\n", 2, 12, "':'"),
        ("journey\n  accDescr {\n  never closed\n", 2, 3, "never closed"),
        ("---\ntitle: x\njourney\n", 1, 1, "front matter"),
        ("journey\n  section A\njourney\n", 3, 1, "only once"),
        ("journey\n  section A\n    Journey x: 3\n", 3, 5, "only once"),
        ("journey\n  section A\n    Task: \u0663\n", 3, 11, "must be a number"),
        ("journey\n  section A\n    " + "x" * 10_001 + ": 3\n", 3, 5, "longer than 10,000"),
        ("---\ntitle: " + "x" * 10_001 + "\n---\njourney\n", 2, 1, "longer than 10,000"),
    ],
)
def test_malformed_mermaid_names_the_line_and_column(text, line, column, says):
    with pytest.raises(ImportProblem) as caught:
        parse(text)
    assert (caught.value.line, caught.value.column) == (line, column)
    assert says in caught.value.message


label_text = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30).filter(
    lambda s: s.split() and len(s) == len(s.strip()))


@settings(max_examples=60, deadline=None)
@given(stage=label_text, task=label_text, persona=label_text)
def test_any_label_survives_render_and_import(stage, task, persona):
    def written(text):
        return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")

    source = f'persona p "{written(persona)}"\nstage s "{written(stage)}" {{\n  touchpoint t "{written(task)}" {{ emotion 1 }}\n}}\n'
    compilation = compile_snippet(source)
    if not compilation.ok:  # labels the language itself refuses (control characters)
        return
    chart = journeymap.render(compilation.journey, "mermaid-journey").decode()
    journey = imported(chart)
    one_line = " ".join
    assert journey.stages[0].label == one_line(stage.split())
    assert journey.touchpoints[0].label == one_line(task.split())
    assert [p.label for p in journey.personas] == [one_line(persona.split())]


def run(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "journeymap.cli", "import", *args], input=stdin, capture_output=True)


def test_cli_writes_once_and_replaces_only_with_force(tmp_path):
    source = tmp_path / "day.mmd"
    source.write_text("journey\n  title Day\n  section A\n    Tea: 5: Me\n")
    target = tmp_path / "day.journey"
    assert run(str(source), "-o", str(target)).returncode == 0
    assert "touchpoint tea" in target.read_text()
    target.write_text("mine")
    again = run(str(source), "-o", str(target))
    assert again.returncode == 2 and target.read_text() == "mine"  # an I/O refusal, as everywhere
    assert b"--force" in again.stderr
    assert run(str(source), "-o", str(target), "--force").returncode == 0
    assert "touchpoint tea" in target.read_text()
    assert run(str(source), "-o", str(source), "--force").returncode == 2
    assert source.read_text().startswith("journey")


def test_cli_force_replaces_atomically_and_only_with_a_good_map(tmp_path):
    source, target = tmp_path / "day.mmd", tmp_path / "day.journey"
    source.write_text("journey\n  section A\n    Tea: 5: Me\n")
    target.write_text("mine")
    target.chmod(0o640)
    before = target.stat().st_ino
    keeper = tmp_path / "keeper.journey"
    os.link(target, keeper)  # a reader holding the old file keeps it whole
    assert run(str(source), "-o", str(target), "--force").returncode == 0
    assert target.stat().st_ino != before and keeper.read_text() == "mine"  # moved into place
    assert (target.stat().st_mode & 0o777) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["day.journey", "day.mmd", "keeper.journey"]
    source.write_text("journey\n  section A\n    Tea: nine\n")
    bad = run(str(source), "-o", str(target), "--force")
    assert bad.returncode == 1 and "touchpoint tea" in target.read_text()
    link = tmp_path / "link.journey"
    link.symlink_to(keeper)
    source.write_text("journey\n  section A\n    Tea: 5\n")
    refused = run(str(source), "-o", str(link), "--force")
    assert refused.returncode == 2 and b"symlink" in refused.stderr and keeper.read_text() == "mine"


def test_cli_warns_about_tasks_that_become_for_everyone():
    done = run("--actors-as-personas", "-", stdin=b"journey\n  section A\n    Tea: 5: Me\n    Wait: 2\n")
    assert done.returncode == 0
    assert done.stderr.decode().startswith("-:4:5: warning: task 'Wait' has no actors")
    assert 'persona me "Me"' in done.stdout.decode()


def test_actors_become_personas_only_when_asked():
    chart = b"journey\n  section A\n    Tea: 5: Me, Cat\n    Wait: 2\n"
    done = run("-", stdin=chart)
    assert done.returncode == 0
    text = done.stdout.decode()
    assert "persona" not in text
    assert 'note "Mermaid actor: Me"' in text and 'note "Mermaid actor: Cat"' in text
    assert "-:3:5: warning: actors are kept as a note on each touchpoint; --actors-as-personas" in done.stderr.decode()
    assert "has no actors" not in done.stderr.decode()  # Wait is for nobody, and stays so
    journey = journeymap.compile_text(text, "day.journey").journey
    assert journey.personas == () and [t.personas for t in journey.touchpoints] == [(), ()]
    asked = journeymap.compile_text(run("--actors-as-personas", "-", stdin=chart).stdout, "day.journey").journey
    assert [p.label for p in asked.personas] == ["Me", "Cat"]


@pytest.mark.parametrize("scores,emotions,scale", [
    ([1, 2, 3, 4, 5], [-2, -1, 0, 1, 2], None),  # Mermaid's own scale: exact, nothing noted
    ([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [-2, -2, -1, -1, 0, 0, 0, 1, 1, 2, 2], "0 to 10"),
    ([3, 7], [-1, 1], "0 to 10"),
    ([2.5, 4], [-1, 0], "0 to 10"),  # a half on 1-5 is no longer exact
    ([-5, 0, 5], [-2, 0, 2], "-5 to 5"),
    ([20, 60, 100], [-2, 0, 2], "20 to 100"),
    ([42, 42], [0, 0], "42 to 42"),
])
def test_scores_outside_one_to_five_are_mapped_with_a_note(scores, emotions, scale):
    chart = "journey\n  section A\n" + "".join(f"    T{i}: {s}\n" for i, s in enumerate(scores))
    journey = imported(chart)
    assert [t.emotion for t in journey.touchpoints] == emotions
    notes = [n.message for n in notes_on(parse(chart))]
    if scale is None:
        assert notes == [] and all(t.notes == () for t in journey.touchpoints)
    else:
        assert notes and notes[0].startswith(f"scores run from {scale}, not Mermaid's 1 to 5")
        assert [t.notes for t in journey.touchpoints] == [
            (f"Mermaid score: {s:g} (of {scale})",) for s in scores]


def test_every_problem_is_reported_not_only_the_first():
    chart = "journey\n  section A: b\n    Tea; x: 3\n    Fine: 4\n    Bad: nine\n    Too: 3: a: b\n"
    with pytest.raises(ImportProblem) as caught:
        parse(chart)
    assert [(p.line, p.column) for p in caught.value.problems] == [(2, 12), (3, 8), (5, 10), (6, 14)]
    done = run("-", stdin=chart.encode())
    assert done.returncode == 1 and done.stdout == b""
    assert [line.split(": error:")[0] for line in done.stderr.decode().splitlines()] == [
        "-:2:12", "-:3:8", "-:5:10", "-:6:14"]


def test_cli_reports_bad_input_with_its_position_and_no_traceback():
    for data, where in [(b"journey\n  section A\n    Tea: x\n", b"-:3:10:"), (b"journey\n\xff\n", b"-:2:1:"),
                        (b"journey\n  section A\n    T\x07: 3\n", b"-:3:6:")]:
        bad = run("-", stdin=data)
        assert bad.returncode == 1, bad.stderr
        assert bad.stderr.startswith(where), bad.stderr
        assert b"Traceback" not in bad.stderr
    missing = run("no-such-file.mmd")
    assert missing.returncode == 2 and b"Traceback" not in missing.stderr


_MERMAID_PIECES = ["journey", "title", "section", "accTitle", "accDescr", "{", "}", ":", ";", ",", "#", "#35;",
                   "#quot;", "%%", "%%{init: {}}%%", "---", "<br>", "&", "5", "0", "9", "Me", "a b", "\u0085", "é"]


@st.composite
def mermaid_like_text(draw):
    lines = draw(st.lists(st.lists(st.one_of(st.sampled_from(_MERMAID_PIECES), st.text(max_size=4)), max_size=6),
                          max_size=10))
    text = "\n".join("  " * draw(st.integers(0, 2)) + " ".join(line) for line in lines)
    return ("journey\n" if draw(st.booleans()) else "") + text


_WORDS = st.lists(st.one_of(st.sampled_from(_MERMAID_PIECES), st.text(min_size=1, max_size=4)), min_size=1,
                  max_size=4).map(" ".join)


@st.composite
def chart_shaped_text(draw):
    """Title, sections and tasks in Mermaid's layout, with awkward text in every name."""
    lines = ["journey"]
    if draw(st.booleans()):
        lines.append(f"  title {draw(_WORDS)}")
    for _ in range(draw(st.integers(0, 3))):
        lines.append(f"  section {draw(_WORDS)}")
        for _ in range(draw(st.integers(0, 3))):
            actors = draw(st.lists(_WORDS, max_size=3))
            task = f"    {draw(_WORDS)}: {draw(st.integers(1, 5))}"
            lines.append(task + (f": {', '.join(actors)}" if actors else ""))
    return "\n".join(lines) + "\n"


@settings(max_examples=400, deadline=None)
@given(st.one_of(mermaid_like_text(), chart_shaped_text()))
def test_any_text_imports_into_a_valid_map_or_is_refused_with_a_position(text):
    try:
        chart = parse(text)
    except ImportProblem as problem:
        assert problem.line >= 1 and problem.column >= 1 and problem.message
        return
    compilation = journeymap.compile_text(to_journey(chart), "imported.journey")
    assert compilation.ok, [d.headline() for d in compilation.diagnostics]

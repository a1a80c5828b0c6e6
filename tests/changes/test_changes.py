"""`journey diff`: semantic changes only; usable from git as difftool and diff driver."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys


import journeymap
from conftest import EXAMPLES, compile_snippet, require_tool
from journeymap.changes import diff, text_lines

BASE = """
persona maya "Maya"
stage a "A" {
  touchpoint t1 "One" { emotion -2; pain "slow"; pain "ugly" }
  touchpoint t2 "Two"
}
stage b "B" { touchpoint t3 "Three" }
t1 -> t2 -> t3 { rate 40% }
"""


def changes(old: str, new: str) -> list[str]:
    return text_lines(diff(compile_snippet(old).journey, compile_snippet(new).journey))


def test_formatting_comments_and_unordered_lists_are_no_change():
    reordered = BASE.replace('pain "slow"; pain "ugly" }', 'pain "ugly"; pain "slow" }  # why')
    reformatted = "# comment\n" + "\n\n".join(reordered.splitlines())
    assert changes(BASE, reformatted) == []


def test_each_kind_of_change():
    new = (BASE.replace('touchpoint t1 "One" { emotion -2; pain "slow"; pain "ugly" }',
                        'touchpoint t1 "Uno" { emotion 0; pain "slow"; opportunity "faster"; moment first }')
           .replace('  touchpoint t2 "Two"\n', "")
           .replace('stage b "B" { touchpoint t3 "Three" }', 'stage b "B" {\n  touchpoint t3 "Three"\n  touchpoint t2 "Two"\n  touchpoint t4 "Four"\n}')
           .replace("{ rate 40% }", "{ rate 50% }")
           .replace('persona maya "Maya"', 'persona maya "Maya J."\nstage c "C"'))
    assert changes(BASE, new) == [
        "~ persona maya: renamed 'Maya' -> 'Maya J.'",
        "+ stage c: 'C'",
        "~ touchpoint t1: emotion -2 -> 0, better",
        "~ touchpoint t1: moment of truth added: first",
        "~ touchpoint t1: opportunity added: faster",
        "~ touchpoint t1: pain removed: ugly",
        "~ touchpoint t1: renamed 'One' -> 'Uno'",
        "~ touchpoint t2: moved from stage a to b",
        "+ touchpoint t4: 'Four'",
        "~ transition t1 -> t2: rate 40% -> 50%",
        "~ transition t2 -> t3: rate 40% -> 50%",
    ]


def test_stage_fields_kpis_durations_and_order_are_changes():
    # Listed by hand once, KPIs and stage durations went unreported: every field counts now.
    new = BASE.replace('stage b "B" { touchpoint t3 "Three" }',
                       'stage b "B" { kpi "Repeat rate" 12%; duration 3d; touchpoint t3 "Three" }')
    assert changes(BASE, new) == [
        "~ stage b: duration none -> 3d",
        "~ stage b: kpi added: Repeat rate: 12%",
    ]
    swapped = 'stage b "B" { touchpoint t3 "Three" }\nstage a "A" {\n  touchpoint t2 "Two"\n  touchpoint t1 "One" { emotion -2; pain "slow"; pain "ugly" }\n}\n'
    reordered = BASE.split("stage a")[0] + swapped + "t1 -> t2 -> t3 { rate 40% }\n"
    assert changes(BASE, reordered) == ["~ map stage order: a, b -> b, a", "~ stage a: touchpoint order t1, t2 -> t2, t1"]


def run(*args, cwd=None, env=None):
    return subprocess.run([sys.executable, "-m", "journeymap.cli", "diff", *args], capture_output=True, cwd=cwd, env=env)


def test_cli_exit_codes_and_formats(tmp_path):
    old, new = tmp_path / "old.journey", tmp_path / "new.journey"
    old.write_text(BASE)
    new.write_text(BASE.replace("emotion -2", "emotion -1"))
    same = run(str(old), str(old))
    assert same.returncode == 0 and same.stdout == b"no changes\n"
    text = run(str(old), str(new))
    assert text.returncode == 3  # differ: kept apart from 1, "a map has errors"
    assert text.stdout.decode() == "~ touchpoint t1: emotion -2 -> -1, better\n"
    as_json = json.loads(run(str(old), str(new), "--format", "json").stdout)
    assert as_json == [{"kind": "changed", "subject": "touchpoint", "id": "t1", "field": "emotion", "old": -2, "new": -1,
                        "details": ["emotion -2 -> -1, better"]}]
    assert run(str(old), str(tmp_path / "missing.journey")).returncode == 2
    broken = tmp_path / "broken.journey"
    broken.write_text(BASE + "t1 -> nowhere\n")
    assert run(str(old), str(broken)).returncode == 1


def test_svg_highlights_new_with_removed_ghosts(tmp_path):
    require_tool(shutil.which("dot") is not None, "Graphviz `dot`")
    old, new = tmp_path / "old.journey", tmp_path / "new.journey"
    old.write_text(BASE)
    new.write_text(BASE.replace('  touchpoint t2 "Two"\n', '  touchpoint t5 "Five"\n').replace("t1 -> t2 -> t3", "t1 -> t5 -> t3"))
    done = run(str(old), str(new), "--format", "svg", "--engine", "system")
    assert done.returncode == 3
    svg = done.stdout.decode()
    assert "#1e9e3e" in svg and "#d62828" in svg  # Five added in green, Two ghosted in red
    assert ">Two<" in svg


def cards_by_first_line(svg: str) -> dict[str, set[str]]:
    """The classes of each card of a flow SVG, by the card's first line of text."""
    import html
    import re

    cards = {}
    for classes, group in re.findall(r'<g class="cell card ([^"]*)">(.*?)</g>', svg, re.S):
        texts = re.findall(r">([^<]+)</text>", group)
        if texts:
            cards.setdefault(html.unescape(texts[0]), set()).update(classes.split())
    return cards


def test_svg_tells_changes_from_moments_of_truth_and_has_a_legend(tmp_path):
    """A changed card must not look like a moment of truth (both were gold once), each change
    is tagged in words (grey-scale, colour blindness), and the picture says what each mark means."""
    import re

    from journeymap.renderers.theme import PALETTES

    old, new = tmp_path / "old.journey", tmp_path / "new.journey"
    old.write_text(BASE.replace('touchpoint t3 "Three"', 'touchpoint t3 "Three" { moment first }'))
    new.write_text(BASE.replace('touchpoint t3 "Three"', 'touchpoint t3 "Three" { moment first }')
                   .replace("emotion -2", "emotion 1").replace('"Two"', '"Two, renamed"'))
    done = run(str(old), str(new), "--format", "svg", "--theme", "light")
    assert done.returncode == 3
    svg = done.stdout.decode()
    cards = cards_by_first_line(svg)
    assert "changed" in cards["~ CHANGED"] and "mot" not in cards["~ CHANGED"]  # both changed cards
    moment = [classes for first, classes in cards.items() if "moment of truth" in first]
    assert moment and all("changed" not in classes and "mot" in classes for classes in moment)
    for palette in PALETTES.values():
        assert palette["changed"].lower() != palette["moment"].lower()
        assert len({palette["added"], palette["changed"], palette["removed"]}) == 3
    assert f".jm-flow .card.changed .box{{stroke: {PALETTES['light']['changed']}" in svg
    legend = svg[svg.index('<g class="cell legend">'):]
    for kind, words in (("added", "+ added"), ("changed", "~ changed"), ("removed", "- removed")):
        assert f'class="change-sample {kind}"' in legend and f">{words}</text>" in legend
    assert ">moment of truth</text>" in legend
    assert not re.search(r'class="change-sample', svg.replace(legend, ""))  # the samples live in the legend


def test_every_example_against_itself_is_no_change():
    for example in EXAMPLES:
        journey = journeymap.compile_file(example).journey
        assert diff(journey, journey) == []


def git(*args, cwd):
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)


def test_git_diff_driver_and_difftool(tmp_path):
    require_tool(shutil.which("git") is not None, "git")
    git("init", "-q", cwd=tmp_path)
    git("config", "user.email", "t@example.com", cwd=tmp_path)
    git("config", "user.name", "t", cwd=tmp_path)
    command = f"{sys.executable} -m journeymap.cli diff"
    git("config", "diff.journey.command", command, cwd=tmp_path)
    (tmp_path / ".gitattributes").write_text("*.journey diff=journey\n")
    (tmp_path / "map.journey").write_text(BASE)
    git("add", ".", cwd=tmp_path)
    git("commit", "-qm", "first", cwd=tmp_path)
    (tmp_path / "map.journey").write_text("# reworded\n" + BASE.replace("emotion -2", "emotion 1"))
    shown = git("diff", cwd=tmp_path).stdout
    assert "~ touchpoint t1: emotion -2 -> +1, better" in shown
    assert "reworded" not in shown  # comments are no change
    tool = subprocess.run(["git", "difftool", "-y", "-x", command, "--", "map.journey"], cwd=tmp_path,
                          capture_output=True, text=True)
    assert "emotion -2 -> +1, better" in tool.stdout


RESEARCHED = """
source int "Interviews" { kind interview }
stage s {
  touchpoint checkout "Checkout" {
    emotion -2; confidence assumed
    pain fee "Fee at the last step" { severity high }
  }
  touchpoint paid "Paid" { outcome success; duration 2d }
}
checkout -> paid { rate 50% }
"""


def test_evidence_and_confidence_changes_read_as_research_news():
    new = (RESEARCHED.replace("confidence assumed", "confidence measured; evidence int")
           .replace("severity high", "severity high; confidence observed")
           .replace("{ rate 50% }", "{ rate 50%; evidence int }"))
    assert changes(RESEARCHED, new) == [
        "~ touchpoint checkout: emotion -2, now measured (was assumed)",
        "~ touchpoint checkout: now cites int",
        "~ touchpoint checkout: pain fee: now observed",
        "~ transition checkout -> paid: now cites int",
    ]
    assert changes(new, RESEARCHED)[:2] == ["~ touchpoint checkout: emotion -2, now assumed (was measured)",
                                            "~ touchpoint checkout: no longer cites int"]


def test_conversion_and_time_to_success_changes_are_reported():
    # Checkout: 50% pay, the rest drop off; paid takes 2 days. Then 62%, and paid takes 1 day.
    new = RESEARCHED.replace("rate 50%", "rate 62%").replace("duration 2d", "duration 1d")
    found = diff(compile_snippet(RESEARCHED).journey, compile_snippet(new).journey)
    figures = [c for c in found if c.subject == "stats"]
    assert [(c.id, c.old, c.new) for c in figures] == [("conversion", 0.5, 0.62), ("time to success", 2, 1)]
    assert text_lines(figures) == ["~ stats conversion: 50.0% -> 62.0% (+12.0 points), better",
                                   "~ stats time to success: 2 days -> 1 day, 1 day faster"]
    # A change that moves no figure reports no figure; a map without outcomes has none to report.
    relabelled = diff(compile_snippet(RESEARCHED).journey, compile_snippet(RESEARCHED.replace('"Paid"', '"Done"')).journey)
    assert [c.subject for c in relabelled] == ["touchpoint"]
    no_outcome = RESEARCHED.replace("outcome success; ", "")
    assert not [c for c in diff(compile_snippet(no_outcome).journey,
                                compile_snippet(no_outcome.replace("50%", "60%")).journey) if c.subject == "stats"]

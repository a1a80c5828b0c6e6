"""`journey stats` as a user runs it: the worked example of docs/stats.md in each format, every
figure with its touchpoint's label and FILE:LINE, persona views, and what the analysis has to
explain (a loop with no way out, rates over 100%, a map too entangled to compute) as
diagnostics and notes, never a traceback."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

import journeymap
from conftest import EXAMPLES

WORKED = """\
stage consider "Consider" {
  duration 9d
  touchpoint ad "Ad" { entry 60%; emotion 0 }
  touchpoint friend "Friend" { entry 20%; emotion 1 }
  touchpoint reviews "Reviews" { emotion -1; pain "Mixed reviews" }
}
stage buy "Buy" {
  duration 5d
  touchpoint checkout "Checkout" {
    duration 1d; emotion -2; moment first
    pain "Fee at the last step" { severity high }
  }
  touchpoint paid "Paid" { outcome success; emotion 2 }
  touchpoint gave_up "Gave up" { outcome failure; emotion -2 }
}
ad -> reviews
friend -> reviews
reviews -> checkout { rate 80% }
checkout -> paid { rate 60% }
checkout -> reviews "second thoughts" { rate 25% }
checkout -> gave_up
"""


def journey(*args: str, cwd: Path | None = None, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "journeymap.cli", *args], cwd=cwd, input=stdin, capture_output=True)


@pytest.fixture
def worked(tmp_path: Path) -> Path:
    path = tmp_path / "worked.journey"
    path.write_text(WORKED)
    return path


def test_json_gives_the_worked_example_of_docs_stats_md(worked: Path):
    done = journey("stats", worked.name, "--format", "json", cwd=worked.parent)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["schema"] == "journey-stats/1" and report["persona"] is None
    f = report["figures"]
    assert (f["success"], f["failure"], f["dropped_off"], f["not_entered"], f["stuck"]) == (0.48, 0.12, 0.2, 0.2, 0)
    assert (f["expected_time_days"], f["expected_time_to_success_days"], f["expected_steps"]) == (13, 14.25, 4)
    assert [(s["stage"]["id"], s["reach"], s["time_remaining_days"]) for s in f["stages"]] == [
        ("consider", 0.8, 13), ("buy", 0.64, 6.25)]
    assert [(h["touchpoint"]["id"], h["score"]) for h in f["hotspots"]] == [
        ("checkout", 4.8), ("reviews", 2.4), ("gave_up", 0.24)]
    assert [(p["touchpoint"]["id"], p["score"]) for p in f["low_points"][0]["points"]] == [
        ("checkout", 1.28), ("reviews", 0.8), ("gave_up", 0.24)]
    assert [(d["touchpoint"]["id"], d["share"]) for d in f["drop_offs"]] == [("reviews", 0.2)]
    checkout = next(t for t in f["touchpoints"] if t["touchpoint"]["id"] == "checkout")
    assert checkout["touchpoint"] == {"id": "checkout", "label": "Checkout", "file": "worked.journey", "line": 9}
    assert (checkout["reach"], checkout["visits"], checkout["success_from_here"]) == (0.64, 0.8, 0.75)
    assert report["coverage"]["pains"] == {"total": 2, "cited": 0, "observed_or_measured": 0}


def test_text_names_each_figure_with_its_label_and_place(worked: Path):
    done = journey("stats", worked.name, cwd=worked.parent)
    assert done.returncode == 0
    assert re.findall(r"\[(\w+)\]", done.stderr.decode()) == ["W011"]  # checkout: a painful moment, no idea
    out = done.stdout.decode()
    lines = out.splitlines()
    assert lines[0] == "Journey stats: worked"
    assert re.search(r"^  success +48\.0%", out, re.M) and re.search(r"^  never entered +20\.0%", out, re.M)
    assert re.search(r"^    Paid +48\.0% +Paid +worked\.journey:13$", out, re.M)
    assert re.search(r"^  time +13 days +given success: 14\.2 days$", out, re.M)
    assert re.search(r"^  1\. +Reviews +20\.0% +dropped off +worked\.journey:5$", out, re.M)
    assert re.search(r"^  1\. +Checkout +4\.80 +1 pain \(high\) +emotion -2 +reach 64\.0%, moment of truth "
                     r"+worked\.journey:9$", out, re.M)
    assert re.search(r"^  Buy +64\.0% +6\.2 days +given success: 6\.2 days +worked\.journey:7$", out, re.M)


def test_markdown_is_tables_whose_user_text_cannot_break_them(tmp_path: Path):
    path = tmp_path / "m.journey"
    path.write_text(WORKED.replace('"Checkout"', '"Check | out *now* <b>"'))
    done = journey("stats", path.name, "--format", "md", cwd=tmp_path)
    out = done.stdout.decode()
    assert out.startswith("# Journey stats: m\n")
    assert "| end | share | touchpoint | where |" in out
    row = next(line for line in out.splitlines() if "Check" in line and line.startswith("| Check"))
    assert r"Check \| out \*now\* \<b\>" in row
    assert row.count(" | ") == 5  # the touchpoint table's six cells, the label's bar escaped


def test_stdin_and_a_map_with_errors():
    done = journey("stats", "-", stdin=WORKED.encode())
    assert done.returncode == 0 and b"standard input" not in done.stderr
    broken = journey("stats", "-", stdin=b"stage s {\n  touchpoint a\n}\na -> b\n")
    assert broken.returncode == 1 and broken.stdout == b"" and b"error[E011]" in broken.stderr


def test_an_unknown_persona_or_file_is_exit_2(worked: Path):
    done = journey("stats", worked.name, "--persona", "nobody", cwd=worked.parent)
    assert done.returncode == 2 and b"unknown persona 'nobody'" in done.stderr and done.stdout == b""
    missing = journey("stats", "nowhere.journey", cwd=worked.parent)
    assert missing.returncode == 2 and b"cannot read 'nowhere.journey'" in missing.stderr


PERSONA_LOOP = """\
persona x "Xena"
persona y "Yann"
stage s {
  touchpoint a "A" { emotion x -2, y 1 }
  touchpoint c "C"
  touchpoint b "B" { persona y; outcome success }
}
a -> c
c -> a
c -> b
"""


def test_a_persona_view_can_close_a_loop_the_map_leaves_open(tmp_path: Path):
    path = tmp_path / "loop.journey"
    path.write_text(PERSONA_LOOP)
    assert journey("check", path.name, cwd=tmp_path).stderr.decode().endswith("no problems\n")
    whole = journey("stats", path.name, cwd=tmp_path)
    assert whole.returncode == 0 and b"W009" not in whole.stderr
    # Without b, Xena's travellers go round a and c forever: b was their only way out.
    done = journey("stats", path.name, "--persona", "x", "--format", "json", cwd=tmp_path)
    assert done.returncode == 0
    stderr = done.stderr.decode()
    assert stderr.startswith("loop.journey:4:3: warning[W009]: ")
    report = json.loads(done.stdout)
    assert report["persona"]["label"] == "Xena"
    assert report["figures"]["stuck"] == 1 and report["figures"]["success"] == 0


def test_rates_over_100_are_said_once(tmp_path: Path):
    path = tmp_path / "over.journey"
    path.write_text("stage s {\n  touchpoint a\n  touchpoint b { outcome success }\n  touchpoint c\n}\n"
                    "a -> b { rate 90% }\na -> c { rate 60% }\n")
    done = journey("stats", path.name, cwd=tmp_path)
    assert done.returncode == 0
    assert done.stderr.decode().count("[W006]") == 1
    assert "scaled down to 100%" in done.stdout.decode()  # the note in the report
    assert re.search(r"^  success +60\.0%", done.stdout.decode(), re.M)


def test_a_closed_loop_is_a_share_and_a_diagnostic_not_a_hang(tmp_path: Path):
    path = tmp_path / "closed.journey"
    path.write_text("stage s {\n  touchpoint a { entry 100% }\n  touchpoint b\n  touchpoint c\n}\n"
                    "a -> b { rate 50% }\na -> c { rate 50% }\nb -> c\nc -> b\n")
    done = journey("stats", path.name, "--format", "json", cwd=tmp_path)
    assert done.returncode == 0 and done.stderr.decode().count("[W009]") == 1
    figures = json.loads(done.stdout)["figures"]
    assert figures["stuck"] == 1 and figures["expected_steps"] is None
    assert [t["visits"] for t in figures["touchpoints"]] == [1, None, None]


def test_a_map_too_entangled_to_compute_says_so_and_exits_1(tmp_path: Path, monkeypatch, capfd):
    from journeymap.analysis import stats as stats_module
    from journeymap.cli.main import run

    monkeypatch.setattr(stats_module, "WORK_LIMIT_BASE", 10)
    monkeypatch.setattr(stats_module, "WORK_LIMIT_PER_ITEM", 1)
    path = tmp_path / "w.journey"
    path.write_text(WORKED)
    assert run(["stats", str(path), "--format", "json"]) == 1
    out, err = capfd.readouterr()
    report = json.loads(out)
    assert report["figures"] is None and report["notes"][0]["kind"] == "too-complex"
    assert "no figures for" in err and "too entangled" in err
    assert run(["stats", str(path)]) == 1
    assert "No figures: the map's loops are too entangled" in capfd.readouterr().out


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("output_format", ["text", "md", "json"])
def test_every_example_in_every_format(example: Path, output_format: str):
    journey_map = journeymap.compile_file(example).journey
    personas = [None, *(p.id for p in journey_map.personas)]
    for persona in personas:
        report = journeymap.stats_report(journey_map, persona)
        assert report.has_figures
        ends = (report.success + report.failure + report.dropped_off + report.ended_without_outcome + report.stuck
                + report.not_entered)
        assert abs(ends - 1) < 1e-9
        written = journeymap.format_stats(report, output_format)
        assert written == journeymap.format_stats(journeymap.stats_report(journey_map, persona), output_format)
        if output_format == "json":
            json.loads(written)

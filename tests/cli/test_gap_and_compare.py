"""`journey gap` and `journey render --compare` as a user runs them: the forms, FILE or OLD NEW,
and the exit codes (0, 1 for a map with errors, 2 for a usage or I/O problem)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

EXAMPLES = ROOT / "examples"
AS_IS, TO_BE = "ecommerce-first-order.journey", "ecommerce-first-order-to-be.journey"


def journey(*args: str, cwd: Path = EXAMPLES) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "journeymap.cli", *args], cwd=cwd, capture_output=True)


def test_gap_of_a_future_state_and_of_old_new_are_the_same():
    alone = journey("gap", TO_BE)
    assert alone.returncode == 0, alone.stderr
    assert alone.stdout == journey("gap", AS_IS, TO_BE).stdout
    text = alone.stdout.decode()
    assert text.startswith("Gap: Online grocery: first order -> Online grocery: first order, future state\n")
    assert "Pains resolved (3)" in text and "Pains kept (2)" in text and "New pains (0)" in text


@pytest.mark.parametrize("form, check", [
    ("json", lambda out: json.loads(out)["schema"] == "journey-gap/1"),
    ("md", lambda out: out.startswith("## Gap: ") and "| Ends in success | 30% | 34.3% | +4.3 pts |" in out),
    ("text", lambda out: "Moments of truth" in out),
])
def test_gap_forms(form, check):
    done = journey("gap", TO_BE, "--format", form)
    assert done.returncode == 0 and check(done.stdout.decode())
    assert done.stdout == journey("gap", TO_BE, "--format", form).stdout  # deterministic


def test_gap_usage_and_input_problems(tmp_path):
    plain = journey("gap", AS_IS)
    assert plain.returncode == 2 and "extends no other map" in plain.stderr.decode()
    assert journey("gap", AS_IS, TO_BE, AS_IS).returncode == 2
    assert journey("gap", "missing.journey").returncode == 2
    (tmp_path / "broken.journey").write_text('extends "nowhere.journey"\n')
    broken = journey("gap", "broken.journey", cwd=tmp_path)
    assert broken.returncode == 1 and "E030" in broken.stdout.decode() + broken.stderr.decode()


def test_gap_reports_the_errors_of_a_base_that_only_the_extending_map_makes_whole(tmp_path):
    # The extending map declares the persona its base names, so it compiles; the base that gap
    # compares is the base on its own, with its error: exit 1 and the error, not a traceback.
    (tmp_path / "base.journey").write_text('stage s "S" {\n  touchpoint t "T" { persona p; emotion 1 }\n}\n')
    (tmp_path / "future.journey").write_text('extends "base.journey"\npersona p "P"\n')
    assert journey("check", "future.journey", cwd=tmp_path).returncode == 0
    done = journey("gap", "future.journey", cwd=tmp_path)
    assert done.returncode == 1
    assert "base.journey:2:30: error[E011]: unknown persona 'p'" in done.stderr.decode()
    assert b"Traceback" not in done.stderr and done.stdout == b""


def test_render_compare(tmp_path):
    done = journey("render", TO_BE, "--compare", "-o", str(tmp_path / "to-be.svg"))
    assert done.returncode == 0, done.stderr
    svg = (tmp_path / "to-be.svg").read_text()
    assert 'class="jm-lanes"' in svg and 'class="curve-base"' in svg  # --compare implies the lanes view
    assert re.findall(r"Emotion vs as-is: ([^<]*)<", svg) == ["no change", "+1", "+1", "no change", "no change"]


@pytest.mark.parametrize("args, message", [
    ((AS_IS, "--compare"), "needs a map that extends another"),
    ((TO_BE, "--compare", "--view", "flow"), "--compare draws on the lanes view, not the flow view"),
    ((TO_BE, "--compare", "-f", "mermaid"), "cannot draw the lanes view"),
    ((TO_BE, "--compare", "-f", "json"), "not the json format"),
])
def test_render_compare_refuses_what_it_cannot_draw(tmp_path, args, message):
    done = journey("render", *args, "-o", str(tmp_path / "out"))
    assert done.returncode == 2 and message in done.stderr.decode(), done.stderr
    assert not (tmp_path / "out").exists()


def test_the_report_of_a_future_state_has_current_vs_future():
    page = journey("render", TO_BE, "-f", "html", "-o", "-").stdout.decode()
    assert '<h2 id="current-vs-future">Current vs future</h2>' in page
    assert "Evening slots are full days ahead" in page and 'class="curve-base"' not in page
    compared = journey("render", TO_BE, "-f", "html", "--compare", "-o", "-").stdout.decode()
    assert 'class="curve-base"' in compared and "The dashed curve is the current state" in compared
    assert "Current vs future" not in journey("render", AS_IS, "-f", "html", "-o", "-").stdout.decode()


def test_the_future_state_exports_to_mermaid_like_any_map():
    for form in ("mermaid", "mermaid-journey"):
        done = journey("render", TO_BE, "-f", form)
        assert done.returncode == 0, done.stderr
        out = done.stdout.decode()
        assert "Chooses substitutions" in out and "Reads reviews" in out

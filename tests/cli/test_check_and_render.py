"""`journey check` and `journey render -f json` as a user runs them: formats, exit codes, stdin."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from golden import assert_golden
from conftest import EXAMPLES, ROOT

TESTDATA = ROOT / "tests" / "testdata" / "core"


def journey(*args: str, cwd: Path | None = None, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "journeymap.cli", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
    )


BROKEN = 'stage s {\n  touchpoint checkout "Checkout"\n  touchpoint landing\n}\nlanding -> chekout\n'


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    path = tmp_path / "broken.journey"
    path.write_text(BROKEN)
    return path


def test_text_format_has_location_excerpt_caret_and_help(broken: Path):
    done = journey("check", broken.name, cwd=broken.parent)
    assert done.returncode == 1
    out = done.stdout.decode()
    assert out.splitlines()[0] == "broken.journey:5:12: error[E011]: unknown touchpoint 'chekout'"
    assert "5 | landing -> chekout" in out
    caret_line = next(line for line in out.splitlines() if line.strip().endswith("^^^^^^^"))
    excerpt_line = next(line for line in out.splitlines() if "landing -> chekout" in line)
    assert caret_line.index("^") == excerpt_line.index("chekout")
    assert "help: did you mean 'checkout'?" in out
    assert "Traceback" not in done.stderr.decode()


def test_json_format(broken: Path):
    done = journey("check", "--format", "json", broken.name, cwd=broken.parent)
    assert done.returncode == 1
    assert json.loads(done.stdout) == [
        {
            "file": "broken.journey",
            "line": 5,
            "column": 12,
            "severity": "error",
            "code": "E011",
            "message": "unknown touchpoint 'chekout'",
            "help": "did you mean 'checkout'?",
        }
    ]


def test_github_format(broken: Path):
    done = journey("check", "--format", "github", broken.name, cwd=broken.parent)
    assert done.returncode == 1
    line = done.stdout.decode().strip()
    assert line.startswith("::error file=broken.journey,line=5,col=12,title=E011::unknown touchpoint 'chekout'")
    assert "%0Ahelp: did you mean 'checkout'?" in line


def test_warnings_pass_unless_strict(tmp_path: Path):
    path = tmp_path / "w.journey"
    path.write_text("stage empty\nstage s { touchpoint t }\n")
    assert journey("check", str(path)).returncode == 0
    strict = journey("check", "--strict", str(path))
    assert strict.returncode == 1
    assert "warning[W002]" in strict.stdout.decode()


def test_missing_file_is_exit_2(tmp_path: Path):
    done = journey("check", str(tmp_path / "nope.journey"))
    assert done.returncode == 2
    assert "cannot read" in done.stderr.decode()
    assert "Traceback" not in done.stderr.decode()


def test_missing_file_wins_over_errors(tmp_path: Path, broken: Path):
    done = journey("check", str(broken), str(tmp_path / "nope.journey"))
    assert done.returncode == 2
    assert "E011" in done.stdout.decode()


def test_standard_input():
    done = journey("check", "-", stdin=BROKEN.encode())
    assert done.returncode == 1
    assert done.stdout.decode().startswith("-:5:12: error[E011]")


def test_every_example_checks_cleanly():
    done = journey("check", *map(str, EXAMPLES))
    assert len(EXAMPLES) >= 4
    assert done.returncode == 0, done.stdout.decode()
    assert done.stdout == b""


def test_render_json_of_the_spec_example_matches_the_golden():
    done = journey("render", "spec-example.journey", "-f", "json", cwd=TESTDATA)
    assert done.returncode == 0, done.stderr.decode()
    assert_golden(done.stdout.decode(), TESTDATA / "spec-example.json")


def test_render_json_from_standard_input_and_errors_give_no_output():
    good = journey("render", "-", "-f", "json", stdin=b"stage s { touchpoint a }\n")
    assert good.returncode == 0
    model = json.loads(good.stdout)
    assert model["title"] is None
    assert model["touchpoints"][0]["source"] == {"file": "-", "line": 1, "column": 11}
    bad = journey("render", "-", "-f", "json", stdin=BROKEN.encode())
    assert bad.returncode == 1
    assert bad.stdout == b""
    assert "E011" in bad.stderr.decode()


def test_render_json_to_a_file_is_atomic_and_leaves_the_old_file_on_failure(tmp_path: Path, broken: Path):
    good = tmp_path / "good.journey"
    good.write_text("stage s { touchpoint a }\n")
    out = tmp_path / "out.json"
    assert journey("render", str(good), "-f", "json", "-o", str(out)).returncode == 0
    before = out.read_bytes()
    assert json.loads(before)["touchpoints"][0]["id"] == "a"
    assert journey("render", str(broken), "-f", "json", "-o", str(out)).returncode == 1
    assert out.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_render_refuses_a_symlinked_output(tmp_path: Path):
    good = tmp_path / "good.journey"
    good.write_text("stage s { touchpoint a }\n")
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    link = tmp_path / "out.json"
    os.symlink(victim, link)
    done = journey("render", str(good), "-f", "json", "-o", str(link))
    assert done.returncode == 2
    assert victim.read_text() == "keep me"


def test_render_refuses_to_overwrite_its_input(tmp_path: Path):
    good = tmp_path / "good.journey"
    good.write_text("stage s { touchpoint a }\n")
    done = journey("render", str(good), "-f", "json", "-o", str(good))
    assert done.returncode == 2
    assert good.read_text() == "stage s { touchpoint a }\n"


def test_unknown_persona_filter_is_a_usage_error(tmp_path: Path):
    good = tmp_path / "good.journey"
    good.write_text('persona maya\nstage s { touchpoint a }\n')
    done = journey("render", str(good), "-f", "json", "--persona", "mia")
    assert done.returncode == 2
    assert "unknown persona 'mia'" in done.stderr.decode()


def test_persona_filter_keeps_shared_touchpoints():
    done = journey("render", str(ROOT / "examples" / "two-personas-air-travel.journey"), "-f", "json",
                   "--persona", "business")
    model = json.loads(done.stdout)
    ids = [t["id"] for t in model["touchpoints"]]
    assert "fast_track" in ids and "search" in ids
    assert "bag_drop" not in ids
    assert all(t["from"] in ids and t["to"] in ids for t in model["transitions"])

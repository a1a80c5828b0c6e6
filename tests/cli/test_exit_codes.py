"""Exit codes as scripts see them: usage errors are 2 with click's message (run() handles
click's exceptions itself, to tell Ctrl-C and broken pipes apart), and a failed write on any
command's write path is 2 with a message, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

MAP = "stage s { touchpoint a }\n"


def journey(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "journeymap.cli", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "a.journey").write_text(MAP)
    (tmp_path / "b.journey").write_text(MAP)
    (tmp_path / "day.mmd").write_text("journey\n  title Day\n  section Go\n    Walk: 5: Me\n")
    return tmp_path


@pytest.mark.parametrize(("args", "message"), [
    ([], "Usage: journey [OPTIONS] COMMAND"),
    (["nope"], "Error: No such command 'nope'."),
    (["--bogus"], "Error: No such option"),
    (["render"], "Error: Missing argument 'FILES...'."),
    (["render", "a.journey", "-j", "0"], "Error: Invalid value for '-j' / '--jobs'"),
    (["render", "a.journey", "-f", "gif"], "Error: Invalid value for '-f' / '--format'"),
    (["render", "a.journey", "--persona"], "Error: Option '--persona' requires an argument."),
    (["render", "a.journey", "-o", ""], "Error: -o needs a file or folder name, or - for standard output"),
    (["check", "--format", "xml", "a.journey"], "Error: Invalid value for '--format'"),
    (["fmt"], "Error: Missing argument 'FILES...'."),
    (["diff", "a.journey"], "Error: give OLD and NEW"),
    (["new", "--template", "nope"], "Error: Invalid value for '-t' / '--template'"),
    (["import"], "Error: Missing argument 'SOURCE'."),
])
def test_usage_errors_exit_2_with_clicks_message(folder, args, message):
    done = journey(*args, cwd=folder)
    assert done.returncode == 2, done.stderr
    assert message in done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""


@pytest.mark.parametrize("args", [
    ["render", "a.journey", "-f", "json", "-o", "/proc/nowhere.json"],
    ["render", "a.journey", "b.journey", "-f", "json", "-o", "/proc/nowhere/"],
    ["import", "day.mmd", "-o", "/proc/nowhere.journey"],
    ["import", "day.mmd", "--force", "-o", "/proc/nowhere.journey"],
    ["new", "/proc/nowhere"],
], ids=["render", "render-folder", "import", "import-force", "new"])
def test_an_output_that_cannot_be_written_is_exit_2_with_a_message(folder, args):
    done = journey(*args, cwd=folder)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert "journey: cannot " in done.stderr and "/proc/nowhere" in done.stderr


def test_a_current_folder_that_was_removed_is_exit_2_with_a_message(tmp_path):
    (tmp_path / "gone").mkdir()
    done = subprocess.run(["/bin/sh", "-c", 'cd gone && rmdir ../gone && exec "$@"', "sh", sys.executable, "-m",
                           "journeymap.cli", "check", "-"], cwd=tmp_path, input=MAP, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert done.stderr == "journey: the current folder no longer exists; cd to one that does\n"

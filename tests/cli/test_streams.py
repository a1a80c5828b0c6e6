"""Standard streams as users and CI leave them: closed (`<&-`, `>&-`), full (`> /dev/full`),
a reader that stops reading (`| head -1`), and terminals whose encoding is not UTF-8. No
traceback, ever; I/O trouble exits 2 with a message, a broken pipe exits 141 quietly, and
machine output stays exact UTF-8 whatever the locale."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import require_executable

COMMAND = [sys.executable, "-m", "journeymap.cli"]
UNICODE = ('title "Café ☕"\npersona zoë "Zoë Ø"\npersona max\n'
           'stage s "Étape" {\n  touchpoint ä "Äpfel" { persona zoë }\n  touchpoint b { persona max }\n}\n')
BROKEN = UNICODE + "ä -> öö\n"
UGLY = 'title "Café ☕"\nstage s "Étape" {touchpoint ä "Äpfel"}\n'


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "uni.journey").write_text(UNICODE, encoding="utf-8")
    (tmp_path / "broken.journey").write_text(BROKEN, encoding="utf-8")
    (tmp_path / "ugly.journey").write_text(UGLY, encoding="utf-8")
    (tmp_path / "day.mmd").write_text("journey\n  title Café\n  section Gö\n    Wälk: 5: Me\n", encoding="utf-8")
    return tmp_path


def shell(redirect: str, *args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    """`journey ARGS REDIRECT` run by /bin/sh, as in a terminal or a CI step."""
    return subprocess.run(["/bin/sh", "-c", f'"$@" {redirect}', "sh", *COMMAND, *args], cwd=cwd,
                          capture_output="2>" not in redirect, timeout=120, env={**os.environ, **(env or {})})


def no_traceback(done: subprocess.CompletedProcess) -> str:
    err = (done.stderr or b"").decode("utf-8", "replace")
    assert "Traceback" not in err, err
    return err


@pytest.mark.parametrize("args", [["check", "-"], ["render", "-", "-f", "json"], ["fmt", "-"], ["import", "-"]])
def test_closed_standard_input(folder, args):
    done = shell("<&-", *args, cwd=folder)
    err = no_traceback(done)
    assert done.returncode == 2, err
    assert "journey: cannot read standard input: it is closed" in err


CLOSED_OUTPUT_CASES = [
    ["render", "uni.journey", "-f", "json"],
    ["render", "uni.journey", "-f", "svg", "-o", "-"],
    ["check", "broken.journey"],
    ["check", "--format", "json", "broken.journey"],
    ["check", "--format", "github", "broken.journey"],
    ["fmt", "--diff", "ugly.journey"],
    ["diff", "--format", "json", "uni.journey", "ugly.journey"],
    ["diff", "uni.journey", "ugly.journey"],
    ["new", "-"],
    ["new", "--list"],
    ["import", "day.mmd"],
]


@pytest.mark.parametrize("args", CLOSED_OUTPUT_CASES, ids=lambda args: "-".join(args[:3]))
@pytest.mark.parametrize("redirect", [">&-", "> /dev/full"], ids=["closed", "full"])
def test_standard_output_closed_or_full_is_exit_2_with_a_message(folder, args, redirect):
    if "svg" in args:
        require_executable("dot")
    done = shell(redirect, *args, cwd=folder)
    err = no_traceback(done)
    assert done.returncode == 2, err
    reason = "it is closed" if redirect == ">&-" else "no space left on device"
    assert f"journey: cannot write to standard output: {reason}" in err
    assert sorted(p.name for p in folder.iterdir()) == ["broken.journey", "day.mmd", "ugly.journey", "uni.journey"]


@pytest.mark.parametrize(("redirect", "check_status"), [(">&-", 2), ("2>&-", 1), (">&- 2>&-", 2)])
def test_closed_standard_streams_do_not_stop_a_render_to_a_file(folder, redirect, check_status):
    done = shell(redirect, "render", "uni.journey", "-f", "json", "-o", "out.json", cwd=folder)
    assert done.returncode == 0, no_traceback(done)
    assert json.loads((folder / "out.json").read_text(encoding="utf-8"))["title"] == "Café ☕"
    # check prints diagnostics on standard output: closed, that is I/O trouble (2); with only
    # standard error closed the diagnostics are shown and the status is the input's (1)
    checked = shell(redirect, "check", "broken.journey", cwd=folder)
    assert checked.returncode == check_status, no_traceback(checked)


def broken_pipe(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """Standard output is a pipe nobody reads any more (`journey ... | head -1` after head
    has gone); closing the reading end first makes the broken pipe certain."""
    reading, writing = os.pipe()
    os.close(reading)
    try:
        return subprocess.run([*COMMAND, *args], cwd=cwd, stdout=writing, stderr=subprocess.PIPE, timeout=120)
    finally:
        os.close(writing)


@pytest.mark.parametrize("args", [["render", "uni.journey", "-f", "json"], ["check", "broken.journey"],
                                  ["check", "--format", "json", "broken.journey"], ["fmt", "--diff", "ugly.journey"],
                                  ["new", "--list"]],
                         ids=lambda args: "-".join(args[:3]))
def test_a_broken_pipe_stops_quietly_with_141(folder, args):
    done = broken_pipe(*args, cwd=folder)
    assert done.returncode == 141, done.stderr.decode()
    assert done.stderr == b""


NOT_UTF8 = {
    "ascii": {"PYTHONIOENCODING": "ascii"},
    "c-locale": {"LC_ALL": "C", "PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0"},
}
MACHINE_OUTPUTS = [
    ["render", "uni.journey", "-f", "json"],
    ["render", "uni.journey", "-f", "json", "--persona", "zoë"],  # a text argument, typed in UTF-8
    ["render", "uni.journey", "-f", "mermaid"],
    ["render", "uni.journey", "-f", "mermaid-journey"],
    ["render", "uni.journey", "-f", "dot"],
    ["render", "uni.journey", "-f", "html", "-o", "-"],
    ["render", "uni.journey", "-f", "text"],
    ["check", "--format", "json", "broken.journey"],
    ["check", "--format", "github", "broken.journey"],
    ["fmt", "--diff", "ugly.journey"],
    ["diff", "--format", "json", "uni.journey", "ugly.journey"],
    ["import", "day.mmd"],
    ["new", "-", "--title", "Ünïcode ☕"],
]


@pytest.mark.parametrize("locale", sorted(NOT_UTF8))
def test_machine_output_is_the_same_utf8_on_any_terminal(folder, locale):
    for args in MACHINE_OUTPUTS:
        utf8 = subprocess.run([*COMMAND, *args], cwd=folder, capture_output=True, timeout=120,
                              env={**os.environ, "PYTHONIOENCODING": "utf-8"})
        other = subprocess.run([*COMMAND, *args], cwd=folder, capture_output=True, timeout=120,
                               env={**os.environ, **NOT_UTF8[locale]})
        no_traceback(other)
        assert other.returncode == utf8.returncode, (args, other.stderr)
        assert other.stdout == utf8.stdout, args
        assert not utf8.stdout.isascii(), args  # the case under test: there is UTF-8 to keep


@pytest.mark.parametrize("locale", sorted(NOT_UTF8))
def test_fmt_of_standard_input_is_the_same_utf8_on_any_terminal(folder, locale):
    done = subprocess.run([*COMMAND, "fmt", "-"], cwd=folder, input=UGLY.encode(), capture_output=True,
                          timeout=120, env={**os.environ, **NOT_UTF8[locale]})
    assert done.returncode == 0, no_traceback(done)
    assert done.stdout.decode("utf-8") == 'title "Café ☕"\nstage s "Étape" { touchpoint ä "Äpfel" }\n'


@pytest.mark.parametrize("locale", sorted(NOT_UTF8))
def test_text_for_people_degrades_to_escapes(folder, locale):
    done = subprocess.run([*COMMAND, "check", "broken.journey"], cwd=folder, capture_output=True, timeout=120,
                          env={**os.environ, **NOT_UTF8[locale]})
    assert done.returncode == 1, no_traceback(done)
    out = done.stdout.decode("ascii")
    assert out.splitlines()[0] == "broken.journey:8:6: error[E011]: unknown touchpoint '\\xf6\\xf6'"
    assert done.stderr.decode("ascii") == "checked 1 file: 1 error\n"

"""File names from strangers: bytes that are not UTF-8, line breaks, terminal escapes and
bidirectional overrides in a name are shown as the display name (journeymap.display) in every
output, as a user runs `journey`: valid UTF-8, a `FILE:LINE:COL` line that stays one line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from journeymap.display import display_name

# Raw names as a file system hands them over (the bytes of a name made on another system).
HOSTILE = {
    "latin-1": b"m\xffap",
    "newline": b"two\nlines",
    "carriage-return": b"back\rwards",
    "terminal-escape": b"red\x1b[31m",
    "bidi-override": "\u202eevil".encode(),
    "line-separator": "para\u2028graph".encode(),
}
# Python's own stdout for a UTF-8 locale other than C.UTF-8 (en_US.UTF-8 and most desktops)
# encodes strictly; C.UTF-8 passes lone surrogates through as raw bytes. Both are tried.
STRICT = {"PYTHONIOENCODING": "utf-8:strict"}
BROKEN = b"stage s { touchpoint a }\nx -> a\n"
GOOD = b"stage s { touchpoint a \"\xc3\x84pfel\" }\n"


def journey(*args: str | bytes, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "journeymap.cli", *args], cwd=cwd, capture_output=True,
                          env={**os.environ, **(env or {})}, timeout=120)


def clean(done: subprocess.CompletedProcess, status: int) -> None:
    assert b"Traceback" not in done.stderr, done.stderr.decode("utf-8", "replace")
    assert done.returncode == status, done.stderr.decode("utf-8", "replace")
    done.stdout.decode("utf-8")  # strictly: machine output is valid UTF-8
    done.stderr.decode("utf-8")


@pytest.fixture(params=sorted(HOSTILE), ids=sorted(HOSTILE))
def named(request, tmp_path) -> tuple[Path, bytes, str]:
    """A folder with a broken map and a good one whose names start with the hostile part."""
    raw = HOSTILE[request.param]
    (tmp_path / os.fsdecode(raw + b".journey")).write_bytes(BROKEN)
    (tmp_path / os.fsdecode(raw + b"-ok.journey")).write_bytes(GOOD)
    return tmp_path, raw, display_name(os.fsdecode(raw + b".journey"))


@pytest.mark.parametrize("env", [{}, STRICT], ids=["default", "strict-utf8"])
def test_check_shows_the_display_name_in_every_format(named, env):
    folder, raw, shown = named
    name = raw + b".journey"
    text = journey("check", name, cwd=folder, env=env)
    clean(text, 1)
    lines = text.stdout.decode().splitlines()
    assert lines[0] == f"{shown}:2:1: error[E011]: unknown touchpoint 'x'"
    assert lines[1:4] == ["  |", "2 | x -> a", "  | ^"]  # the headline did not split
    as_json = journey("check", "--format", "json", name, cwd=folder, env=env)
    clean(as_json, 1)
    assert [d["file"] for d in json.loads(as_json.stdout)] == [shown]
    github = journey("check", "--format", "github", name, cwd=folder, env=env)
    clean(github, 1)
    annotation = f"::error file={shown},line=2,col=1,title=E011::unknown touchpoint 'x'"
    assert github.stdout.decode().splitlines() == [annotation]


def test_json_names_the_source_and_titles_the_map_by_display_name(named):
    folder, raw, _ = named
    name = raw + b"-ok.journey"
    done = journey("render", name, "-f", "json", cwd=folder, env=STRICT)
    clean(done, 0)
    model = json.loads(done.stdout)
    assert model["title"] == display_name(os.fsdecode(raw + b"-ok"))
    assert model["touchpoints"][0]["source"]["file"] == display_name(os.fsdecode(name))


@pytest.mark.parametrize("format_name", ["html", "svg", "mermaid-journey", "dot"])
@pytest.mark.parametrize("env", [{}, STRICT], ids=["default", "strict-utf8"])
def test_a_name_that_is_not_utf8_renders_in_every_format(tmp_path, format_name, env):
    raw = HOSTILE["latin-1"]
    (tmp_path / os.fsdecode(raw + b".journey")).write_bytes(GOOD)
    title = display_name(os.fsdecode(raw))  # the default title, made from the file name
    shown = title.replace("\\", "\\\\") if format_name == "dot" else title  # DOT doubles backslashes
    done = journey("render", raw + b".journey", "-f", format_name, "-o", "-", cwd=tmp_path, env=env)
    clean(done, 0)
    assert shown in done.stdout.decode()
    beside = journey("render", raw + b".journey", "-f", format_name, cwd=tmp_path, env=env)
    clean(beside, 0)
    if format_name == "svg":
        assert shown in (tmp_path / os.fsdecode(raw + b".svg")).read_bytes().decode("utf-8")


def test_fmt_diff_and_new_with_such_names(named):
    folder, raw, shown = named
    ugly = folder / os.fsdecode(raw + b"-ugly.journey")
    ugly.write_bytes(b"stage s {touchpoint a}\n")
    shown_ugly = display_name(str(ugly.name))
    diff = journey("fmt", "--diff", ugly.name, cwd=folder, env=STRICT)
    clean(diff, 1)
    assert diff.stdout.decode().startswith(f"--- {shown_ugly} (original)\n+++ {shown_ugly} (formatted)\n")
    assert diff.stderr.decode() == f"would reformat {shown_ugly}\n"
    written = journey("fmt", ugly.name, cwd=folder, env=STRICT)
    clean(written, 0)
    assert ugly.read_bytes() == b"stage s { touchpoint a }\n"
    semantic = journey("diff", raw + b"-ok.journey", ugly.name, cwd=folder, env=STRICT)
    clean(semantic, 3)  # the maps differ
    created = journey("new", raw + b"-new", cwd=folder, env=STRICT)
    clean(created, 0)
    assert created.stderr.decode().startswith(f"wrote {display_name(os.fsdecode(raw + b'-new.journey'))}:")

"""docs/research.md stays true: its maps compile cleanly, its commands run as written from the
repository's root, and the priorities it works out by hand are the ones `journey plan` gives."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys

import pytest

import journeymap
from conftest import ROOT

DOC = (ROOT / "docs" / "research.md").read_text(encoding="utf-8")
MAPS = re.findall(r"```journey\n(.*?)```", DOC, re.S)
COMMANDS = [line for block in re.findall(r"```sh\n(.*?)```", DOC, re.S) for line in block.splitlines() if line]


def journey(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "journeymap.cli", *args], cwd=ROOT, capture_output=True, text=True)


@pytest.mark.parametrize("number", range(len(MAPS)))
def test_the_maps_in_the_doc_compile_without_problems(number):
    found = journeymap.compile_text(MAPS[number], "research.journey")
    assert list(found.diagnostics) == []


def test_the_doc_shows_a_map_that_cites_sources():
    assert len(MAPS) >= 2 and "confidence assumed" in MAPS[0] and "evidence" in MAPS[1]


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_runs_as_written(command):
    words = shlex.split(command)
    assert words[0] == "journey"
    args = []
    for word in words[1:]:  # the shell's glob, as the reader's shell would expand it
        args += sorted(str(p.relative_to(ROOT)) for p in ROOT.glob(word)) if "*" in word else [word]
    done = journey(*args)
    assert done.returncode == 0, (command, done.stderr)
    assert done.stdout


def test_the_worked_priorities_are_the_plans():
    done = journey("plan", *sorted(str(p.relative_to(ROOT)) for p in ROOT.glob("examples/*.journey")),
                   "--format", "json")
    # the current state's ideas (the future state has the fee idea too, done there)
    items = {item["title"]: item for item in json.loads(done.stdout)["items"]
             if item["file"] == "examples/ecommerce-first-order.journey"}
    first = items["Show the delivery fee on the basket from the first item"]
    assert first["rank"] == 1 and first["priority"] == 15.6 and first["touchpoint"]["hotspot"] == 4.2
    photo = items["Re-order from a photo of a paper list"]
    assert round(photo["priority"], 2) == 0.73 and photo["opportunity"]["assumed"] is True
    assert "15.6" in DOC and "0.73" in DOC


def test_the_diff_messages_quoted_are_the_ones_given(tmp_path):
    """The doc quotes `journey diff` on the e-commerce example whose friend's recommendation
    gets validated by the survey and whose checkout converts better."""
    draft = (ROOT / "examples" / "ecommerce-first-order.journey").read_text(encoding="utf-8")
    guess = "entry 20%\n    confidence assumed"
    assert guess in draft  # the friend's recommendation is still a guess in the example
    validated = draft.replace(guess, "entry 20%\n    evidence survey_q1\n    confidence observed")
    validated = validated.replace('"pays" { rate 60%;', '"pays" { rate 65%;')
    validated = validated.replace('"gives up" { rate 20%;', '"gives up" { rate 15%;')
    (tmp_path / "draft.journey").write_text(draft, encoding="utf-8")
    (tmp_path / "validated.journey").write_text(validated, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "journeymap.cli", "diff", "draft.journey", "validated.journey"],
                          cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 3, done.stderr
    for quoted in re.findall(r"`((?:touchpoint|stats) [^`]+)`", DOC):
        assert quoted in done.stdout, quoted
    assert len(re.findall(r"`((?:touchpoint|stats) [^`]+)`", DOC)) == 3


def test_the_check_the_doc_describes_flags_the_guessed_rate():
    done = journey("check", "--require-evidence", "examples/ecommerce-first-order.journey")
    assert done.returncode == 0
    assert "warning[W010]: the rate of second_order -> referral cites no evidence" in done.stdout
    assert "the referral rate is still the team's guess" in DOC

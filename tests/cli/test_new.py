"""`journey new`: starter maps from stage templates, as a user runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import journeymap
from journeymap.starters import STARTERS, starter_map, title_from_name

# Stage ids and labels spec section 9 asks for.
EXPECTED_STAGES = {
    "aida": ["awareness", "consideration", "decision", "retention", "advocacy"],
    "five-a": ["aware", "appeal", "ask", "act", "advocate"],
    "b2b": ["challenge", "research", "evaluation", "decision"],
    "service": ["inquiry", "comparison", "purchase", "installation", "loyalty"],
}


def journey(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "journeymap.cli", *args], cwd=cwd, capture_output=True)


@pytest.mark.parametrize("template", sorted(EXPECTED_STAGES))
def test_each_template_writes_a_map_that_checks_clean(tmp_path: Path, template: str):
    done = journey("new", "my-map", "--template", template, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    path = tmp_path / "my-map.journey"
    compilation = journeymap.compile_file(path)
    assert compilation.diagnostics == []
    stages = compilation.journey.stages
    assert [s.id for s in stages] == EXPECTED_STAGES[template]
    assert compilation.journey.title == "My map"
    checked = journey("check", "--strict", "my-map.journey", cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_placeholders_are_commented_out(tmp_path: Path):
    journey("new", "m.journey", cwd=tmp_path)
    text = (tmp_path / "m.journey").read_text()
    for attribute in ("action", "thought", "emotion", "pain", "opportunity", "persona", "duration", "kpi"):
        assert f"# {attribute} " in text or f"#   {attribute} " in text, attribute
    assert "# touchpoint " in text


def test_never_overwrites_an_existing_file(tmp_path: Path):
    target = tmp_path / "mine.journey"
    target.write_text("title \"Precious\"\n")
    done = journey("new", "mine", cwd=tmp_path)
    assert done.returncode == 2
    assert b"already exists" in done.stderr and b"Traceback" not in done.stderr
    assert target.read_text() == "title \"Precious\"\n"


def test_never_writes_through_a_symlink(tmp_path: Path):
    (tmp_path / "elsewhere.journey").write_text("keep")
    os.symlink(tmp_path / "missing-target.journey", tmp_path / "link.journey")
    done = journey("new", "link", cwd=tmp_path)
    assert done.returncode == 2
    assert not (tmp_path / "missing-target.journey").exists()


def test_default_name_and_folder_and_missing_parent(tmp_path: Path):
    assert journey("new", cwd=tmp_path).returncode == 0
    assert (tmp_path / "customer-journey.journey").exists()
    (tmp_path / "maps").mkdir()
    folder = journey("new", "maps/", cwd=tmp_path)
    assert folder.returncode == 2 and b"is a folder" in folder.stderr
    missing = journey("new", "nowhere/m", cwd=tmp_path)
    assert missing.returncode == 2 and b"cannot create" in missing.stderr and b"Traceback" not in missing.stderr
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary left


def test_dash_writes_to_standard_output(tmp_path: Path):
    done = journey("new", "-", "--template", "b2b", "--title", 'Say "hi" \\ now', cwd=tmp_path)
    assert done.returncode == 0
    assert list(tmp_path.iterdir()) == []
    compilation = journeymap.compile_text(done.stdout)
    assert compilation.diagnostics == []
    assert compilation.journey.title == 'Say "hi" \\ now'


def test_list_shows_every_template_and_its_stages(tmp_path: Path):
    done = journey("new", "--list", cwd=tmp_path)
    assert done.returncode == 0
    out = done.stdout.decode()
    for name, starter in STARTERS.items():
        assert name in out
        assert all(stage.label in out for stage in starter.stages)
    assert list(tmp_path.iterdir()) == []


def test_unknown_template_is_a_usage_error(tmp_path: Path):
    done = journey("new", "x", "--template", "nope", cwd=tmp_path)
    assert done.returncode == 2 and not (tmp_path / "x.journey").exists()


@pytest.mark.parametrize("name", ['odd "name" \\ with\ttab', "ümlaut-map", "\x07bell", "-", ""])
def test_titles_from_any_name_compile(name: str):
    title = title_from_name(name)
    compilation = journeymap.compile_text(starter_map("aida", title))
    assert compilation.diagnostics == []
    assert compilation.journey.title == title

"""docs/diagnostics.md stays true: every code has a section whose broken snippet really gives
that code and whose fixed snippet does not."""

from __future__ import annotations

import re

import pytest

import journeymap
from conftest import ROOT
from journeymap.diagnostics import CODES

DOC = (ROOT / "docs" / "diagnostics.md").read_text(encoding="utf-8")
SECTIONS = dict(re.findall(r"^## (\w\d{3})\n(.*?)(?=^## |\Z)", DOC, re.S | re.M))


def snippets(section: str) -> tuple[str, str]:
    broken, fixed = re.findall(r"```journey\n(.*?)```", section, re.S)
    return broken, fixed


def other_files(section: str) -> dict[str, str]:
    """Blocks written ```journey NAME: files the snippets need beside them (a base map)."""
    return dict(re.findall(r"```journey ([\w.-]+)\n(.*?)```", section, re.S))


def test_every_code_has_a_section():
    assert set(SECTIONS) == set(CODES)


@pytest.mark.parametrize("code", sorted(CODES))
def test_broken_snippet_gives_the_code_and_the_fix_removes_it(code, tmp_path):
    broken, fixed = snippets(SECTIONS[code])
    root = tmp_path / "run" / "docs"
    root.mkdir(parents=True)
    for name, text in other_files(SECTIONS[code]).items():
        (root / name).write_text(text)
    options = {"require_evidence": True} if code == "W010" else {}  # `journey check --require-evidence`
    found = journeymap.compile_text(broken, str(root / "map.journey"), base_dir=root, **options)
    assert code in [d.code for d in found.diagnostics]
    assert f"[{code}]" in SECTIONS[code].split("prints:", 1)[1]
    if code != "E030":  # its fix is creating the missing file
        fixed_run = journeymap.compile_text(fixed, str(root / "map.journey"), base_dir=root, **options)
        assert code not in [d.code for d in fixed_run.diagnostics]

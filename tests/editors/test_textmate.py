"""The TextMate grammar: made from the language's schema, its hand-written assertions pass in
vscode-tmgrammar-test, and on every example it scopes what journeymap's own parser reads: each
statement's name as a keyword, each string as a string, each transition endpoint as one."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

import journeymap
from conftest import EXAMPLES
from editors.tools import EXTENSION, editor_tools, node  # noqa: F401 (fixtures)
from journeymap import language as lang
from journeymap.lsp.textmate import grammar_json, textmate_grammar

GRAMMAR = EXTENSION / "syntaxes" / "journey.tmLanguage.json"


def test_the_committed_grammar_is_the_one_the_schema_makes():
    if os.environ.get("JOURNEY_ACCEPT_GOLDEN") == "1":
        GRAMMAR.write_text(grammar_json(), encoding="utf-8")
    assert GRAMMAR.read_text(encoding="utf-8") == grammar_json(), (
        "run: python -m journeymap.lsp.textmate > editors/vscode/syntaxes/journey.tmLanguage.json")


def test_every_statement_of_the_schema_is_in_the_grammar():
    import re

    words = set()
    for match in re.finditer(r"\(((?:[a-z-]+\|)*[a-z-]+)\)", json.dumps(textmate_grammar())):
        words.update(match.group(1).split("|"))
    assert set(lang.keywords()) <= words, set(lang.keywords()) - words


def _unit(node, tools, *patterns):
    runner = tools / "vscode-tmgrammar-test" / "dist" / "unit.js"
    return subprocess.run([node, str(runner), "-g", str(GRAMMAR), "-c", *patterns], cwd=EXTENSION,
                          capture_output=True, text=True, timeout=120)


def test_the_grammar_assertions_pass(node, editor_tools):
    done = _unit(node, editor_tools, "tests/*.test.journey")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "run successfuly" in done.stdout


def test_a_wrong_assertion_fails(node, editor_tools, tmp_path):
    """The tool really checks: a wrong scope fails the run."""
    case = EXTENSION / "tests" / "statements.test.journey"
    broken = tmp_path / "broken.test.journey"
    broken.write_text(case.read_text(encoding="utf-8").replace("keyword.control.import.journey",
                                                               "string.quoted.double.journey"), encoding="utf-8")
    done = _unit(node, editor_tools, str(broken))
    assert done.returncode != 0 and "Missing required scopes" in done.stdout


def _snapshots(node, tools, folder) -> dict[str, list[list[tuple[int, int, str]]]]:
    """vscode-tmgrammar-snap's tokens of each file: per source line, (start, end, scopes)."""
    runner = tools / "vscode-tmgrammar-test" / "dist" / "snapshot.js"
    done = subprocess.run([node, str(runner), "--config", str(EXTENSION / "package.json"), "-u", "*.journey"],
                          cwd=folder, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    out = {}
    for snap in folder.glob("*.snap"):
        lines: list[list[tuple[int, int, str]]] = []
        for row in snap.read_text(encoding="utf-8").split("\n"):
            if row.startswith(">"):
                lines.append([])
            elif row.startswith("#") and lines:
                marks = row[1:]
                start = len(marks) - len(marks.lstrip(" "))
                carets = len(marks[start:]) - len(marks[start:].lstrip("^"))
                lines[-1].append((start + 1, start + 1 + carets, marks[start + carets:].strip()))
        out[snap.name.removesuffix(".snap")] = lines
    return out


def _scope_at(lines, line: int, column: int, text: str) -> str:
    row = text.split("\n")[line - 1]
    unit = len(row[: column - 1].encode("utf-16-le")) // 2 + 1
    for start, end, scopes in lines[line - 1]:
        if start <= unit < end:
            return scopes
    return ""


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_on_the_examples_the_grammar_agrees_with_the_parser(node, editor_tools, tmp_path, example):
    shutil.copy(example, tmp_path / example.name)
    tokens = _snapshots(node, editor_tools, tmp_path)[example.name]
    text = example.read_text(encoding="utf-8")
    assert "invalid" not in json.dumps(tokens)
    document, problems = journeymap.parse(text, example.name)
    assert problems == []
    checked = 0

    def visit(statements, scope):
        nonlocal checked
        for node_ in statements:
            if hasattr(node_, "endpoints"):
                for endpoint in node_.endpoints:
                    assert "entity.name.function" in _scope_at(tokens, endpoint.span.line, endpoint.span.column, text)
                values = [node_.label] if node_.label else []
                inner = lang.TRANSITION
            else:
                name = node_.name
                found = _scope_at(tokens, name.span.line, name.span.column, text)
                assert "keyword" in found or "storage.type" in found, (name.text, name.span, found)
                values = list(node_.arguments)
                row = lang.lookup(scope, name.value)
                inner = row.declares if isinstance(row, lang.Declaration) else None
            for value in values:
                found = _scope_at(tokens, value.span.line, value.span.column, text)
                if value.kind == "string":
                    assert "string" in found, (value.text, found)
                elif value.kind == "number":
                    assert "constant.numeric" in found, (value.text, found)
                checked += 1
            if node_.block is not None:
                visit(node_.block.statements, inner)

    visit(document.statements, lang.MAP)
    assert checked > 20

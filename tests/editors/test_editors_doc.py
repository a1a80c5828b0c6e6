"""docs/editors.md works as written: its shell commands run, and its editor configurations
parse and start `journey lsp` (Lua checked by luac, TOML by tomllib, Emacs Lisp by a reader
of s-expressions, JSON settings against the extension's manifest)."""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib

import pytest

from conftest import EXAMPLES, ROOT, require_executable

DOC = ROOT / "docs" / "editors.md"
EXTENSION = ROOT / "editors" / "vscode"


def _blocks(language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```$", DOC.read_text(encoding="utf-8"), flags=re.S | re.M)


def _environment() -> dict:
    """`journey` on PATH as an installed journeymap puts it; a browser that opens nothing."""
    env = dict(os.environ, BROWSER="true")
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    return env


COMMANDS = [line for block in _blocks("sh") for line in block.splitlines() if line.strip()]


def test_the_doc_has_commands_and_every_one_is_run_here():
    assert COMMANDS and all(line.startswith(("journey lsp", "journey watch")) for line in COMMANDS), COMMANDS


@pytest.mark.parametrize("line", COMMANDS)
def test_each_command_runs_as_written(line, tmp_path):
    shutil.copy(next(p for p in EXAMPLES if p.name == "ecommerce-first-order.journey"), tmp_path / "map.journey")
    if not line.startswith("journey watch"):
        done = subprocess.run(["bash", "-c", line], cwd=tmp_path, env=_environment(), capture_output=True,
                              text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        return
    process = subprocess.Popen(["bash", "-c", "exec " + line], cwd=tmp_path, env=_environment(),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first = process.stdout.readline()
        assert "http://127.0.0.1:" in first, first + process.stderr.read()
        port = int(re.search(r"127\.0\.0\.1:(\d+)", first).group(1))
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("GET", "/picture")
        response = connection.getresponse()
        assert response.status == 200 and b"Checkout" in response.read()
        connection.close()
    finally:
        process.terminate()
        assert process.wait(timeout=15) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.journey"]


def test_the_vs_code_settings_are_the_extensions():
    manifest = json.loads((EXTENSION / "package.json").read_text(encoding="utf-8"))
    known = set(manifest["contributes"]["configuration"]["properties"])
    (block,) = _blocks("json")
    assert set(json.loads(block)) <= known


@pytest.mark.parametrize("block", _blocks("lua"))
def test_the_neovim_configurations_parse_and_start_journey_lsp(block, tmp_path):
    luac = require_executable("luac5.4")
    script = tmp_path / "init.lua"
    script.write_text(block, encoding="utf-8")
    done = subprocess.run([luac, "-p", str(script)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert 'cmd = { "journey", "lsp" }' in block and 'journey = "journey"' in block


def test_the_helix_configuration_parses_and_starts_journey_lsp():
    (block,) = _blocks("toml")
    config = tomllib.loads(block)
    assert config["language-server"]["journey"] == {"command": "journey", "args": ["lsp"]}
    (language,) = config["language"]
    assert language["file-types"] == ["journey"] and language["language-servers"] == ["journey"]
    assert language["scope"] == "source.journey"


def _read_sexps(text: str) -> list:
    """Emacs Lisp's shape: lists, strings with escapes, quotes, atoms; raises on unbalanced text."""
    tokens = re.findall(r'"(?:[^"\\]|\\.)*"|[()]|\'|#\'|;[^\n]*|[^\s()\'";]+', text)
    stack: list[list] = [[]]
    for token in tokens:
        if token.startswith(";") or token in ("'", "#'"):
            continue
        if token == "(":
            stack.append([])
        elif token == ")":
            done = stack.pop()
            stack[-1].append(done)
        else:
            stack[-1].append(token)
    assert len(stack) == 1, "unbalanced parentheses"
    return stack[0]


def test_the_emacs_configuration_parses_and_starts_journey_lsp():
    (block,) = _blocks("elisp")
    forms = _read_sexps(block)
    assert [form[0] for form in forms] == ["define-derived-mode", "add-to-list", "with-eval-after-load", "add-hook"]
    flat = json.dumps(forms)
    assert '["journey-mode", "\\"journey\\"", "\\"lsp\\""]' in flat
    with pytest.raises(AssertionError):
        _read_sexps(block + "(")

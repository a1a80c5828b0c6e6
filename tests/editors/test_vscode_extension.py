"""The VS Code extension: its manifest contributes the language, the grammar and the preview
command and starts `journey lsp`; `vsce package` (the official tool) makes a .vsix holding them."""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile

from conftest import require_tool
from editors.tools import EXTENSION, editor_tools, node  # noqa: F401 (fixtures)


def test_the_manifest_names_the_language_the_grammar_and_the_commands():
    manifest = json.loads((EXTENSION / "package.json").read_text(encoding="utf-8"))
    contributes = manifest["contributes"]
    assert contributes["languages"][0]["extensions"] == [".journey"]
    grammar = contributes["grammars"][0]
    assert grammar["scopeName"] == "source.journey" and (EXTENSION / grammar["path"]).is_file()
    assert (EXTENSION / contributes["languages"][0]["configuration"]).is_file()
    assert [c["command"] for c in contributes["commands"]] == ["journeymap.watch"]
    assert contributes["configuration"]["properties"]["journeymap.command"]["default"] == "journey"
    source = (EXTENSION / "extension.js").read_text(encoding="utf-8")
    assert 'args: ["lsp"]' in source and '"watch"' in source
    json.loads((EXTENSION / "language-configuration.json").read_text(encoding="utf-8"))


def test_the_extension_script_parses(node):
    done = subprocess.run([node, "--check", str(EXTENSION / "extension.js")], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_vsce_packages_the_extension(node, editor_tools, tmp_path):
    require_tool((EXTENSION / "node_modules" / "vscode-languageclient").is_dir(),
                 "the extension's dependencies (cd editors/vscode && npm ci --omit=dev)")
    require_tool(shutil.which("npm") is not None, "npm")
    work = tmp_path / "extension"
    shutil.copytree(EXTENSION, work, ignore=shutil.ignore_patterns("*.vsix"))
    vsix = tmp_path / "journeymap.vsix"
    vsce = editor_tools / "@vscode" / "vsce" / "vsce"
    done = subprocess.run([node, str(vsce), "package", "--skip-license", "--allow-missing-repository", "-o", str(vsix)],
                          cwd=work, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    with zipfile.ZipFile(vsix) as archive:
        names = set(archive.namelist())
        manifest = json.loads(archive.read("extension/package.json"))
        assert archive.read("extension/syntaxes/journey.tmLanguage.json") == (
            EXTENSION / "syntaxes" / "journey.tmLanguage.json").read_bytes()
    assert {"extension.vsixmanifest", "extension/extension.js", "extension/language-configuration.json",
            "extension/readme.md", "extension/node_modules/vscode-languageclient/node.js"} <= names
    assert not any(name.startswith("extension/tests/") for name in names)
    assert manifest["name"] == "journeymap" and manifest["main"] == "./extension.js"

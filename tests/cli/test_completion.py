"""Shell completion as the README sets it up: bash, through the line it adds to ~/.bashrc,
completes commands, formats, and map arguments to folders (left open for what is inside) and
.journey files; zsh and fish get click's scripts for the same completions."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import require_tool

BASHRC_LINE = 'eval "$(_JOURNEY_COMPLETE=bash_source journey)"'


@pytest.fixture
def project(tmp_path: Path) -> Path:
    for name in ("docs/maps/first.journey", "docs/maps/second.journey", "docs/notes.txt", "docs/.hidden.journey",
                 "draft.journey"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("")
    return tmp_path


def complete(project: Path, *words: str) -> tuple[list[str], str]:
    """What bash offers for the last of `words` (and the options completion set), with the
    README's line in a fresh ~/.bashrc."""
    require_tool(shutil.which("bash") is not None, "bash")
    home = project / "home"
    home.mkdir(exist_ok=True)
    (home / ".bashrc").write_text(BASHRC_LINE + "\n")
    script = ("source ~/.bashrc\n"
              f"COMP_WORDS=({' '.join(repr(w) for w in words)}); COMP_CWORD={len(words) - 1}\n"
              "_journey_completion journey\n"
              'printf "%s\\n" "${COMPREPLY[@]}"; echo "options: $(compopt journey 2>/dev/null)"\n')
    env = {**os.environ, "HOME": str(home),
           "PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")}
    done = subprocess.run(["bash", "-c", script], cwd=project, env=env, capture_output=True, text=True, timeout=60)
    lines = done.stdout.splitlines()
    return lines[:-1], done.stderr


def test_commands_and_formats(project):
    assert "render" in complete(project, "journey", "re")[0]
    assert complete(project, "journey", "render", "-f", "mer")[0] == ["mermaid", "mermaid-journey"]
    assert complete(project, "journey", "render", "--view", "")[0][:3] == ["flow", "blueprint", "lanes"]


def test_map_arguments_complete_to_folders_and_maps(project):
    offered, _ = complete(project, "journey", "render", "")
    assert offered == ["docs/", "draft.journey", "home/"]  # no hidden files, no other files
    assert complete(project, "journey", "check", "docs/")[0] == ["docs/maps/"]
    assert complete(project, "journey", "fmt", "docs/maps/f")[0] == ["docs/maps/first.journey"]
    assert complete(project, "journey", "diff", "docs/maps/")[0] == ["docs/maps/first.journey",
                                                                     "docs/maps/second.journey"]


def test_a_completed_folder_is_left_open_for_what_is_inside(project):
    """bash would end the word after `docs/`; the script turns that off for folders only."""
    script = subprocess.run(["bash", "-c", BASHRC_LINE + "; declare -f _journey_completion"], cwd=project,
                            env={**os.environ, "PATH": os.path.dirname(sys.executable) + os.pathsep
                                 + os.environ.get("PATH", "")}, capture_output=True, text=True).stdout
    assert "compopt -o nospace" in script and "*/" in script


@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_zsh_and_fish_get_click_s_scripts(shell):
    done = subprocess.run([sys.executable, "-m", "journeymap.cli"], env={**os.environ, "_JOURNEY_COMPLETE": f"{shell}_source"},
                          capture_output=True, text=True)
    assert done.returncode == 0 and "_JOURNEY_COMPLETE" in done.stdout

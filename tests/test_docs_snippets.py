"""Every block in README.md and docs/*.md that a user would copy is run exactly as written, as a
new user would: in a fresh virtual environment where journeymap is installed the way the README
says (from a clone, since it is not on PyPI), in a fresh project per page.

A page's blocks run in page order, in one project:
- a block of commands (```sh) runs with bash -e from the project's top folder;
- a file (yaml, toml, python, rst, markdown) is written where its first line, a comment, says
  (`# mkdocs.yml`, `.. docs/index.rst`, `<!-- docs/index.md -->`); a GitHub workflow is then run:
  its `run:` steps in order, the checkouts standing for the project and the journeymap clone;
- a block that is not meant to be run says why on the line before it, in the page's source:
  `<!-- not run: REASON -->` (and the README's `<!-- test-command -->`, the suite itself, which
  .ci/run runs as written). That list is kept small: see test_few_blocks_are_left_unrun.

The project a page starts from is one the docs describe: a git repository with maps in docs/maps/
(the examples, and the e-commerce one again as first-order.journey), the examples again in
examples/ (as in a clone, where the pages' worked examples run), the e-commerce map as
map.journey at the top, a Mermaid chart day.mmd, and a clone of journeymap in ./journeymap.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import ECOMMERCE, EXAMPLES, ROOT, require_tool

PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
COMMANDS = {"sh", "bash", "shell"}
# Languages of text a user copies into a file of theirs; such a block must name its file.
FILES = {"yaml", "yml", "toml", "python", "rst", "markdown", "md", "ini", "cfg"}
FILE_NAME = {  # the comment that names the file a block is, per language
    "rst": re.compile(r"^\.\. (?P<path>[\w./-]+)\s*$"),
    "markdown": re.compile(r"^<!-- (?P<path>[\w./-]+) -->\s*$"),
    "md": re.compile(r"^<!-- (?P<path>[\w./-]+) -->\s*$"),
}
HASH_FILE_NAME = re.compile(r"^# (?P<path>[\w./-]+\.[\w]+)\s*$")
NOT_RUN = re.compile(r"^<!-- not run: (?P<reason>.+?) -->\s*$")
TEST_COMMAND = "<!-- test-command -->"
MOST_NOT_RUN = 7  # editors.md adds two: a config outside any project, a server; tests/editors runs both
STEP_TIMEOUT = 900


@dataclass
class Block:
    page: Path
    line: int  # of the opening fence
    language: str
    text: str
    not_run: str | None  # the reason, for a block that is not meant to be run

    @property
    def where(self) -> str:
        return f"{self.page.relative_to(ROOT)}:{self.line}"

    @property
    def file_name(self) -> str | None:
        first = self.text.split("\n", 1)[0]
        match = (FILE_NAME.get(self.language) or HASH_FILE_NAME).match(first)
        return match.group("path") if match else None


def blocks(page: Path) -> list[Block]:
    """The fenced blocks of a Markdown page, nested fences read as CommonMark does (a fence
    closes only with the same character, at least as many times)."""
    lines = page.read_text(encoding="utf-8").split("\n")
    found = []
    index = 0
    while index < len(lines):
        opening = re.match(r"^(`{3,}|~{3,})\s*([^`\s]*)", lines[index])
        if not opening:
            index += 1
            continue
        fence, language = opening.group(1), opening.group(2).lower()
        end = index + 1
        while end < len(lines) and not re.match(rf"^{re.escape(fence[0])}{{{len(fence)},}}\s*$", lines[end]):
            end += 1
        before = next((lines[i] for i in range(index - 1, -1, -1) if lines[i].strip()), "")
        reason = NOT_RUN.match(before)
        not_run = reason.group("reason") if reason else (
            "the test suite itself, which runs this test; .ci/run runs it as written" if before.strip() == TEST_COMMAND
            else None)
        found.append(Block(page, index + 1, language, "\n".join(lines[index + 1:end]) + "\n", not_run))
        index = end + 1
    return found


def runnable(block: Block) -> bool:
    return block.not_run is None and (block.language in COMMANDS or block.language in FILES)


ALL_BLOCKS = [block for page in PAGES for block in blocks(page)]


def test_every_block_a_user_would_copy_is_run_or_says_why_not():
    unnamed = [b.where for b in ALL_BLOCKS
               if b.not_run is None and b.language in FILES and b.file_name is None]
    assert unnamed == [], "a file block must name its file in its first line, or say why it is not run"
    assert any(runnable(b) for b in ALL_BLOCKS)


def test_few_blocks_are_left_unrun():
    unrun = [(b.where, b.not_run) for b in ALL_BLOCKS if b.not_run]
    assert all(reason.strip() for _where, reason in unrun)
    assert len(unrun) <= MOST_NOT_RUN, unrun


# ------------------------------------------------------------------------------ the new user's machine
def _copy_of_the_repository(target: Path) -> None:
    """A clone of journeymap as it is now (the working tree, committed in a repository of its
    own, as a clone is)."""
    ignored = shutil.ignore_patterns(".git", "__pycache__", "*.egg-info", ".pytest_cache", ".hypothesis", "build",
                                     "dist", ".venv", ".cache", "site")
    shutil.copytree(ROOT, target, ignore=ignored)
    git = lambda *args: subprocess.run(["git", *args], cwd=target, capture_output=True, check=True)  # noqa: E731
    git("init", "-q")
    git("add", "-A")
    git("-c", "user.name=journeymap", "-c", "user.email=journeymap@example.com", "commit", "-qm", "journeymap")


@dataclass
class Machine:
    home: Path
    env: dict
    clone: Path  # a clone of journeymap, copied into each project


@pytest.fixture(scope="session")
def machine(tmp_path_factory) -> Machine:
    require_tool(shutil.which("git") is not None, "git")
    require_tool(shutil.which("dot") is not None, "Graphviz `dot` (the docs render PNG and PDF)")
    root = tmp_path_factory.mktemp("new-user")
    home = root / "home"
    home.mkdir()
    (home / ".gitconfig").write_text("[user]\n\tname = New User\n\temail = new.user@example.com\n"
                                     "[init]\n\tdefaultBranch = main\n")
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
    ours = os.path.dirname(sys.executable)  # the test run's own journeymap is not the user's
    path = os.pathsep.join([str(venv / "bin"), *(p for p in os.environ.get("PATH", "").split(os.pathsep)
                                                 if p and os.path.abspath(p) != os.path.abspath(ours))])
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("PYTEST", "PYTHON", "VIRTUAL_ENV", "JOURNEY_ACCEPT"))}
    env.update(PATH=path, VIRTUAL_ENV=str(venv), HOME=str(home), PRE_COMMIT_HOME=str(root / "pre-commit"),
               PIP_CACHE_DIR=os.environ.get("PIP_CACHE_DIR", os.path.expanduser("~/.cache/pip")),
               PIP_DISABLE_PIP_VERSION_CHECK="1", GIT_PAGER="cat", PAGER="cat")
    clone = root / "journeymap-clone"
    _copy_of_the_repository(clone)
    machine = Machine(home, env, clone)
    install = next(b for b in blocks(ROOT / "README.md") if "pip install ./journeymap" in b.text and not b.not_run)
    _run_commands(install, _project(machine, root / "installing"), machine)
    return machine


def _project(machine: Machine, folder: Path) -> Path:
    """A user's project as the docs assume it."""
    maps = folder / "docs" / "maps"
    shutil.copytree(ROOT / "examples", maps)
    shutil.copytree(ROOT / "examples", folder / "examples")  # the worked examples' maps, as in a clone
    shutil.copy(ECOMMERCE, maps / "first-order.journey")
    shutil.copy(ECOMMERCE, folder / "map.journey")
    shutil.copy(ROOT / "tests" / "testdata" / "mermaid" / "working-day.mmd", folder / "day.mmd")
    git = lambda *args: subprocess.run(["git", *args], cwd=folder, env=machine.env, capture_output=True,  # noqa: E731
                                       check=True)
    git("init", "-q")
    git("add", "-A")
    git("commit", "-qm", "our maps")
    shutil.copytree(machine.clone, folder / "journeymap", symlinks=True)
    (folder / ".git" / "info" / "exclude").write_text("journeymap/\n")
    return folder


def _run(command: list[str], block: Block, project: Path, machine: Machine, what: str, env: dict | None = None) -> None:
    done = subprocess.run(command, cwd=project, env=env or machine.env, capture_output=True, text=True,
                          timeout=STEP_TIMEOUT, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, (f"{block.where}: {what} failed with exit {done.returncode}\n"
                                  f"--- stdout\n{done.stdout[-6000:]}\n--- stderr\n{done.stderr[-6000:]}")


def _run_commands(block: Block, project: Path, machine: Machine) -> None:
    _run(["bash", "-e", "-c", block.text], block, project, machine, "the commands")


def _run_workflow(block: Block, project: Path, machine: Machine) -> None:
    """A GitHub Actions workflow, step by step, as its runner would on a fresh machine: a Python
    of its own, where nothing is installed."""
    import yaml

    workflow = yaml.safe_load(block.text)
    env = None
    for job in workflow["jobs"].values():
        for step in job["steps"]:
            if "run" in step:
                assert env is not None, f"{block.where}: a run step before actions/setup-python"
                _run(["bash", "-e", "-c", step["run"]], block, project, machine, f"step `{step['run']}`", env)
                continue
            action, settings = step["uses"].split("@")[0], step.get("with") or {}
            if action == "actions/checkout":
                if "repository" in settings:  # journeymap's clone, where the recipe puts it
                    assert settings["repository"].endswith("/journeymap") and (project / settings["path"]).is_dir()
            elif action == "actions/setup-python":
                runner = project.parent / "runner-python"
                subprocess.run([sys.executable, "-m", "venv", str(runner)], check=True, capture_output=True)
                env = {**machine.env, "VIRTUAL_ENV": str(runner),
                       "PATH": os.pathsep.join([str(runner / "bin"), *machine.env["PATH"].split(os.pathsep)[1:]])}
            elif action == "actions/upload-artifact":
                uploaded = project / settings["path"]
                assert uploaded.exists() and any(p.is_file() for p in uploaded.rglob("*")), block.where
            else:
                pytest.fail(f"{block.where}: the test does not know the action {action}; teach it what it does")


@pytest.mark.slow
@pytest.mark.parametrize("page", [p for p in PAGES if any(runnable(b) for b in blocks(p))],
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_the_page_s_recipes_run_as_written(machine, tmp_path, page):
    project = _project(machine, tmp_path / "project")
    for block in blocks(page):
        if not runnable(block):
            continue
        if block.language in COMMANDS:
            _run_commands(block, project, machine)
            continue
        target = project / block.file_name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(block.text, encoding="utf-8")
        if target.parent.parts[-2:] == (".github", "workflows"):
            _run_workflow(block, project, machine)

"""journeymap inside git, set up as docs/fmt-and-diff.md says, in real repositories: the diff
driver never breaks `git diff` (a broken working copy gets a plain text diff, and the files
after it are still shown), `git log -p` needs --ext-diff for the driver, and textconv makes
plain `git diff`, `git log -p` and `git show` read line-per-fact text."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES, require_tool

BASE = """title "Plan"
stage a "A" {
  touchpoint t1 "One" { emotion -2; pain "slow" }
  touchpoint t2 "Two"
}
t1 -> t2
"""
BROKEN = 'stage s {\n  touchpoint a { emotion 9 }\n}\n'


@pytest.fixture
def repo(tmp_path: Path):
    require_tool(shutil.which("git") is not None, "git")
    env = {**os.environ, "PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""),
           "HOME": str(tmp_path), "GIT_CONFIG_NOSYSTEM": "1", "GIT_PAGER": "cat", "PAGER": "cat",
           "LC_ALL": "C.UTF-8"}
    require_tool(shutil.which("journey", path=env["PATH"]) is not None, "the `journey` command (pip install -e .)")
    root = tmp_path / "repo"
    root.mkdir()

    def git(*args: str, check: bool = True) -> subprocess.CompletedProcess:
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, env=env)
        if check:
            assert done.returncode == 0, (args, done.stderr)
        return done

    git("init", "-q")
    git("config", "user.email", "t@example.com")
    git("config", "user.name", "t")
    (root / ".gitattributes").write_text("*.journey diff=journey\n")
    (root / "a.journey").write_text(BASE)
    (root / "b.journey").write_text(BASE.replace('"Plan"', '"Other plan"'))
    (root / "c.journey").write_text(EXAMPLES[0].read_text())
    git("add", ".")
    git("commit", "-qm", "first")
    git.root = root
    return git


def use_driver(git):
    git("config", "diff.journey.command", "journey diff")


def use_textconv(git):
    git("config", "diff.journey.textconv", "journey textconv")


def test_a_broken_working_copy_never_breaks_git_diff(repo):
    use_driver(repo)
    (repo.root / "a.journey").write_text(BROKEN)
    (repo.root / "b.journey").write_text(BASE.replace('"Plan"', '"Other plan"').replace("emotion -2", "emotion 1"))
    done = repo("diff", check=False)
    assert done.returncode == 0, done.stderr
    assert "external diff died" not in done.stderr
    shown = done.stdout
    # the broken map: what is wrong with it, then a plain diff of its text
    assert "journey diff a.journey\n  the new version has 1 error, so this is a plain text diff:\n" \
           "  a.journey:2:26: error[E020]" in shown
    assert "--- a/a.journey\n+++ b/a.journey\n" in shown and "+  touchpoint a { emotion 9 }\n" in shown
    assert '-  touchpoint t1 "One" { emotion -2; pain "slow" }\n' in shown
    # and the file after it is still diffed, semantically
    assert "journey diff b.journey\n~ touchpoint t1: emotion -2 -> +1, better\n" in shown


def test_a_broken_old_version_is_a_plain_diff_too(repo):
    use_driver(repo)
    (repo.root / "a.journey").write_text(BROKEN)
    repo("commit", "-qam", "broken")
    (repo.root / "a.journey").write_text(BASE)
    shown = repo("diff").stdout
    assert "the old version has 1 error, so this is a plain text diff:" in shown
    assert "+title \"Plan\"\n" in shown


def test_new_and_deleted_maps_say_so(repo):
    use_driver(repo)
    (repo.root / "new.journey").write_text(BASE)
    repo("add", "new.journey")
    os.remove(repo.root / "b.journey")
    added = repo("diff", "--cached").stdout
    assert "journey diff new.journey\n+ new map: 'Plan'\n+ stage a: 'A'\n" in added
    assert "none" not in added.lower() and "None" not in added
    removed = repo("diff").stdout
    assert "journey diff b.journey\n- map removed: 'Other plan'\n" in removed


def test_git_log_p_runs_the_driver_only_with_ext_diff(repo):
    use_driver(repo)
    (repo.root / "a.journey").write_text(BASE.replace("emotion -2", "emotion 1"))
    repo("commit", "-qam", "better")
    plain = repo("log", "-p", "-1").stdout
    assert "journey diff a.journey" not in plain and "-  touchpoint t1" in plain  # git's own diff
    semantic = repo("log", "-p", "-1", "--ext-diff").stdout
    assert "journey diff a.journey\n~ touchpoint t1: emotion -2 -> +1, better" in semantic


def test_textconv_makes_every_git_diff_read_facts(repo):
    use_textconv(repo)
    (repo.root / "a.journey").write_text("# a comment only\n" + BASE.replace("emotion -2", "emotion 1")
                                         .replace('pain "slow"', 'pain "slow"; pain "ugly"'))
    shown = repo("diff").stdout
    assert "-touchpoint t1: emotion -2 angry\n+touchpoint t1: emotion +1 happy\n" in shown
    assert '+touchpoint t1: pain "ugly"\n' in shown
    assert "comment" not in shown  # comments are no fact
    repo("commit", "-qam", "better")
    for args in (("log", "-p", "-1"), ("show", "HEAD")):
        assert "+touchpoint t1: emotion +1 happy" in repo(*args).stdout


def test_textconv_shows_a_broken_version_as_its_text(repo):
    use_textconv(repo)
    (repo.root / "a.journey").write_text(BROKEN)
    (repo.root / "b.journey").write_text(BASE.replace('"Plan"', '"Other plan"').replace("emotion -2", "emotion 0"))
    done = repo("diff", check=False)
    assert done.returncode == 0, done.stderr
    assert "+# journey textconv: this version of the map has errors; its text follows\n" in done.stdout
    assert "+# line 2, column 26: error[E020]" in done.stdout
    assert "+  touchpoint a { emotion 9 }" in done.stdout
    assert "+touchpoint t1: emotion 0 neutral" in done.stdout  # b, after it


def test_driver_and_textconv_together(repo):
    """The setup the docs recommend: the driver for `git diff`, textconv for everything else."""
    use_driver(repo)
    use_textconv(repo)
    (repo.root / "a.journey").write_text(BASE.replace("emotion -2", "emotion 1"))
    assert "~ touchpoint t1: emotion -2 -> +1, better" in repo("diff").stdout
    repo("commit", "-qam", "better")
    assert "+touchpoint t1: emotion +1 happy" in repo("log", "-p", "-1").stdout


def test_textconv_never_fails_even_on_an_unreadable_file(tmp_path):
    done = subprocess.run([sys.executable, "-m", "journeymap.cli", "textconv", str(tmp_path / "missing.journey")],
                          capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.startswith("# journey textconv: cannot read this map")


def test_textconv_of_a_map_with_includes_falls_back_to_its_text_in_history(repo):
    """git hands textconv a temporary copy of an old version, away from what it includes: the
    history of such a map is its plain text, said so, never an error."""
    use_textconv(repo)
    (repo.root / "people.journey").write_text('persona maya "Maya"\n')
    (repo.root / "with.journey").write_text('include "people.journey"\n' + BASE)
    repo("add", ".")
    repo("commit", "-qm", "with includes")
    (repo.root / "with.journey").write_text('include "people.journey"\n' + BASE.replace("emotion -2", "emotion 1"))
    repo("commit", "-qam", "better")
    shown = repo("log", "-p", "-U20", "-1", "--", "with.journey").stdout
    assert " # line 1, column 9: error[E030]: include file 'people.journey' does not exist\n" in shown
    assert '-  touchpoint t1 "One" { emotion -2; pain "slow" }\n+  touchpoint t1 "One" { emotion 1; pain "slow" }' in shown

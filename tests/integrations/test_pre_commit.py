"""The hooks in .pre-commit-hooks.yaml, run by pre-commit itself against a temporary repository."""

from __future__ import annotations

import subprocess
import sys


from conftest import ROOT, require_tool


def test_journey_fmt_and_check_hooks(tmp_path):
    try:
        import pre_commit  # noqa: F401
    except ImportError:
        require_tool(False, "pre-commit")
    run = lambda *args: subprocess.run(args, cwd=tmp_path, capture_output=True, text=True)  # noqa: E731
    run("git", "init", "-q")
    (tmp_path / "ugly.journey").write_text("stage s {\n      touchpoint a\n}\n")
    (tmp_path / "broken.journey").write_text("stage s {\n  touchpoint a { emotion 7 }\n}\n")
    run("git", "add", ".")
    fmt = run(sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "journey-fmt", "--files", "ugly.journey")
    assert fmt.returncode == 1, fmt.stdout + fmt.stderr
    assert "files were modified by this hook" in fmt.stdout
    assert (tmp_path / "ugly.journey").read_text() == "stage s {\n  touchpoint a\n}\n"
    check = run(sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "journey-check", "--files", "broken.journey",
                "ugly.journey")
    assert check.returncode == 1
    assert "broken.journey:2:26: error[E020]" in check.stdout

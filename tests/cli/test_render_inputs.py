"""What `journey render` (and check, fmt) take and where documents go: a folder stands for every
.journey file under it, in a stable order, its sub-folders kept under -o; an HTML report
without -o is written next to its map, like an image; `-f text` is the line-per-fact form;
under -j on a terminal, diagnostics never share a line with the progress bar."""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ECOMMERCE, EXAMPLES

MAP = 'stage s { touchpoint a "A" }\n'
BROKEN = "stage s {\n  touchpoint a { emotion 9 }\n}\n"


def journey(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "journeymap.cli", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    for name in ("maps/b.journey", "maps/a.journey", "maps/sub/deeper/c.journey", "maps/sub/a.journey",
                 "maps/.hidden/h.journey", "maps/notes.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(MAP)
    (tmp_path / "empty").mkdir()
    return tmp_path


def test_a_folder_is_every_map_under_it_in_name_order(tree):
    done = journey("render", "maps", "-f", "json", "-o", "out/", cwd=tree)
    assert done.returncode == 0, done.stderr
    written = sorted(str(p.relative_to(tree / "out")) for p in (tree / "out").rglob("*.json"))
    # two a.journey in different folders stay apart: the sub-folders are kept under -o
    assert written == ["a.json", "b.json", os.path.join("sub", "a.json"), os.path.join("sub", "deeper", "c.json")]
    listed = journey("check", "maps", "--format", "json", cwd=tree)
    assert listed.returncode == 0
    checked = journey("check", "maps", cwd=tree)
    assert "checked 4 files: no problems" in checked.stderr  # hidden folders and other files left out


def test_the_order_is_stable_and_by_path(tree):
    (tree / "maps" / "b.journey").write_text(BROKEN)
    (tree / "maps" / "sub" / "a.journey").write_text(BROKEN.replace("9", "8"))
    done = journey("check", "maps", cwd=tree)
    errors = [line.split(":")[0] for line in done.stdout.splitlines() if "error[" in line]
    assert errors == [os.path.join("maps", "b.journey"), os.path.join("maps", "sub", "a.journey")]


def test_without_o_each_render_goes_next_to_its_map(tree):
    done = journey("render", "maps", "-f", "dot", cwd=tree)  # dot is text: to standard output
    assert done.returncode == 0 and done.stdout.count("digraph journey") == 4
    assert journey("render", "maps", cwd=tree).returncode == 0  # svg: beside each map
    assert (tree / "maps" / "sub" / "deeper" / "c.svg").is_file()


def test_a_folder_without_maps_is_reported(tree):
    done = journey("render", "empty", cwd=tree)
    assert done.returncode == 2 and "no .journey files in 'empty'" in done.stderr
    both = journey("render", "empty", "maps/a.journey", "-f", "json", "-o", "out/", cwd=tree)
    assert both.returncode == 2 and (tree / "out" / "a.json").is_file()  # the rest is still rendered


def test_an_html_report_is_written_next_to_its_map_not_to_the_terminal(tmp_path):
    (tmp_path / "map.journey").write_text(ECOMMERCE.read_text())
    done = journey("render", "map.journey", "-f", "html", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    assert (tmp_path / "map.html").read_text().startswith("<!DOCTYPE html>")
    to_stdout = journey("render", "map.journey", "-f", "html", "-o", "-", cwd=tmp_path)
    assert to_stdout.stdout.startswith("<!DOCTYPE html>")


def test_text_lists_one_fact_a_line(tmp_path):
    (tmp_path / "map.journey").write_text(ECOMMERCE.read_text())
    done = journey("render", "map.journey", "-f", "text", cwd=tmp_path)
    assert done.returncode == 0
    lines = done.stdout.splitlines()
    assert 'map: title "Online grocery: first order"' in lines
    assert "touchpoint checkout in stage purchase: \"Checkout\"" in lines
    assert 'touchpoint checkout: pain fee_shock "Delivery fee appears only at the last step"' in lines
    assert "touchpoint checkout: emotion -2 angry" in lines
    assert ('transition checkout -> reviews: label "second thoughts"; rate 20%; style dashed; evidence funnel_apr; '
            'confidence measured') in lines


def test_text_keeps_each_fact_on_its_own_line_whatever_the_text(tmp_path):
    (tmp_path / "map.journey").write_text(
        'stage s "S" {\n  touchpoint a "A\\nfake: line \u202e" { pain "x\\ttouchpoint b: emotion 2" }\n}\n')
    done = journey("render", "map.journey", "-f", "text", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        'map: title "map"', 'map: direction LR', 'stage s: "S"', 'touchpoint a in stage s: "A\\nfake: line \\u202e"',
        'touchpoint a: pain "x\\ttouchpoint b: emotion 2"']


def _screen(output: bytes) -> list[str]:
    """What a terminal shows after `output`: carriage returns, erase-line and cursor-visibility
    sequences applied, line by line."""
    lines, line, column = [], [], 0
    text = re.sub(rb"\x1b\[\?25[hl]", b"", output).decode("utf-8", "replace")
    index = 0
    while index < len(text):
        if text.startswith("\x1b[2K", index):  # the whole line
            line = [" "] * column
            index += 4
            continue
        if text.startswith("\x1b[K", index):  # from the cursor on
            del line[column:]
            index += 3
            continue
        ch = text[index]
        index += 1
        if ch == "\r":
            column = 0
        elif ch == "\n":
            lines.append("".join(line).rstrip())
            line, column = [], 0
        else:
            if column < len(line):
                line[column] = ch
            else:
                line.append(ch)
            column += 1
    if line:
        lines.append("".join(line).rstrip())
    return lines


def test_diagnostics_under_j_never_share_a_line_with_the_progress_bar(tmp_path):
    inputs = []
    for i in range(6):
        path = tmp_path / f"m{i}.journey"
        path.write_text(BROKEN if i in (1, 4) else EXAMPLES[i % len(EXAMPLES)].read_text())
        inputs.append(path.name)
    leader, follower = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "journeymap.cli", "render", *inputs, "-f", "dot", "-o", "out/",
                                "-j", "2"], cwd=tmp_path, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=follower, env={**os.environ, "COLUMNS": "80", "TERM": "xterm"})
    os.close(follower)
    output = b""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 1)
        if ready:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            output += chunk
        elif process.poll() is not None:
            break
    process.wait(timeout=60)
    os.close(leader)
    assert process.returncode == 1
    assert b"rendering" in output  # the bar was drawn: this is the case under test
    screen = _screen(output)
    diagnostics = [line for line in screen if "error[E020]" in line]
    assert len(diagnostics) == 2
    assert all(line.startswith(("m1.journey:2:26:", "m4.journey:2:26:")) for line in diagnostics), screen
    assert not [line for line in screen if "rendering" in line and ("error" in line or "|" in line)], screen


def test_a_folder_input_makes_o_a_folder_even_for_one_map(tmp_path):
    (tmp_path / "maps").mkdir()
    (tmp_path / "maps" / "only.journey").write_text(MAP)
    done = journey("render", "maps", "-f", "json", "-o", "out", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out" / "only.json").is_file()

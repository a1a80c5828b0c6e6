"""The text and Markdown reports (journey stats, journey plan) show hostile labels and file
names inertly: no line a label can forge, no terminal escape, no bidirectional override, no
`|` ending a Markdown table cell; and a done idea with a long word is still struck through."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import journeymap

MAP = ('title "T\u202eevil"\n'
       'stage s "S\x1b" {\n'
       '  touchpoint a "A\\nmap: title \\"spoofed\\"" {\n'
       '    emotion 1\n'
       '    opportunity "Doooooooooooooooooooooooooooooooooooooooooooooooooooooone" { status done }\n'
       '    opportunity "Open" { impact high }\n'
       '  }\n'
       '  touchpoint b "B" { outcome success "ok" }\n'
       '}\n'
       'a -> b { rate 50% }\n').replace("\x1b", "")  # the compiler refuses a raw ESC in the map itself


def journey(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "journeymap.cli", *args], cwd=cwd, capture_output=True, text=True)


def _write(folder: Path, name: str) -> str:
    (folder / name).write_text(MAP, encoding="utf-8")
    return name


def test_stats_text_shows_labels_and_the_file_name_printable(tmp_path: Path):
    name = _write(tmp_path, "a\x1b[31m|b.journey")
    done = journey("stats", name, "--format", "text", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "\x1b" not in done.stdout and "\u202e" not in done.stdout
    assert not any(line.startswith("map: title") for line in done.stdout.splitlines())
    assert "T\\u202eevil" in done.stdout and "a\\x1b[31m|b.journey" in done.stdout


def test_markdown_code_spans_cannot_end_a_table_cell(tmp_path: Path):
    name = _write(tmp_path, "x|<img src=x onerror=alert(1)>.journey")
    for args in (("plan", name), ("stats", name, "--format", "md")):
        done = journey(*args, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        for line in done.stdout.splitlines():
            if "x\\|" in line and line.startswith("|"):
                cells = line.replace("\\|", "").split("|")  # the table's own separators only
                assert all("<img" not in cell or "`" in cell for cell in cells), line
        assert "x|<img" not in done.stdout, args


def test_plan_names_an_untitled_map_by_its_display_name(tmp_path: Path):
    (tmp_path / "e\x1bq.journey").write_text('title ""\nstage s { touchpoint a { opportunity "Do" } }\n')
    done = journey("plan", "e\x1bq.journey", "--format", "csv", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "\x1b" not in done.stdout and "e\\x1bq.journey" in done.stdout


def test_a_done_idea_with_a_long_word_is_still_struck_through():
    page = journeymap.render(journeymap.compile_text(MAP, "map.journey").journey, "html").decode()
    assert '<bdi class="item-text long">Doooo' in page and "item-text\" class=" not in page


def test_textconv_of_a_broken_map_shows_its_text_inertly(tmp_path: Path):
    """git shows textconv's output in a terminal: a broken map's own text comes with its
    control characters and bidirectional overrides escaped, line by line."""
    (tmp_path / "esc.journey").write_bytes('title "a\x1b[31mRED"\nstage s { touchpoint a "A\u202eB" }\r\n'.encode())
    done = journey("textconv", "esc.journey", cwd=tmp_path)
    assert done.returncode == 0
    assert "\x1b" not in done.stdout and "\u202e" not in done.stdout and "\r" not in done.stdout
    assert 'title "a\\x1b[31mRED"' in done.stdout.splitlines()
    assert 'stage s { touchpoint a "A\\u202eB" }' in done.stdout.splitlines()


# Text GitHub would make live if a report passed it through: links of its own (autolinks),
# inline links, HTML, emphasis, a list marker at the start of a list item's text.
LINKY = ["See https://evil.example/login now", "www.evil.example", "mail ops@evil.example",
         "[z](javascript:alert(1))", "<b>x</b>", "- 1. nested", "*y* ~~z~~ `c`"]


def _linky_maps(folder: Path) -> tuple[str, str]:
    stages = "\n".join(
        f'stage s{i} "{label}" {{\n  touchpoint t{i} "{label}" {{\n    emotion -1\n    pain "{label}"\n'
        f'    opportunity "{label}" {{ impact high }}\n  }}\n}}' for i, label in enumerate(LINKY))
    flow = "\n".join(f"t{i} -> t{i + 1} {{ rate 80% }}" for i in range(len(LINKY) - 1))
    ending = f't{len(LINKY) - 1} -> t0 {{ rate 10% }}\n'
    before = f'title "{LINKY[0]}"\n{stages}\n{flow}\n{ending}'.replace(
        f'touchpoint t{len(LINKY) - 1} "{LINKY[-1]}" {{', f'touchpoint t{len(LINKY) - 1} "{LINKY[-1]}" {{\n    outcome success')
    (folder / "before.journey").write_text(before)
    (folder / "after.journey").write_text(before.replace("emotion -1", "emotion 1"))
    return "before.journey", "after.journey"


def test_markdown_reports_render_on_github_as_the_text_itself(tmp_path: Path):
    """Each Markdown report, rendered as GitHub renders it (cmark-gfm with its extensions):
    no link, no HTML, no emphasis from a map's text, which reads as written."""
    import cmarkgfm
    from html.parser import HTMLParser

    class Page(HTMLParser):
        def __init__(self):
            super().__init__()
            self.tags: set[str] = set()
            self.text: list[str] = []

        def handle_starttag(self, tag, attrs):
            self.tags.add(tag)

        def handle_data(self, data):
            self.text.append(data)

    before, after = _linky_maps(tmp_path)
    for args in (("stats", after, "--format", "md"), ("plan", after), ("gap", before, after, "--format", "md")):
        done = journey(*args, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        page = Page()
        page.feed(cmarkgfm.github_flavored_markdown_to_html(done.stdout))
        assert not page.tags & {"a", "b", "em", "strong", "del", "code", "img", "ol"} - (
            {"code"} if args[0] != "gap" else set()), (args, page.tags)  # stats and plan quote FILE:LINE as code
        shown = "".join(page.text).replace("\u2060", "")  # (the invisible joiner that keeps '@' from linking)
        for label in LINKY:
            assert label in shown, (args, label)

"""The input decisions of safety.md: characters, encodings, ids, lengths, links, includes."""

from __future__ import annotations

import builtins
import os
from pathlib import Path

import pytest

import journeymap
from conftest import codes


def compiled(data: bytes | str, path: str = "map.journey", **kwargs):
    return journeymap.compile_text(data, path, base_dir=kwargs.pop("base_dir", os.getcwd()), **kwargs)


def positions(compilation, code: str) -> list[tuple[int, int]]:
    return [(d.span.line, d.span.column) for d in compilation.diagnostics if d.code == code]


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x0b", "\x0c", "\x1b", "\x7f", "\ufffe", "\uffff"])
def test_control_characters_are_refused_where_they_are(char):
    compilation = compiled(f'stage s {{\n  touchpoint a "A{char}B"\n}}\n')
    assert (2, 18) in positions(compilation, "E001")
    message = next(d.message for d in compilation.diagnostics if d.code == "E001")
    assert f"U+{ord(char):04X}" in message


def test_lone_carriage_return_is_refused_but_crlf_is_fine():
    assert compiled(b'title "x"\r\nstage s { touchpoint a }\r\n').ok
    bad = compiled(b'title "x"\rstage s { touchpoint a }\n')
    assert (1, 10) in positions(bad, "E001")


def test_escapes_for_tab_and_newline_are_fine():
    compilation = compiled('stage s { touchpoint a "one\\ttwo\\nthree" }\n')
    assert compilation.ok
    assert compilation.journey.touchpoints[0].label == "one\ttwo\nthree"


def test_invalid_utf8_is_reported_at_the_offending_position():
    compilation = compiled(b'stage s {\n  touchpoint a "caf\xc3 x"\n}\n')
    assert positions(compilation, "E001") == [(2, 20)]
    assert "UTF-8" in compilation.diagnostics[0].message


def test_byte_order_mark_is_ignored():
    compilation = compiled(b"\xef\xbb\xbfstage s { touchpoint a }\n")
    assert compilation.ok
    assert compilation.journey.touchpoints[0].source.column == 11


def test_columns_count_code_points():
    compilation = compiled('stage s {\n  touchpoint café "Ça" { emotion 7 }\n}\n')
    # code points put the 7 at column 34; counting UTF-8 bytes would say 36
    assert positions(compilation, "E020") == [(2, 34)]


def test_ids_are_nfc_normalised():
    composed = "caf\u00e9"
    decomposed = "cafe\u0301"
    compilation = compiled(f"stage s {{\n  touchpoint {composed}\n  touchpoint {decomposed}\n}}\n")
    assert positions(compilation, "E010") == [(3, 3)]
    ok = compiled(f"stage s {{\n  touchpoint {composed}\n  touchpoint b\n}}\n{decomposed} -> b\n")
    assert ok.ok
    assert ok.journey.transitions[0].source_id == composed


def test_a_string_over_ten_thousand_characters_is_refused():
    assert compiled(f'stage s {{ touchpoint a "{"x" * 10_000}" }}\n').ok
    long = compiled(f'stage s {{ touchpoint a "{"x" * 10_001}" }}\n')
    assert positions(long, "E020") == [(1, 24)]


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "\\tjavascript:alert(1)",
        "java\\nscript:alert(1)",
        "jav&#x61;script:alert(1)",
        "javascript&colon;alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox",
        "//evil.example/x",
        "\\\\\\\\evil\\\\share",
        "/\\\\evil.example",
        "docs\\\\page.html",
    ],
)
def test_dangerous_links_are_refused(link):
    compilation = compiled(f'stage s {{ touchpoint a {{ link "{link}" }} }}\n')
    assert codes(compilation) == ["E040"], link


@pytest.mark.parametrize(
    "link", ["https://example.com/a?b=c#d", "http://example.com", "mailto:cx@example.com", "research/checkout.html",
             "../notes.md", "#section", "/absolute/path"]
)
def test_safe_links_are_kept(link):
    compilation = compiled(f'stage s {{ touchpoint a {{ link "{link}" }} }}\n')
    assert compilation.ok, [d.headline() for d in compilation.diagnostics]
    assert compilation.journey.touchpoints[0].link == link


# --- includes ---------------------------------------------------------------------------------


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """docs/ is the root; a secret and a look-alike folder sit outside it."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (tmp_path / "docs-evil").mkdir()
    (tmp_path / "docs-evil" / "x.journey").write_text('persona evil "E"\n')
    (tmp_path / "secret.journey").write_text('persona secret "S"\n')
    return docs


def write_main(docs: Path, text: str) -> Path:
    main = docs / "main.journey"
    main.write_text(text + "stage s { touchpoint t }\n")
    return main


@pytest.fixture
def opened(monkeypatch) -> list[str]:
    """Every path the compiler opens."""
    seen: list[str] = []
    real_open = builtins.open

    def spy(file, *args, **kwargs):
        seen.append(os.path.realpath(file) if isinstance(file, (str, os.PathLike)) else repr(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", spy)
    return seen


@pytest.mark.parametrize(
    "include",
    ['"../secret.journey"', '"../docs-evil/x.journey"', '"sub/../../secret.journey"'],
)
def test_includes_cannot_escape_the_root(tree: Path, opened: list[str], include: str):
    main = write_main(tree, f"include {include}\n")
    compilation = journeymap.compile_file(main)
    assert positions(compilation, "E032") == [(1, 9)]
    assert not any("secret" in path or "docs-evil" in path for path in opened)


def test_absolute_include_outside_the_root(tree: Path, opened: list[str]):
    secret = tree.parent / "secret.journey"
    main = write_main(tree, f'include "{secret}"\n')
    compilation = journeymap.compile_file(main)
    assert positions(compilation, "E032") == [(1, 9)]
    assert str(secret) not in opened


def test_symlink_pointing_outside_the_root(tree: Path, opened: list[str]):
    os.symlink(tree.parent / "secret.journey", tree / "link.journey")
    main = write_main(tree, 'include "link.journey"\n')
    compilation = journeymap.compile_file(main)
    assert positions(compilation, "E032") == [(1, 9)]
    assert str(tree.parent / "secret.journey") not in opened


def test_include_root_can_be_widened(tree: Path):
    main = write_main(tree, 'include "../secret.journey"\n')
    compilation = journeymap.compile_file(main, include_root=tree.parent)
    assert compilation.ok
    assert [p.id for p in compilation.journey.personas] == ["secret"]


def test_missing_cycle_loop_nul_and_folder(tree: Path):
    (tree / "a.journey").write_text('include "b.journey"\n')
    (tree / "b.journey").write_text('include "a.journey"\n')
    os.symlink(tree / "loop1.journey", tree / "loop2.journey")
    os.symlink(tree / "loop2.journey", tree / "loop1.journey")
    (tree / "folder.journey").mkdir()
    main = write_main(
        tree,
        'include "missing.journey"\ninclude "a.journey"\ninclude "loop1.journey"\n'
        'include "bad\\u0000name"\ninclude "folder.journey"\n',
    )
    main.write_text(main.read_text().replace("\\u0000", "\x00"))
    compilation = journeymap.compile_file(main)
    found = [(d.code, Path(d.span.file).name, d.span.line) for d in compilation.diagnostics]
    assert ("E030", "main.journey", 1) in found
    assert ("E031", "b.journey", 1) in found
    assert ("E030", "main.journey", 3) in found
    assert ("E001", "main.journey", 4) in found  # a raw NUL is refused by the lexer first
    assert ("E030", "main.journey", 5) in found


def test_nul_in_an_include_path_through_the_api(tree: Path):
    compilation = journeymap.compile_text('include "a\x00b"\n', str(tree / "m.journey"), base_dir=tree)
    assert "E001" in codes(compilation)


def test_diamond_includes_merge_once(tree: Path):
    (tree / "left.journey").write_text('include "shared.journey"\n')
    (tree / "right.journey").write_text('include "shared.journey"\n')
    (tree / "shared.journey").write_text('persona p "P"\n')
    main = write_main(tree, 'include "left.journey"\ninclude "right.journey"\n')
    compilation = journeymap.compile_file(main)
    assert compilation.ok, [d.headline() for d in compilation.diagnostics]
    assert [p.id for p in compilation.journey.personas] == ["p"]


def test_exponential_include_chains_stay_linear(tree: Path):
    for level in range(30):
        (tree / f"l{level}.journey").write_text(
            f'include "l{level + 1}.journey"\ninclude "l{level + 1}.journey"\n' if level < 29 else 'persona p\n'
        )
    main = write_main(tree, 'include "l0.journey"\n')
    compilation = journeymap.compile_file(main)
    assert compilation.ok
    assert len(compilation.sources) == 31


def test_single_valued_statements_in_an_included_file(tree: Path):
    (tree / "inc.journey").write_text('title "Not here"\npersona p\n')
    main = write_main(tree, 'include "inc.journey"\n')
    compilation = journeymap.compile_file(main)
    assert [(d.code, Path(d.span.file).name, d.span.line) for d in compilation.diagnostics] == [
        ("E021", "inc.journey", 1)
    ]


def test_included_statements_name_their_file(tree: Path):
    (tree / "sub").mkdir()
    (tree / "sub" / "inc.journey").write_text("stage other { touchpoint x }\n")
    main = write_main(tree, 'include "sub/inc.journey"\n')
    compilation = journeymap.compile_file(main)
    x = compilation.journey.touchpoint("x")
    assert x.source.file == str(tree / "sub" / "inc.journey")
    assert [s.id for s in compilation.journey.stages] == ["other", "s"]

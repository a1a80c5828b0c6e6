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


# --- includes that are not plain files, too deep, too large, or Windows paths -------------


def test_an_include_chain_a_thousand_files_deep_is_cut_with_one_diagnostic(tree: Path):
    from journeymap.compiler.workspace import MAX_INCLUDE_DEPTH

    for level in range(1000):
        (tree / f"c{level}.journey").write_text(f'include "c{level + 1}.journey"\n')
    (tree / "c1000.journey").write_text("persona deep\n")
    main = write_main(tree, 'include "c0.journey"\n')
    compilation = journeymap.compile_file(main)
    problems = [(d.code, Path(d.span.file).name, d.message) for d in compilation.diagnostics]
    # main.journey and c0 ... c98 make MAX_INCLUDE_DEPTH files: c98's include is refused
    assert problems == [("E030", f"c{MAX_INCLUDE_DEPTH - 2}.journey",
                         f"include chain deeper than {MAX_INCLUDE_DEPTH} files")]
    assert len(compilation.sources) == MAX_INCLUDE_DEPTH


def test_includes_are_merged_without_python_recursion(tree: Path):
    """Compiling from deep inside a caller's own stack still works: the include chain is an
    explicit stack, not nested calls."""
    import sys

    from journeymap.compiler.workspace import MAX_INCLUDE_DEPTH

    for level in range(MAX_INCLUDE_DEPTH - 2):  # main.journey and c0 ... c98: as deep as allowed
        (tree / f"c{level}.journey").write_text(f'include "c{level + 1}.journey"\n')
    (tree / f"c{MAX_INCLUDE_DEPTH - 2}.journey").write_text("persona deep\n")
    main = write_main(tree, 'include "c0.journey"\n')
    headroom = 120  # frames the compiler needs whatever the include depth

    def nested(depth: int):
        return nested(depth - 1) if depth else journeymap.compile_file(main)

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(300)
    try:
        frames = len(__import__("inspect").stack(0))
        compilation = nested(300 - frames - headroom)
    finally:
        sys.setrecursionlimit(limit)
    assert compilation.ok, [d.headline() for d in compilation.diagnostics]
    assert [p.id for p in compilation.journey.personas] == ["deep"]


def _compile_in_a_subprocess(main: Path, include_root: Path | None = None, timeout: float = 60):
    """Compile in a child process, so that a hang fails the test instead of stopping it."""
    import json
    import subprocess
    import sys

    code = (
        "import json, sys, journeymap\n"
        "c = journeymap.compile_file(sys.argv[1], include_root=sys.argv[2] or None)\n"
        "print(json.dumps([[d.code, d.span.line, d.span.column, d.message] for d in c.diagnostics]))\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(main), str(include_root or "")],
                          capture_output=True, timeout=timeout)
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    return [tuple(item) for item in json.loads(done.stdout)]


def test_an_include_that_is_a_named_pipe_is_refused_without_waiting(tree: Path):
    os.mkfifo(tree / "pipe.journey")
    main = write_main(tree, 'include "pipe.journey"\n')
    assert _compile_in_a_subprocess(main) == [("E030", 1, 9, "include 'pipe.journey' is not a regular file")]


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null", "/dev/urandom"])
def test_an_include_that_is_a_device_is_refused_without_reading(tree: Path, device: str):
    if not os.path.exists(device):
        pytest.skip(f"no {device} here")
    main = write_main(tree, f'include "{device}"\n')
    found = _compile_in_a_subprocess(main, include_root=Path("/"))
    assert found == [("E030", 1, 9, f"include '{device}' is not a regular file")]


def test_an_include_that_became_a_pipe_after_the_check_is_refused_too(tree: Path, monkeypatch):
    """Opening does not wait for a writer (O_NONBLOCK) and what was opened is checked again."""
    from journeymap.compiler import workspace as includes

    os.mkfifo(tree / "pipe.journey")
    (tree / "plain.journey").write_text("persona p\n")
    real_stat = os.stat
    monkeypatch.setattr(includes.os, "stat", lambda path, *a, **k: real_stat(tree / "plain.journey"))
    main = write_main(tree, 'include "pipe.journey"\n')
    import threading

    result = []
    reader = threading.Thread(target=lambda: result.append(journeymap.compile_file(main)), daemon=True)
    reader.start()
    reader.join(20)
    if reader.is_alive():  # blocked opening the pipe: a writer lets it go, then fail
        with open(tree / "pipe.journey", "wb"):
            pass
        reader.join(20)
        pytest.fail("opening the include waited for a writer")
    assert [(d.code, d.message) for d in result[0].diagnostics] == [
        ("E030", "include 'pipe.journey' is not a regular file")
    ]


def test_an_include_larger_than_the_limit_is_refused(tree: Path, opened: list[str]):
    from journeymap.source import MAX_SOURCE_BYTES

    (tree / "big.journey").write_bytes(b"#" * (MAX_SOURCE_BYTES + 1))
    (tree / "fits.journey").write_bytes(b"persona p\n" + b"#" * (MAX_SOURCE_BYTES - 11) + b"\n")
    main = write_main(tree, 'include "big.journey"\ninclude "fits.journey"\n')
    compilation = journeymap.compile_file(main)
    assert [(d.code, d.span.line, d.message) for d in compilation.diagnostics] == [
        ("E030", 1, "include 'big.journey' is larger than 4 MiB, the limit for a source file")
    ]
    assert str(tree / "big.journey") not in opened  # its size alone refuses it


def test_an_include_that_grew_past_the_limit_after_the_check_is_refused(tree: Path, monkeypatch):
    """Reading stops one byte past the limit, whatever the size said."""
    from journeymap.compiler import workspace as includes
    from journeymap.source import MAX_SOURCE_BYTES

    (tree / "big.journey").write_bytes(b"#" * (MAX_SOURCE_BYTES + 5000))
    monkeypatch.setattr(includes, "_not_readable", lambda info, quoted, span, noun: None)
    read = []
    real = includes.read_limited
    monkeypatch.setattr(includes, "read_limited", lambda handle: read.append(data := real(handle)) or data)
    main = write_main(tree, 'include "big.journey"\n')
    assert codes(journeymap.compile_file(main)) == ["E030"]
    assert [len(data) for data in read] == [MAX_SOURCE_BYTES + 1]


@pytest.mark.parametrize(
    "path,what",
    [
        ("C:\\\\maps\\\\x.journey", "a Windows drive path"),
        ("C:/maps/x.journey", "a Windows drive path"),
        ("c:x.journey", "a Windows drive path"),
        ("\\\\\\\\server\\\\share\\\\x.journey", "a path with '\\' in it"),
        ("..\\\\x.journey", "a path with '\\' in it"),
        ("sub\\\\x.journey", "a path with '\\' in it"),
    ],
)
def test_windows_include_paths_are_refused_on_every_system(tree: Path, opened: list[str], path: str, what: str):
    # On Linux `sub\x.journey` would be a file name with a backslash in it: it is never looked for.
    (tree / "sub").mkdir()
    (tree / "sub" / "x.journey").write_text("persona p\n")
    (tree / "sub\\x.journey").write_text("persona p\n")
    main = write_main(tree, f'include "{path}"\n')
    compilation = journeymap.compile_file(main)
    assert [(d.code, d.span.line, d.span.column) for d in compilation.diagnostics] == [("E032", 1, 9)]
    assert what in compilation.diagnostics[0].message
    assert compilation.diagnostics[0].help == "write include paths relative to the including file, with '/' between folders"
    assert not any("x.journey" in path for path in opened)


def test_an_unreadable_include_is_a_diagnostic(tree: Path, monkeypatch):
    """(Tests may run as root, who can read anything: the refusal is simulated.)"""
    (tree / "secret.journey").write_text("persona p\n")
    real_open = builtins.open

    def refusing(file, *args, **kwargs):
        if str(file).endswith("secret.journey"):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", refusing)
    main = write_main(tree, 'include "secret.journey"\n')
    compilation = journeymap.compile_file(main)
    assert [(d.code, d.message) for d in compilation.diagnostics] == [
        ("E030", "cannot read include 'secret.journey': permission denied")
    ]


def test_a_symlink_loop_and_a_nul_in_an_include_path_are_diagnostics(tree: Path):
    os.symlink(tree / "loop1.journey", tree / "loop2.journey")
    os.symlink(tree / "loop2.journey", tree / "loop1.journey")
    main = write_main(tree, 'include "loop1.journey"\ninclude "a\\x00b"\n')
    main.write_text(main.read_text().replace("\\x00", "\x00"))
    compilation = journeymap.compile_file(main)
    found = [(d.code, d.span.line) for d in compilation.diagnostics]
    assert found == [("E030", 1), ("E001", 2)]
    assert "symbolic links" in compilation.diagnostics[0].message
    # through the API a NUL can reach the include's value itself
    direct = journeymap.compile_text('include "a\\u0000b"\n'.replace("\\u0000", "\x00"), str(tree / "m.journey"),
                                     base_dir=tree)
    assert "E001" in codes(direct)


# --- size of the input, and how many diagnostics one file gives ----------------------------


def test_the_main_file_past_the_limit_is_one_diagnostic_at_its_start():
    from journeymap.source import MAX_SOURCE_BYTES

    fits = compiled(b"stage s { touchpoint a }\n" + b"#" * (MAX_SOURCE_BYTES - 26) + b"\n")
    assert fits.ok
    too_large = compiled(b"stage s { touchpoint a }\n" + b"#" * MAX_SOURCE_BYTES)
    assert [(d.code, d.span.line, d.span.column, d.message) for d in too_large.diagnostics] == [
        ("E020", 1, 1, "the file is larger than 4 MiB, the limit for a source file")
    ]
    assert too_large.journey is None and too_large.sources == {}


def journey_check(*args: str, stdin=None, timeout: float = 60):
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "journeymap.cli", "check", *args], stdin=stdin,
                          capture_output=True, timeout=timeout)


@pytest.mark.parametrize("how", ["named", "stdin"])
def test_endless_input_is_refused_after_the_limit(how):
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero here")
    if how == "named":
        done = journey_check("/dev/zero")
    else:
        with open("/dev/zero", "rb") as zero:
            done = journey_check("-", stdin=zero)
    name = "/dev/zero" if how == "named" else "-"
    assert done.returncode == 1, done.stderr.decode()[-2000:]
    assert done.stdout.decode().startswith(
        f"{name}:1:1: error[E020]: the file is larger than 4 MiB, the limit for a source file"
    )


def test_a_one_gigabyte_file_is_refused_without_reading_it_whole(tmp_path: Path):
    huge = tmp_path / "huge.journey"
    with open(huge, "wb") as handle:
        handle.truncate(1 << 30)  # sparse: no disk space taken
    done = journey_check(str(huge), timeout=30)
    assert done.returncode == 1
    assert "error[E020]: the file is larger than 4 MiB" in done.stdout.decode()


def test_a_pipe_is_a_fine_main_input(tmp_path: Path):
    """`journey check <(cat map.journey)`: process substitution names a pipe."""
    import shutil
    import subprocess
    import sys

    if shutil.which("bash") is None:
        pytest.skip("no bash here")
    good = tmp_path / "map.journey"
    good.write_text("stage s { touchpoint a }\n")
    command = f'"{sys.executable}" -m journeymap.cli check <(cat map.journey)'
    done = subprocess.run(["bash", "-c", command], cwd=tmp_path, capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr.decode()
    assert "checked 1 file: no problems" in done.stderr.decode()


def test_diagnostics_are_capped_per_file_with_a_count_of_the_rest():
    from journeymap.diagnostics import MAX_PER_FILE

    compilation = compiled("stage s {\n  touchpoint t\n" + "  colour red\n" * 1000 + "}\n")
    assert len(compilation.diagnostics) == MAX_PER_FILE + 1
    assert set(codes(compilation)) == {"E021"}
    last = compilation.diagnostics[-1]
    assert last.message == f"800 more problems in this file not shown; at most {MAX_PER_FILE} are reported a file"
    assert (last.span.line, last.span.column) == (MAX_PER_FILE + 3, 3)  # where the first not shown is
    assert [d.span.line for d in compilation.diagnostics[:-1]] == list(range(3, MAX_PER_FILE + 3))
    assert not compilation.ok


def test_refused_characters_are_capped_and_counted_exactly():
    from journeymap.diagnostics import MAX_PER_FILE

    compilation = compiled(b'title "' + b"\x00" * 10_000 + b'"\nstage s { touchpoint a }\n')
    assert len(compilation.diagnostics) == MAX_PER_FILE + 1
    assert compilation.diagnostics[-1].message.startswith(f"{10_000 - MAX_PER_FILE:,} more problems")
    assert compilation.diagnostics[-1].span.column == 8 + MAX_PER_FILE


def test_invalid_utf8_runs_are_one_problem_each():
    compilation = compiled(b"stage s {\n  touchpoint a \"\xff\xfe\xfd ok \xc3\"\n}\n")
    assert [(d.span.line, d.span.column, d.message) for d in compilation.diagnostics] == [
        (2, 17, "3 invalid UTF-8 bytes 0xFF 0xFE 0xFD; the file must be UTF-8"),
        (2, 24, "invalid UTF-8 byte 0xC3; the file must be UTF-8"),
    ]


def test_unknown_escapes_are_capped():
    from journeymap.diagnostics import MAX_PER_FILE

    compilation = compiled('title "' + "\\q" * 5000 + '"\nstage s { touchpoint a }\n')
    assert len(compilation.diagnostics) == MAX_PER_FILE + 1
    assert compilation.diagnostics[-1].message.startswith(f"{5000 - MAX_PER_FILE:,} more problems")


def test_an_error_past_the_cap_still_fails_the_map():
    from journeymap.diagnostics import MAX_PER_FILE, Collector, make
    from journeymap.source import Span

    collector = Collector()
    for line in range(1, MAX_PER_FILE + 1):
        collector.add(make("W002", "stage 's' has no touchpoints", Span.point("m", line, 1)))
    assert not collector.errors
    collector.add(make("E011", "unknown touchpoint 'x'", Span.point("m", 999, 5)))
    assert collector.errors
    result = collector.result()
    assert [d.code for d in result[-2:]] == ["W002", "E011"]  # the count carries the error's code
    assert (result[-1].span.line, result[-1].message) == (999, "1 more problem in this file not shown; "
                                                               f"at most {MAX_PER_FILE} are reported a file")


# --- one problem, one diagnostic -----------------------------------------------------------


@pytest.mark.parametrize(
    "source,expected",
    [
        ('title "never closed\nstage s { touchpoint a }\n', [("E002", 1, 7)]),
        ('description """\nno end\n', [("E002", 1, 13)]),
        ('stage s {\n  touchpoint a { emotion "x }\n}\n', [("E002", 2, 26)]),
        ('stage s {\n  touchpoint a { emotion @ }\n}\n', [("E001", 2, 26)]),
        ('stage s {\n  touchpoint a { link "javascript:x }\n}\n', [("E002", 2, 23)]),
        ('stage s {\n  touchpoint a\n  touchpoint b\n}\na -> b "x\n', [("E002", 5, 8)]),
        ('persona p "P { goal "g }\nstage s { touchpoint a }\n', [("E001", 1, 24)]),
        ('stage s {\n  touchpoint a { emotion -> 1 }\n}\n', [("E001", 2, 29)]),
        ('title \x07"x"\nstage s { touchpoint a }\n', [("E001", 1, 7)]),
        (b'stage s {\n  touchpoint caf\xff\n}\n', [("E001", 2, 17)]),
    ],
)
def test_a_broken_statement_gets_one_diagnostic(source, expected):
    compilation = compiled(source)
    assert [(d.code, d.span.line, d.span.column) for d in compilation.diagnostics] == expected, [
        d.headline() for d in compilation.diagnostics
    ]


# --- the title -----------------------------------------------------------------------------


def test_an_empty_title_is_empty_not_the_file_name():
    compilation = compiled('title ""\nstage s { touchpoint a }\n', "grocery.journey")
    assert compilation.journey.title == ""
    assert compiled("stage s { touchpoint a }\n", "grocery.journey").journey.title == "grocery"


def test_an_empty_title_renders_as_no_title():
    import json

    from journeymap import RenderOptions

    journey = compiled('title ""\nstage s { touchpoint a }\n', "grocery.journey").journey
    assert json.loads(journeymap.render(journey, "json"))["title"] == ""
    lanes = journeymap.render(journey, "svg", RenderOptions(view="lanes")).decode()
    assert 'class="title"' not in lanes and "grocery" not in lanes
    dot = journeymap.render(journey, "dot").decode()
    assert "fontsize=20" not in dot  # the graph label that would hold the title
    page = journeymap.render(journey, "html").decode()
    assert "<h1>" not in page and "<title>Customer journey</title>" in page  # the page still has a name
    for name in ("mermaid", "mermaid-journey"):
        assert journeymap.render(journey, name)


# --- what diagnostics echo: the source line and user text, shown inertly -----------------

INVISIBLE = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069",
             "\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u2060", "\u00ad", "\ufeff", "\u061c",
             "\u00a0", "\u2007", "\u3000", "\u2028", "\u2029", "\u3164", "\u115f", "\ufe0f", "\U000e0041",
             "\ue000"]


def rendered(compilation, code: str) -> list[str]:
    from journeymap.diagnostics import render_text

    diagnostic = next(d for d in compilation.diagnostics if d.code == code)
    return render_text(diagnostic, compilation.sources).splitlines()


@pytest.mark.parametrize("char", INVISIBLE, ids=lambda c: f"U+{ord(c):04X}")
def test_the_echoed_source_line_shows_invisible_characters_escaped(char):
    compilation = compiled(f'stage s {{\n  touchpoint a "x{char}y{char}" {{ emotion 9 }}\n}}\n')
    headline, _, excerpt, caret = rendered(compilation, "E020")[:4]
    escape = f"<U+{ord(char):04X}>"
    assert char not in excerpt and excerpt.count(escape) == 2
    assert excerpt == f'2 |   touchpoint a "x{escape}y{escape}" {{ emotion 9 }}'
    assert caret.index("^") == excerpt.index(" 9 }") + 1 and caret.count("^") == 1


def test_the_caret_spans_an_escaped_character_at_the_fault():
    compilation = compiled('stage s {\n  touchpoint a { colour\u202e red }\n}\n')
    _, _, excerpt, caret = rendered(compilation, "E001")[:4]
    assert excerpt == "2 |   touchpoint a { colour<U+202E> red }"
    assert caret.index("^") == excerpt.index("<U+202E>") and caret.count("^") == len("<U+202E>")


def test_wide_characters_and_combining_marks_keep_the_caret_in_place():
    # 'é' written as e + U+0301 takes one cell; 'マ' takes two.
    compilation = compiled('stage s {\n  touchpoint a "cafe\u0301 マ" { emotion 9 }\n}\n')
    _, _, excerpt, caret = rendered(compilation, "E020")[:4]
    cells_before = len('2 |   touchpoint a "cafe') + 0 + 1 + 2 + len('" { emotion ')  # U+0301, space, マ
    assert len(caret) - 1 == cells_before


def test_a_long_line_is_cut_around_the_fault_with_the_caret_under_it():
    line = '  touchpoint a "' + "x" * 5000 + '" { emotion 9 }'
    compilation = compiled("stage s {\n" + line + "\n}\n")
    _, _, excerpt, caret = rendered(compilation, "E020")[:4]
    assert len(excerpt) < 220 and excerpt.startswith("2 | …") and excerpt.endswith(" 9 }")
    assert excerpt[caret.index("^")] == "9"


def test_messages_escape_invisible_characters_they_quote(tree: Path):
    from journeymap.diagnostics import render_github, render_json

    main = write_main(tree, 'include "\u202eyenruoj.x"\nstage u {\n  touchpoint b { colo\u3164r red }\n}\n')
    compilation = journeymap.compile_file(main)
    messages = [d.message for d in compilation.diagnostics]
    assert messages == ["include file '<U+202E>yenruoj.x' does not exist",
                        "unknown attribute 'colo<U+3164>r' in a touchpoint"]
    for output in (render_json(compilation.diagnostics), *map(render_github, compilation.diagnostics)):
        assert "\u202e" not in output and "\u3164" not in output


def test_a_huge_identifier_is_shortened_in_messages():
    from journeymap.diagnostics import QUOTE_LIMIT

    name = "a" * 100_000
    compilation = compiled(f"stage s {{\n  touchpoint t\n  {name} x\n}}\nt -> {name}\n")
    assert sorted(codes(compilation)) == ["E011", "E021"]
    for diagnostic in compilation.diagnostics:
        assert f"'{'a' * QUOTE_LIMIT}…'" in diagnostic.message, diagnostic.message
        assert len(diagnostic.message) < 200 and len(diagnostic.help or "") < 200
    text = "\n".join(rendered(compilation, "E021"))
    assert len(text) < 800


@pytest.mark.parametrize(
    "source,code",
    [
        ('stage s {\n  touchpoint a { emotion ' + "z" * 5000 + " }\n}\n", "E020"),
        ('stage s {\n  touchpoint a { duration 3' + "d" * 5000 + " }\n}\n", "E020"),
        ("stage s {\n  touchpoint a { moment " + "m" * 5000 + " }\n}\n", "E020"),
        ('title "x" ' + "q" * 5000 + "\n", "E001"),
        ("stage " + "s" * 5000 + "\nstage " + "s" * 5000 + "\n", "E010"),
        ('stage "' + "!" * 5000 + '"\n', "E020"),
        ("include " + "p" * 5000 + "\n", "E020"),
        ('include "' + "p" * 5000 + '"\n', "E030"),
    ],
)
def test_every_message_quoting_a_long_value_stays_short(source, code):
    compilation = compiled(source)
    assert code in codes(compilation)
    for diagnostic in compilation.diagnostics:
        assert len(diagnostic.message) < 300 and len(diagnostic.help or "") < 300, diagnostic.message

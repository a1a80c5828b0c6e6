"""Every diagnostic code of the spec, with the place it points at (line and column)."""

from __future__ import annotations

import pytest

from conftest import codes, compile_snippet


def only(compilation, code: str):
    found = [d for d in compilation.diagnostics if d.code == code]
    assert found, f"no {code} in {[d.headline() for d in compilation.diagnostics]}"
    return found


def at(diagnostic) -> tuple[int, int]:
    return diagnostic.span.line, diagnostic.span.column


CASES = [
    # code, source, expected (line, column), a fragment of the message or help
    ("E001", 'stage s {\n  touchpoint a "A" @\n}\n', (2, 20), "unexpected character '@'"),
    ("E001", "stage s {\n  touchpoint a\n}\na -> \n", (4, 6), "expected an identifier"),
    ("E001", 'title "x" "y"\n', (1, 11), "unexpected a string after 'title'"),
    ("E001", 'stage s { touchpoint a "A\\q" }\n', (1, 26), "unknown escape"),
    ("E002", 'title "never closed\nstage s { touchpoint a }\n', (1, 7), "unterminated string"),
    ("E002", 'description """\nno end\n', (1, 13), "never closed"),
    ("E010", 'stage s {\n  touchpoint a\n  touchpoint a "Again"\n}\n', (3, 3), "duplicate id 'a'"),
    ("E010", 'persona s "Sam"\nstage s\n', (2, 1), "already declared as a persona"),
    ("E011", "stage s {\n  touchpoint checkout\n}\ncheckout -> chekout\n", (4, 13), "unknown touchpoint 'chekout'"),
    ("E011", "stage s {\n  touchpoint a { persona nobody }\n}\n", (2, 26), "unknown persona 'nobody'"),
    ("E012", "stage s {\n  touchpoint a\n}\na -> s\n", (4, 6), "is a stage"),
    ("E012", "persona p\nstage s {\n  touchpoint a { persona s }\n}\n", (3, 26), "not a persona"),
    ("E020", "stage s {\n  touchpoint a { emotion 3 }\n}\n", (2, 26), "emotion"),
    ("E020", "stage s {\n  touchpoint a\n  touchpoint b\n}\na -> b { rate 150% }\n", (5, 15), "outside 0% to 100%"),
    ("E020", "stage s {\n  duration 3days\n}\n", (2, 12), "unknown unit 'days'"),
    ("E020", "stage s {\n  touchpoint a { moment eventual }\n}\n", (2, 25), "unknown moment"),
    ("E020", "title ident\n", (1, 7), "takes a string"),
    ("E021", "stage s {\n  touchpoint a { colour red }\n}\n", (2, 18), "unknown attribute 'colour'"),
    ("E021", 'stage s {\n  touchpoin b "B"\n}\n', (2, 3), "did you mean 'touchpoint'?"),
    ("E022", "stage s {\n  touchpoint a { channel web; channel email }\n}\n", (2, 31), "given twice"),
    ("E022", 'status as-is\nstatus to-be\n', (2, 1), "given twice"),
    ("E032", 'include "C:\\\\maps\\\\personas.journey"\n', (1, 9), "a Windows drive path"),
    ("E032", 'include "shared\\\\personas.journey"\n', (1, 9), "write include paths relative to the including file"),
    ("E040", 'stage s {\n  touchpoint a { link "javascript:alert(1)" }\n}\n', (2, 23), "javascript"),
    ("W001", "persona a\npersona b\npersona c\nstage s { touchpoint t }\n", (3, 1), "3 personas"),
    ("W002", "stage empty\nstage s { touchpoint t }\n", (1, 1), "no touchpoints"),
    ("W003", "stage s1 {\n  touchpoint a\n}\nstage s2 {\n  touchpoint b\n  touchpoint c\n}\na -> b\nc -> b\n", (6, 3),
     "cannot be reached"),
    ("W004", "stage s1 {\n  touchpoint a\n  touchpoint x\n}\nstage s2 {\n  touchpoint b\n}\na -> b\na -> x\n", (3, 3),
     "dead end"),
    ("W005", "stage s {\n  touchpoint a { moment first }\n}\n", (2, 3), "moment of truth"),
    ("W006", "stage s {\n  touchpoint a\n  touchpoint b { outcome success }\n}\na -> b { rate 80% }\na -> a { rate 30% }\n",
     (2, 3), "add up to 110%"),
    ("W006", "stage s {\n  touchpoint a { entry 60% }\n  touchpoint b { entry 50%; outcome success }\n}\na -> b\n",
     (3, 3), "entries add up to 110%"),
    ("W007", "stage s {\n  touchpoint a { entry 100% }\n  touchpoint b { outcome failure }\n}\nb -> a\n", (3, 3),
     "no traveller reaches the failure outcome 'b'"),
    ("W008", "stage s {\n  touchpoint a\n  touchpoint b\n}\na -> b { rate 20% }\n", (5, 1), "no `outcome`"),
    ("W009", "stage s {\n  touchpoint a\n  touchpoint b\n}\nstage t { touchpoint c { outcome success } }\n"
             "a -> b\nb -> a { rate 100% }\n", (2, 3), "forever"),
    ("W011", "stage s {\n  touchpoint a { emotion -1; moment first; pain \"slow\" }\n}\n", (2, 3), "no opportunity"),
    # per-persona emotion naming a persona the touchpoint is not for; evidence naming what is not a source
    ("E012", "persona p\npersona q\nstage s {\n  touchpoint a { persona p; emotion q -1 }\n}\n", (4, 37),
     "not a persona of touchpoint 'a'"),
    ("E012", "stage s {\n  touchpoint a { evidence s }\n}\n", (2, 27), "not a source"),
    ("E011", "source int \"Interviews\"\nstage s {\n  touchpoint a { evidence itn }\n}\n", (3, 27), "did you mean 'int'"),
    ("E020", "source int { date 2026-02-30 }\nstage s { touchpoint a }\n", (1, 19), "not a day"),
    ("E020", "source int { n -3 }\nstage s { touchpoint a }\n", (1, 16), "whole number"),
    ("E020", "stage s { touchpoint a { outcome maybe } }\n", (1, 34), "success or failure"),
    ("E020", "stage s { touchpoint a { duration 1234567890123456789d } }\n", (1, 35), "duration"),
    # every §14-§15 attribute: a wrong word, an unknown or wrong-kind reference, a misspelling
    ("E020", 'stage s { touchpoint a { pain p "x" { severity huge } } }\n', (1, 48), "one of low, medium, high"),
    ("E020", "stage s { touchpoint a { confidence sure } }\n", (1, 37), "one of assumed, inferred, observed, measured"),
    ("E020", "stage s { touchpoint a\n touchpoint b }\na -> b { confidence guessed }\n", (3, 21), "'guessed'"),
    ("E020", "source i { kind poll }\nstage s { touchpoint a }\n", (1, 17), "one of interview, survey"),
    ("E020", 'stage s { touchpoint a { opportunity o "x" { status finished } } }\n', (1, 53), "idea, planned, doing"),
    ("E020", 'stage s { touchpoint a { opportunity o "x" { impact big } } }\n', (1, 53), "'impact' must be one of"),
    ("E020", 'stage s { touchpoint a { opportunity o "x" { effort tiny } } }\n', (1, 53), "'effort' must be one of"),
    ("E020", "stage s { touchpoint a { entry 150% } }\n", (1, 32), "outside 0% to 100%"),
    ("E011", 'stage s { touchpoint a { pain slow "x"\n opportunity o "y" { addresses slwo } } }\n', (2, 32),
     "did you mean 'slow'"),
    ("E012", 'stage s { touchpoint a { opportunity o "y" { addresses a } } }\n', (1, 56), "not a pain"),
    ("E021", 'stage s { touchpoint a { pain p "x" { severty high } } }\n', (1, 39), "did you mean 'severity'"),
    ("E040", 'stage s { touchpoint a { opportunity o "y" { ticket "javascript:alert(1)" } } }\n', (1, 53),
     "javascript"),
]


@pytest.mark.parametrize("code,source,position,fragment", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_each_code_points_at_the_fault(code, source, position, fragment):
    compilation = compile_snippet(source)
    matches = only(compilation, code)
    assert position in [at(d) for d in matches], [d.headline() for d in matches]
    text = " ".join(f"{d.message} {d.help or ''}" for d in matches)
    assert fragment in text


def test_include_codes(tmp_path):
    root = tmp_path / "docs"
    root.mkdir()
    (tmp_path / "outside.journey").write_text('persona outsider "O"\n')
    (root / "a.journey").write_text('include "b.journey"\n')
    (root / "b.journey").write_text('include "a.journey"\n')
    main = root / "main.journey"
    main.write_text(
        'include "missing.journey"\ninclude "a.journey"\ninclude "../outside.journey"\n'
        'stage s { touchpoint t }\n'
    )
    import journeymap

    compilation = journeymap.compile_file(main)
    found = {(d.code, d.span.file.rsplit("/", 1)[-1], d.span.line, d.span.column) for d in compilation.diagnostics}
    assert ("E030", "main.journey", 1, 9) in found
    assert ("E031", "b.journey", 1, 9) in found
    assert ("E032", "main.journey", 3, 9) in found
    assert compilation.journey is None


def test_include_codes_for_files_that_cannot_be_merged(tmp_path):
    import os

    import journeymap
    from journeymap.compiler.workspace import MAX_INCLUDE_DEPTH
    from journeymap.source import MAX_SOURCE_BYTES

    root = tmp_path / "docs"
    root.mkdir()
    os.mkfifo(root / "pipe.journey")
    (root / "big.journey").write_bytes(b"#" * (MAX_SOURCE_BYTES + 1))
    for level in range(MAX_INCLUDE_DEPTH + 5):
        (root / f"d{level}.journey").write_text(f'include "d{level + 1}.journey"\n')
    main = root / "main.journey"
    main.write_text('include "pipe.journey"\ninclude "big.journey"\ninclude "d0.journey"\nstage s { touchpoint t }\n')
    compilation = journeymap.compile_file(main)
    found = [(d.code, d.span.file.rsplit("/", 1)[-1], d.span.line, d.span.column, d.message)
             for d in compilation.diagnostics]
    assert found == [
        ("E030", "main.journey", 1, 9, "include 'pipe.journey' is not a regular file"),
        ("E030", "main.journey", 2, 9, "include 'big.journey' is larger than 4 MiB, the limit for a source file"),
        ("E030", f"d{MAX_INCLUDE_DEPTH - 2}.journey", 1, 9, f"include chain deeper than {MAX_INCLUDE_DEPTH} files"),
    ]


def test_a_file_past_the_size_limit_is_e020_at_its_start():
    import journeymap
    from journeymap.source import MAX_SOURCE_BYTES

    compilation = journeymap.compile_text(b"#" * (MAX_SOURCE_BYTES + 1), "huge.journey")
    assert [(d.code, d.span.line, d.span.column) for d in compilation.diagnostics] == [("E020", 1, 1)]


def test_every_code_of_the_spec_is_covered_here():
    from journeymap.diagnostics import CODES

    covered = {case[0] for case in CASES} | {"E030", "E031", "E032", "W010", "E050", "E051"}  # with files: test_extends
    assert covered == set(CODES)


def test_all_problems_of_a_file_in_one_run():
    compilation = compile_snippet(
        'title "a"\ntitle "b"\nstage s {\n  touchpoint a { emotion 9; colour x }\n  touchpoint a\n}\na -> nowhere\n'
    )
    assert sorted(set(codes(compilation))) == ["E010", "E011", "E020", "E021", "E022"]


def test_did_you_mean_for_unknown_touchpoint():
    compilation = compile_snippet("stage s {\n  touchpoint checkout\n  touchpoint landing\n}\nlanding -> chekout\n")
    (problem,) = only(compilation, "E011")
    assert problem.help == "did you mean 'checkout'?"


def test_warnings_do_not_block_the_model():
    compilation = compile_snippet("stage empty\nstage s { touchpoint t }\n")
    assert codes(compilation) == ["W002"]
    assert compilation.journey is not None


def test_flow_warnings_are_left_out_while_the_map_has_errors():
    compilation = compile_snippet("stage s1 {\n  touchpoint a\n  touchpoint x\n}\nstage s2 { touchpoint b }\na -> b\na -> zz\n")
    assert "W004" not in codes(compilation)
    assert "E011" in codes(compilation)


def test_w010_only_with_require_evidence():
    text = ('source int { kind interview }\nstage s {\n  touchpoint a {\n    emotion -1; moment first\n'
            '    pain slow "Slow" { evidence int }\n    pain "Ugly"\n  }\n  touchpoint b\n}\na -> b { rate 40% }\n')
    assert "W010" not in [d.code for d in compile_snippet(text).diagnostics]
    found = only(compile_snippet(text, require_evidence=True), "W010")
    assert sorted((at(d), d.message) for d in found) == [
        ((3, 3), "the moment of truth 'a' cites no evidence"),
        ((6, 5), "pain 'Ugly' of 'a' cites no evidence"),
        ((10, 1), "the rate of a -> b cites no evidence"),
    ]


def test_a_moment_with_each_personas_own_emotion_has_an_emotion():
    text = 'persona a "A"\npersona b "B"\nstage s {\n  touchpoint t { moment first; emotion a -1, b 1 }\n}\n'
    assert "W005" not in codes(compile_snippet(text))

"""The symbol table survives compiling: every declaration and every reference, with the span
of the id as written, across included files, so an editor can jump, find and rename."""

from __future__ import annotations

import journeymap


def test_declarations_and_references_with_their_spans_across_an_include(tmp_path):
    (tmp_path / "people.journey").write_text('persona maya "Maya"\n')
    main = tmp_path / "map.journey"
    main.write_text('include "people.journey"\nstage "Look around" {\n  touchpoint ad "Ad" { persona maya }\n'
                    '  touchpoint buy { persona mya }\n}\nad -> buy\nbuy -> look_around\n')
    compilation = journeymap.compile_file(main)
    symbols = compilation.symbols
    maya = symbols.get("maya")
    assert (maya.kind, maya.label, maya.span.file.endswith("people.journey"), maya.span.line, maya.span.column) == \
        ("persona", "Maya", True, 1, 9)
    stage = symbols.get("look_around")
    assert stage.derived and (stage.span.line, stage.span.column, stage.span.end_column) == (2, 7, 20)
    ad = symbols.get("ad")
    assert (ad.kind, ad.span.line, ad.span.column, ad.span.end_column) == ("touchpoint", 3, 14, 16)
    found = {(r.id, r.wanted, r.span.line, r.span.column, r.resolved) for r in symbols.references}
    assert found == {
        ("maya", "persona", 3, 32, True),
        ("mya", "persona", 4, 28, False),  # a misspelling is kept, unresolved, for a quick fix
        ("ad", "touchpoint", 6, 1, True),
        ("buy", "touchpoint", 6, 7, True),
        ("buy", "touchpoint", 7, 1, True),
        ("look_around", "touchpoint", 7, 8, False),  # the wrong kind: a stage
    }
    assert symbols.at(str(main), 6, 8).id == "buy"
    assert [r.span.line for r in symbols.references_to("buy")] == [6, 7]

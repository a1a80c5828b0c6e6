"""The language server's answers without the protocol: on any position of any map, broken
ones included, every query answers without raising; renames keep the map compiling with the
same meaning; derived ids and wrong kinds are handled; completion reads the block it is in."""

from __future__ import annotations

import textwrap

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import journeymap
from conftest import EXAMPLES, ROOT
from journeymap.lsp.completion import candidates, context_at
from journeymap.lsp.index import MapIndex, RenameRefused

BROKEN = [
    'stage s {\n  touchpoint a "A" { emotion 9; persona nobody }\n  touchpoint b\n',
    'title "x"\nstage "Only a label" {\n  touchpoint "Derived here" { channel web }\n}\nderived_here -> s\n',
    'persona p\nstage s { touchpoint t { persona p, p2, } }\nt -> t -> \n"unterminated\n',
    '\ufeffstage 😀 { }\n}}}\n->\n',
]
TEXTS = [(path.name, path.read_text(encoding="utf-8")) for path in EXAMPLES] + [
    (f"broken{i}.journey", text) for i, text in enumerate(BROKEN)]


def _index(name: str, text: str) -> MapIndex:
    return MapIndex(journeymap.compile_text(text, str(ROOT / "examples" / name)))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(TEXTS), st.integers(0, 200), st.integers(0, 120))
def test_every_query_answers_at_any_position(case, line, column):
    name, text = case
    index = _index(name, text)
    path = str(ROOT / "examples" / name)
    for file in index.documents:
        index.at(file, line, column)
        index.definition(file, line, column)
        index.references(file, line, column)
        index.hover(file, line, column)
        index.outline(file)
        index.folding(file)
        try:
            index.rename(file, line, column, "fresh_id")
        except RenameRefused:
            pass
    rows = text.split("\n")
    before = "\n".join(rows[: min(line, len(rows))]) + "\n" + (rows[line][:column] if line < len(rows) else "")
    candidates(before, lambda kind: [(i, i) for i in index.symbols.of_kind(kind)])
    assert index.at(path, 0, 0) is None


def _apply(text: str, edits) -> str:
    lines = text.split("\n")
    for span, new in sorted(edits, key=lambda e: (e[0].line, e[0].column), reverse=True):
        row = lines[span.line - 1]
        lines[span.line - 1] = row[: span.column - 1] + new + row[span.end_column - 1:]
    return "\n".join(lines)


def test_renaming_every_declared_id_keeps_the_meaning():
    path = next(p for p in EXAMPLES if p.name == "subscription-churn.journey")
    text = path.read_text(encoding="utf-8")
    before = journeymap.compile_text(text, str(path))
    for ident, symbol in before.symbols.declarations.items():
        edits = MapIndex(before).rename(symbol.span.file, symbol.span.line, symbol.span.column, "renamed_id")
        assert list(edits) == [str(path)]
        after = journeymap.compile_text(_apply(text, edits[str(path)]), str(path))
        assert after.ok, (ident, after.diagnostics)
        assert "renamed_id" in after.symbols.declarations and ident not in after.symbols.declarations
        assert len(after.symbols.references_to("renamed_id")) == len(before.symbols.references_to(ident))


def test_a_derived_id_is_renamed_by_writing_one_before_the_label():
    text = textwrap.dedent("""\
        stage "Post-purchase" {
          touchpoint "Thank you page" { channel web }
          touchpoint survey "Survey" { channel email }
        }
        thank_you_page -> survey
        """)
    compilation = journeymap.compile_text(text, "map.journey")
    index = MapIndex(compilation)
    edits = index.rename("map.journey", 5, 1, "thanks")["map.journey"]
    renamed = _apply(text, edits)
    assert 'touchpoint thanks "Thank you page"' in renamed and "thanks -> survey" in renamed
    assert journeymap.compile_text(renamed, "map.journey").ok


def test_rename_refuses_what_would_break_the_map():
    compilation = journeymap.compile_text('stage s "S" {\n  touchpoint a "A"\n  touchpoint b "B"\n}\na -> b\n', "m.journey")
    index = MapIndex(compilation)
    for name, reason in (("b", "already declared"), ("9x", "not an id"), ("a-", "not an id"), ("touchpoint", "starts")):
        try:
            index.rename("m.journey", 5, 1, name)
        except RenameRefused as refused:
            assert reason in str(refused)
        else:
            raise AssertionError(name)
    try:
        index.rename("m.journey", 1, 1, "x")  # the word 'stage'
    except RenameRefused as refused:
        assert "only the id" in str(refused)
    assert index.rename("m.journey", 5, 1, "Ärger")["m.journey"][0][1] == "Ärger"  # non-ASCII ids are ids


def test_a_reference_of_the_wrong_kind_still_finds_its_declaration():
    compilation = journeymap.compile_text('stage s "S" {\n  touchpoint a "A"\n}\na -> s\n', "m.journey")
    index = MapIndex(compilation)
    assert [d.code for d in compilation.diagnostics] == ["E012"]
    assert index.definition("m.journey", 4, 6) == [compilation.symbols.get("s").span]
    assert "**stage** `s`" in index.hover("m.journey", 4, 6)[0]


def test_completion_knows_the_block_it_is_in():
    assert context_at('stage s {\n  touchpoint t {\n    ').scope == "touchpoint"
    assert context_at('stage s {\n  touchpoint t { emotion 1 }\n  ').scope == "stage"
    assert context_at('stage s {\n  touchpoint t "{ in a string" {\n').scope == "touchpoint"
    assert context_at('# { in a comment\n').scope == "map"
    assert context_at('a -> b {\n  ').scope == "transition"
    assert context_at('stage s {\n  touchpoint t {\n    note "half').inside_text
    assert context_at('stage s {\n  touchpoint t {\n    note """long\n text').inside_text
    labels = [c.label for c in candidates('a -> b {\n  style ', lambda kind: [])]
    assert labels == ["solid", "dashed", "dotted"]
    assert [c.label for c in candidates("status ", lambda kind: [])] == ["as-is", "to-be"]
    assert [c.label for c in candidates("stage s {\n  touchpoint t {\n    moment ", lambda kind: [])] == [
        "zero", "first", "second", "ultimate"]
    ids = lambda kind: [("p1", "P1"), ("p2", "P2")] if kind == "persona" else [("t", "T")]  # noqa: E731
    assert [c.label for c in candidates("stage s {\n  touchpoint t {\n    persona p1, ", ids)] == ["p2"]
    assert [c.label for c in candidates("stage s {\n  touchpoint t {\n    persona p1 ", ids)] == []
    assert [c.label for c in candidates("x -> ", ids)] == ["t"]
    assert [c.label for c in candidates("stage s {\n  touchpoint t {\n    chan", ids)][:1] == ["channel"]


def test_a_hover_shows_a_maps_text_as_text():
    """An editor renders hovers as Markdown: a label, a pain or a value there is text, never a
    link, an image or markup (rendered here as GitHub renders Markdown)."""
    import cmarkgfm

    hostile = "[Fix it](https://evil.example) <b>x</b> www.evil.example ![i](x.png)"
    text = (f'stage s "{hostile}" {{\n  touchpoint a "{hostile}" {{\n    pain "{hostile}"\n'
            f'    owner "{hostile}"\n  }}\n}}\n')
    index = MapIndex(journeymap.compile_text(text, "m.journey"))
    for line, column in ((1, 7), (2, 14)):  # on the stage's id, on the touchpoint's
        hover = index.hover("m.journey", line, column)[0]
        page = cmarkgfm.github_flavored_markdown_to_html(hover)
        assert "<a " not in page and "<b>" not in page and "<img" not in page, page
        assert hostile.replace("<", "&lt;").replace(">", "&gt;") in page.replace("\u2060", ""), page

"""Sessions with `journey lsp` over stdio, as an editor drives it (pytest-lsp): open a map that
includes another file, get its diagnostics, hover, go to a definition in the included file,
find references, rename across both files, complete, format, outline and fold. Labels with
emoji and accents check that positions are counted in UTF-16."""

from __future__ import annotations

import asyncio
import sys
import textwrap
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

MAIN = textwrap.dedent("""\
    title "Café 😀 trip"
    include "shared/people.journey"

    stage book "Réserver 🎫" {
      touchpoint search "Cherche 🔎 un vol" { channel web; persona léa; emotion happy }
      touchpoint pay "Paie 💳" {
        channel web
        persona léa
        emotion -1
        pain "Frais cachés 😡"
      }
    }

    search -> pay
    """)
PEOPLE = textwrap.dedent("""\
    # Shared personas
    persona léa "Léa 🧳, voyageuse" {
      goal "Partir vite"
    }
    """)


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    (tmp_path / "shared").mkdir()
    (tmp_path / "map.journey").write_text(MAIN, encoding="utf-8")
    (tmp_path / "shared" / "people.journey").write_text(PEOPLE, encoding="utf-8")
    return tmp_path


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[sys.executable, "-m", "journeymap.cli", "lsp"]))
async def client(lsp_client: LanguageClient, workspace: Path):
    lsp_client.published = []  # every publishDiagnostics, in order (pytest-lsp keeps only the last per file)
    handle = lsp_client.protocol._handle_notification

    def record(method, params):
        if method == types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS:
            lsp_client.published.append(params)
        return handle(method, params)

    lsp_client.protocol._handle_notification = record
    await lsp_client.initialize_session(types.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"), root_uri=workspace.as_uri()))
    yield
    await lsp_client.shutdown_session()


def _uri(path: Path) -> str:
    return path.as_uri()


def _utf16(line: str, text: str) -> int:
    """Where `text` starts on `line`, in UTF-16 code units."""
    index = line.index(text)
    return len(line[:index].encode("utf-16-le")) // 2


async def _open(client: LanguageClient, path: Path, text: str | None = None, version: int = 1) -> None:
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
        uri=_uri(path), language_id="journey", version=version, text=text if text is not None else path.read_text("utf-8"))))
    await _published(client, path, version)


async def _published(client: LanguageClient, path: Path, version: int | None):
    """The diagnostics published for one version of a file (waiting for them up to 20 s)."""
    for _ in range(2000):
        for params in client.published:
            if params.uri == _uri(path) and params.version == version:
                return list(params.diagnostics)
        await asyncio.sleep(0.01)
    raise AssertionError(f"no diagnostics for version {version} of {path.name}")


async def _change(client: LanguageClient, path: Path, text: str, version: int):
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=_uri(path), version=version),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)]))
    return await _published(client, path, version)


def _position(text: str, line: int, needle: str, offset: int = 0) -> types.Position:
    row = text.split("\n")[line]
    return types.Position(line=line, character=_utf16(row, needle) + offset)


async def test_diagnostics_as_you_type_with_codes_help_and_utf16_ranges(client: LanguageClient, workspace: Path):
    path = workspace / "map.journey"
    await _open(client, path)
    assert list(client.diagnostics[_uri(path)]) == []
    found = await _change(client, path, MAIN.replace("search -> pay", "search -> pya"), 2)
    assert [d.code for d in found] == ["E011"]
    assert "help: did you mean 'pay'?" in found[0].message
    assert found[0].severity == types.DiagnosticSeverity.Error
    assert found[0].range.start == types.Position(line=13, character=10)
    assert found[0].range.end == types.Position(line=13, character=13)
    # An emoji before the mistake: the column is counted in UTF-16 (the emoji is two units).
    emoji = MAIN.replace('pain "Frais cachés 😡"', 'pain "Frais cachés 😡" oops')
    found = await _change(client, path, emoji, 3)
    line = emoji.split("\n")[9]
    assert [d.code for d in found] == ["E001"]
    assert found[0].range.start == types.Position(line=9, character=_utf16(line, "oops"))


async def test_an_incremental_change_is_applied_like_the_editor_does(client: LanguageClient, workspace: Path):
    path = workspace / "map.journey"
    await _open(client, path)
    # Replace 'pay' in the last line by 'paie' with a ranged change.
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=_uri(path), version=2),
        content_changes=[types.TextDocumentContentChangePartial(
            range=types.Range(start=types.Position(line=13, character=10), end=types.Position(line=13, character=13)),
            text="paie")]))
    assert [d.code for d in await _published(client, path, 2)] == ["E011"]


async def test_an_error_in_an_included_file_is_shown_in_that_file(client: LanguageClient, workspace: Path):
    people = workspace / "shared" / "people.journey"
    people.write_text(PEOPLE.replace('goal "Partir vite"', 'goal "Partir vite"\n  mood happy'), encoding="utf-8")
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
        uri=_uri(workspace / "map.journey"), language_id="journey", version=1, text=MAIN)))
    found = await _published(client, people, None)
    assert [d.code for d in found] == ["E021"]
    assert found[0].range.start.line == 3
    assert list(client.diagnostics[_uri(workspace / "map.journey")]) == []


async def test_hover_on_an_id_and_on_an_attribute(client: LanguageClient, workspace: Path):
    path = workspace / "map.journey"
    await _open(client, path)
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=_uri(path)), position=_position(MAIN, 13, "pay", 1)))
    text = hover.contents.value
    assert "**touchpoint** `pay` — Paie 💳" in text
    assert "stage: Réserver 🎫 (`book`)" in text
    assert "- emotion: -1" in text and "- pain: Frais cachés 😡" in text
    assert hover.range.start == types.Position(line=13, character=10)
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=_uri(path)), position=_position(MAIN, 8, "emotion")))
    assert hover.contents.value.startswith("**emotion** (in a touchpoint, once) — -2 to +2, or angry")
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=_uri(path)), position=_position(MAIN, 7, "léa", 1)))
    assert "**persona** `léa` — Léa 🧳, voyageuse" in hover.contents.value
    assert "- goal: Partir vite" in hover.contents.value


async def test_go_to_definition_across_an_include_and_on_the_include_path(client: LanguageClient, workspace: Path):
    path = workspace / "map.journey"
    people = workspace / "shared" / "people.journey"
    await _open(client, path)
    found = await client.text_document_definition_async(types.DefinitionParams(
        text_document=types.TextDocumentIdentifier(uri=_uri(path)), position=_position(MAIN, 7, "léa")))
    assert [(location.uri, location.range.start, location.range.end) for location in found] == [
        (_uri(people), types.Position(line=1, character=8), types.Position(line=1, character=11))]
    found = await client.text_document_definition_async(types.DefinitionParams(
        text_document=types.TextDocumentIdentifier(uri=_uri(path)), position=_position(MAIN, 1, "shared", 2)))
    assert [location.uri for location in found] == [_uri(people)]
    found = await client.text_document_definition_async(types.DefinitionParams(
        text_document=types.TextDocumentIdentifier(uri=_uri(path)), position=_position(MAIN, 13, "pay")))
    assert [(location.uri, location.range.start.line, location.range.start.character) for location in found] == [
        (_uri(path), 5, _utf16(MAIN.split("\n")[5], "pay"))]


async def test_find_references_from_the_included_file(client: LanguageClient, workspace: Path):
    path = workspace / "map.journey"
    people = workspace / "shared" / "people.journey"
    await _open(client, path)
    await _open(client, people)
    found = await client.text_document_references_async(types.ReferenceParams(
        text_document=types.TextDocumentIdentifier(uri=_uri(people)), position=_position(PEOPLE, 1, "léa"),
        context=types.ReferenceContext(include_declaration=True)))
    assert sorted((location.uri, location.range.start.line) for location in found) == sorted([
        (_uri(people), 1), (_uri(path), 4), (_uri(path), 7)])


async def test_rename_a_persona_across_the_include(client: LanguageClient, workspace: Path):
    path = workspace / "map.journey"
    people = workspace / "shared" / "people.journey"
    await _open(client, path)
    prepared = await client.text_document_prepare_rename_async(types.PrepareRenameParams(
        text_document=types.TextDocumentIdentifier(uri=_uri(path)), position=_position(MAIN, 7, "léa")))
    assert prepared.placeholder == "léa"
    edit = await client.text_document_rename_async(types.RenameParams(
        text_document=types.TextDocumentIdentifier(uri=_uri(path)), position=_position(MAIN, 7, "léa"),
        new_name="zoé"))
    texts = {uri: [(e.range.start.line, e.range.start.character, e.range.end.character, e.new_text) for e in edits]
             for uri, edits in edit.changes.items()}
    main_lines = MAIN.split("\n")
    assert sorted(texts[_uri(path)]) == [
        (4, _utf16(main_lines[4], "léa"), _utf16(main_lines[4], "léa") + 3, "zoé"), (7, 12, 15, "zoé")]
    assert texts[_uri(people)] == [(1, 8, 11, "zoé")]


async def test_rename_refuses_a_taken_id_or_a_word_that_is_not_an_id(client: LanguageClient, workspace: Path):
    path = workspace / "map.journey"
    await _open(client, path)
    for new_name, reason in (("search", "already declared as a touchpoint"), ("2fast", "is not an id"),
                             ("stage", "starts statements")):
        with pytest.raises(Exception, match=reason):
            await client.text_document_rename_async(types.RenameParams(
                text_document=types.TextDocumentIdentifier(uri=_uri(path)), position=_position(MAIN, 13, "pay"),
                new_name=new_name))


async def _complete(client, path: Path, text: str, line: int, character: int) -> list[str]:
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=_uri(path), version=9),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)]))
    result = await client.text_document_completion_async(types.CompletionParams(
        text_document=types.TextDocumentIdentifier(uri=_uri(path)), position=types.Position(line=line, character=character)))
    return [item.label for item in result.items]


async def test_completion_of_attributes_words_and_ids(client: LanguageClient, workspace: Path):
    path = workspace / "map.journey"
    await _open(client, path)
    lines = MAIN.split("\n")
    # A new line inside the touchpoint 'pay': the touchpoint's attributes.
    text = "\n".join(lines[:9] + ["    "] + lines[9:])
    labels = await _complete(client, path, text, 9, 4)
    assert "channel" in labels and "moment" in labels and "stage" not in labels and "goal" not in labels
    text = "\n".join(lines[:9] + ["    channel "] + lines[9:])
    assert (await _complete(client, path, text, 9, 12))[:3] == ["web", "mobile", "email"]
    text = "\n".join(lines[:9] + ["    emotion "] + lines[9:])
    assert await _complete(client, path, text, 9, 12) == ["angry", "frustrated", "neutral", "happy", "delighted"]
    text = "\n".join(lines[:13] + ["search -> "])
    assert await _complete(client, path, text, 13, 10) == ["search", "pay"]
    # After 'persona' in a touchpoint: persona ids (declared in the included file); the
    # cursor is after the emoji of the label on the same line.
    text = MAIN.replace("persona léa; emotion happy", "persona ")
    row = text.split("\n")[4]
    assert await _complete(client, path, text, 4, _utf16(row, "persona ") + 8) == ["léa"]
    # At the top level: the map's statements.
    labels = await _complete(client, path, MAIN + "\n", 15, 0)
    assert {"title", "persona", "stage", "include"} <= set(labels) and "channel" not in labels


async def test_formatting_returns_the_canonical_text(client: LanguageClient, workspace: Path):
    path = workspace / "map.journey"
    messy = MAIN.replace("    channel web\n    persona léa\n", "        channel    web\n  persona léa\n")
    await _open(client, path, messy)
    edits = await client.text_document_formatting_async(types.DocumentFormattingParams(
        text_document=types.TextDocumentIdentifier(uri=_uri(path)),
        options=types.FormattingOptions(tab_size=2, insert_spaces=True)))
    assert _apply(messy, edits) == MAIN


def _apply(text: str, edits) -> str:
    lines = text.split("\n")
    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        start, end = edit.range.start, edit.range.end
        before = "\n".join(lines[:start.line] + [lines[start.line][:start.character]])
        after = "\n".join([lines[end.line][end.character:]] + lines[end.line + 1:])
        lines = (before + edit.new_text + after).split("\n")
    return "\n".join(lines)


async def test_outline_and_folding(client: LanguageClient, workspace: Path):
    path = workspace / "map.journey"
    await _open(client, path)
    symbols = await client.text_document_document_symbol_async(types.DocumentSymbolParams(
        text_document=types.TextDocumentIdentifier(uri=_uri(path))))
    assert [(s.name, s.detail, [c.name for c in s.children]) for s in symbols] == [
        ("Réserver 🎫", "book", ["Cherche 🔎 un vol", "Paie 💳"])]
    assert symbols[0].kind == types.SymbolKind.Namespace
    ranges = await client.text_document_folding_range_async(types.FoldingRangeParams(
        text_document=types.TextDocumentIdentifier(uri=_uri(path))))
    assert sorted((r.start_line, r.end_line) for r in ranges) == [(3, 11), (5, 10)]


async def test_unsaved_changes_in_an_open_included_file_count(client: LanguageClient, workspace: Path):
    path = workspace / "map.journey"
    people = workspace / "shared" / "people.journey"
    await _open(client, path)
    await _open(client, people)
    # Rename the persona in the included file without saving: the map now names an unknown one.
    renamed = PEOPLE.replace("persona léa", "persona zoé")
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=_uri(people), version=2),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=renamed)]))
    found = await _published(client, path, 1)  # the map is read again with the buffer's text
    for _ in range(200):
        found = [p for p in client.published if p.uri == _uri(path)][-1].diagnostics
        if found:
            break
        await asyncio.sleep(0.01)
    assert sorted({d.code for d in found}) == ["E011"]
    assert people.read_text(encoding="utf-8") == PEOPLE  # nothing was written
    # Closing the buffer: the file on disk counts again.
    client.text_document_did_close(types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(
        uri=_uri(people))))
    for _ in range(200):
        if not [p for p in client.published if p.uri == _uri(path)][-1].diagnostics:
            break
        await asyncio.sleep(0.01)
    assert list([p for p in client.published if p.uri == _uri(path)][-1].diagnostics) == []


async def test_nonsense_from_the_editor_never_stops_the_server(client: LanguageClient, workspace: Path):
    path = workspace / "map.journey"
    await _open(client, path, "stage \ud800 { \x00 }\r\n\ufeff}}}", version=1)
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=_uri(path)), position=types.Position(line=99, character=99)))
    assert hover is None
    found = await client.text_document_definition_async(types.DefinitionParams(
        text_document=types.TextDocumentIdentifier(uri=_uri(path)), position=types.Position(line=0, character=10_000)))
    assert found is None
    await _change(client, path, MAIN, 2)
    assert list(client.diagnostics[_uri(path)]) == []

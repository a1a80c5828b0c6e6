"""The language server over stdio (pygls): keeps every open map compiled, publishes its
diagnostics as the user types, and answers hover, definition, references, rename, completion,
formatting, outline and folding from the map's index.

A map is a main file and the files it includes. A file that an open map includes is read as
part of that map (its diagnostics, definitions and renames are the map's); any other open
file is a map of its own. Compiling runs in one worker thread, on the latest text only: edits
that arrive meanwhile are read together in the next pass, so typing never queues compilations.
"""

from __future__ import annotations

import asyncio
import logging
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

import journeymap
from journeymap import language as lang

from . import completion as complete
from .incremental import IncrementalParser
from .index import FilePath, MapIndex, RenameRefused
from .positions import UTF8, UTF16, UTF32, Converter, from_units, units

if TYPE_CHECKING:
    from journeymap import Compilation

log = logging.getLogger(__name__)

# Seconds to wait after a change before compiling, so a burst of keystrokes is read once.
DEBOUNCE = 0.005
SERVER_NAME = "journey-lsp"

_ENCODINGS: dict[str, str] = {types.PositionEncodingKind.Utf8: UTF8, types.PositionEncodingKind.Utf16: UTF16,
              types.PositionEncodingKind.Utf32: UTF32}
_KINDS = {
    lang.PERSONA: types.SymbolKind.Class,
    lang.STAGE: types.SymbolKind.Namespace,
    lang.TOUCHPOINT: types.SymbolKind.Event,
}
_COMPLETION_KINDS = {
    complete.ATTRIBUTE: types.CompletionItemKind.Property,
    complete.DECLARATION: types.CompletionItemKind.Keyword,
    complete.STATEMENT: types.CompletionItemKind.Keyword,
    complete.WORD: types.CompletionItemKind.EnumMember,
    complete.IDENTIFIER: types.CompletionItemKind.Reference,
}


@dataclass
class Analysis:
    """The last compilation of one map, and what was published from it."""

    root: str  # the main file's path
    versions: dict[str, int | None]  # path -> version of the open document read
    compilation: Compilation
    published: set[str] = field(default_factory=set)  # paths given diagnostics
    _index: MapIndex | None = None

    @property
    def index(self) -> MapIndex:
        if self._index is None:
            self._index = MapIndex(self.compilation)
        return self._index

    @property
    def files(self) -> list[str]:
        """The map's files, the main file first."""
        return list(self.compilation.sources)


class JourneyServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(SERVER_NAME, journeymap.__version__,
                         text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.parsers: dict[str, IncrementalParser] = {}
        self.analyses: dict[str, Analysis] = {}  # root path -> its last analysis
        self.owner: dict[str, str] = {}  # path -> the root whose map includes it
        self.tasks: dict[str, asyncio.Task] = {}
        self.dirty: set[str] = set()
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="journey-compile")
        self.include_root: str | None = None
        self.uris: dict[str, str] = {}  # path -> the uri the editor uses for it

    # --- files and uris --------------------------------------------------------------------------
    def path_of(self, uri: str) -> str:
        path = to_fs_path(uri) if uri.startswith("file:") else None
        path = os.path.normpath(path) if path else uri
        self.uris.setdefault(path, uri)
        return path

    def uri_of(self, path: str) -> str:
        return self.uris.get(path) or from_fs_path(path) or path

    @property
    def encoding(self) -> str:
        kind = self.workspace.position_encoding  # None until the client has said
        return _ENCODINGS.get(kind, UTF16) if kind is not None else UTF16

    def open_text(self, path: str) -> tuple[str, int | None] | None:
        uri = self.uris.get(path)
        if uri is None or uri not in self.workspace.text_documents:
            return None
        document = self.workspace.get_text_document(uri)
        return _clean(document.source), document.version

    def root_for(self, path: str) -> str:
        root = self.owner.get(path)
        if root is not None and root != path and self.open_text(root) is not None and root in self.analyses:
            return root
        return path

    # --- compiling -------------------------------------------------------------------------------
    def schedule(self, root: str) -> None:
        task = self.tasks.get(root)
        if task is not None and not task.done():
            self.dirty.add(root)
            return
        self.tasks[root] = asyncio.get_running_loop().create_task(self._analyse_until_current(root))

    async def _analyse_until_current(self, root: str) -> None:
        await asyncio.sleep(DEBOUNCE)
        loop = asyncio.get_running_loop()
        while True:
            self.dirty.discard(root)
            snapshot = self._snapshot(root)
            if snapshot is None:
                return
            try:
                analysis = await loop.run_in_executor(self.worker, self._compile, root, *snapshot)
            except Exception:  # our bug: say so in the editor's log, keep serving
                log.exception("compiling %s failed", root)
                return
            self._adopt(analysis)
            if root not in self.dirty:
                return

    def _snapshot(self, root: str):
        opened = self.open_text(root)
        if opened is None:
            return None
        text, version = opened
        others = {}
        versions = {root: version}
        for path in list(self.uris):
            if path != root:
                other = self.open_text(path)
                if other is not None:
                    others[path] = other[0].encode("utf-8")
                    versions[path] = other[1]
        return text, others, versions

    def _compile(self, root: str, text: str, others: dict[str, bytes], versions) -> Analysis:
        """In the worker thread: read the root's text again where it changed, then compile the map."""
        parser = self.parsers.setdefault(root, IncrementalParser(root))
        document, _problems = parser.parse(text)
        is_file = os.path.isabs(root)
        base_dir = os.path.dirname(root) if is_file else (self.workspace.root_path or os.getcwd())
        compilation = journeymap.compile_text(text, root, base_dir=base_dir, include_root=self.include_root,
                                              document=document, open_files=others)
        return Analysis(root, versions, compilation)

    def _adopt(self, analysis: Analysis) -> None:
        root = analysis.root
        if self.open_text(root) is None:  # closed meanwhile
            return
        previous = self.analyses.get(root)
        self.analyses[root] = analysis
        files = analysis.files
        by_name = set(files)
        for path in files:
            if path != root:
                self.owner[path] = root
                if path in self.analyses:  # it was a map of its own: now it is part of this one
                    stale = self.analyses.pop(path)
                    for gone in stale.published - by_name:
                        self.publish(gone, [])
        released = [path for path, owner in self.owner.items() if owner == root and path not in by_name]
        for path in released:
            del self.owner[path]
        by_file: dict[str, list] = {path: [] for path in files}
        for diagnostic in analysis.compilation.diagnostics:
            by_file.setdefault(diagnostic.span.file, []).append(diagnostic)
        converter = self.converter(analysis)
        for path, diagnostics in by_file.items():
            self.publish(path, [self.lsp_diagnostic(d, converter) for d in diagnostics], analysis.versions.get(path))
        analysis.published = set(by_file)
        if previous is not None:
            for gone in previous.published - analysis.published:
                if gone not in self.owner and gone not in self.analyses:
                    self.publish(gone, [])
        for path in released:  # no longer included: an open file becomes a map of its own
            if self.open_text(path) is not None:
                self.schedule(path)

    def publish(self, path: str, diagnostics: list, version: int | None = None) -> None:
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=self.uri_of(path), diagnostics=diagnostics, version=version))

    async def current(self, path: str) -> Analysis | None:
        """The analysis of the map `path` belongs to, once it has read the latest text."""
        for _ in range(3):
            root = self.root_for(path)
            task = self.tasks.get(root)
            if task is not None and not task.done():
                await asyncio.shield(task)
                continue
            if root not in self.analyses and self.open_text(root) is not None:
                self.schedule(root)
                continue
            return self.analyses.get(root)
        return self.analyses.get(self.root_for(path))

    # --- conversions -----------------------------------------------------------------------------
    def converter(self, analysis: Analysis) -> Converter:
        sources = analysis.compilation.sources

        def line_of(file: str, line: int) -> str:
            source = sources.get(file)
            return source.line_text(line) if source is not None else ""

        return Converter(self.encoding, line_of)

    def lsp_range(self, span, converter: Converter) -> types.Range:
        r = converter.range(span)
        return types.Range(start=types.Position(**r["start"]), end=types.Position(**r["end"]))

    def lsp_diagnostic(self, diagnostic, converter: Converter) -> types.Diagnostic:
        message = diagnostic.message + (f"\nhelp: {diagnostic.help}" if diagnostic.help else "")
        severity = types.DiagnosticSeverity.Error if diagnostic.is_error else types.DiagnosticSeverity.Warning
        return types.Diagnostic(range=self.lsp_range(diagnostic.span, converter), message=message,
                                severity=severity, code=diagnostic.code, source="journey")

    def location(self, span, converter: Converter) -> types.Location:
        return types.Location(uri=self.uri_of(span.file), range=self.lsp_range(span, converter))

    def position(self, analysis: Analysis, path: str, position: types.Position) -> tuple[int, int]:
        line = position.line + 1
        return line, self.converter(analysis).column(path, line, position.character)


def _clean(text: str) -> str:
    """The editor's text as journeymap reads it: LF line ends (positions are the same), and no
    lone surrogates (which no UTF-8 file can hold)."""
    if "\r\n" in text:
        text = text.replace("\r\n", "\n")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    return text


def build_server() -> JourneyServer:
    server = JourneyServer()

    @server.feature(types.INITIALIZE)
    def initialize(ls: JourneyServer, params: types.InitializeParams) -> None:
        options = params.initialization_options if isinstance(params.initialization_options, dict) else {}
        root = options.get("includeRoot")
        if isinstance(root, str) and root:
            base = ls.workspace.root_path or os.getcwd()
            ls.include_root = os.path.normpath(os.path.join(base, os.path.expanduser(root)))

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: JourneyServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.schedule(ls.root_for(ls.path_of(params.text_document.uri)))

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: JourneyServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.schedule(ls.root_for(ls.path_of(params.text_document.uri)))

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: JourneyServer, params: types.DidSaveTextDocumentParams) -> None:
        ls.schedule(ls.root_for(ls.path_of(params.text_document.uri)))

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: JourneyServer, params: types.DidCloseTextDocumentParams) -> None:
        path = ls.path_of(params.text_document.uri)
        ls.parsers.pop(path, None)
        analysis = ls.analyses.pop(path, None)
        if analysis is not None:  # a map closed: its files lose their diagnostics
            for file in analysis.published:
                if ls.owner.get(file) == path:
                    del ls.owner[file]
                if file not in ls.analyses and ls.owner.get(file) is None:
                    ls.publish(file, [])
                    if file != path and ls.open_text(file) is not None:
                        ls.schedule(file)
        owner = ls.owner.get(path)
        if owner is not None and owner in ls.analyses:
            ls.schedule(owner)  # it now reads the file from the disk

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    async def hover(ls: JourneyServer, params: types.HoverParams) -> types.Hover | None:
        path = ls.path_of(params.text_document.uri)
        analysis = await ls.current(path)
        if analysis is None:
            return None
        found = analysis.index.hover(path, *ls.position(analysis, path, params.position))
        if found is None:
            return None
        text, span = found
        return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text),
                           range=ls.lsp_range(span, ls.converter(analysis)))

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    async def definition(ls: JourneyServer, params: types.DefinitionParams) -> list[types.Location] | None:
        path = ls.path_of(params.text_document.uri)
        analysis = await ls.current(path)
        if analysis is None:
            return None
        converter = ls.converter(analysis)
        spans = analysis.index.definition(path, *ls.position(analysis, path, params.position))
        return [ls.location(span, converter) for span in spans] or None

    @server.feature(types.TEXT_DOCUMENT_REFERENCES)
    async def references(ls: JourneyServer, params: types.ReferenceParams) -> list[types.Location] | None:
        path = ls.path_of(params.text_document.uri)
        analysis = await ls.current(path)
        if analysis is None:
            return None
        converter = ls.converter(analysis)
        spans = analysis.index.references(path, *ls.position(analysis, path, params.position),
                                          include_declaration=params.context.include_declaration)
        return [ls.location(span, converter) for span in spans] or None

    @server.feature(types.TEXT_DOCUMENT_PREPARE_RENAME)
    async def prepare_rename(ls: JourneyServer, params: types.PrepareRenameParams):
        path = ls.path_of(params.text_document.uri)
        analysis = await ls.current(path)
        if analysis is None:
            return None
        line, column = ls.position(analysis, path, params.position)
        symbol = analysis.index.rename_target(path, line, column)
        if symbol is None:
            return None
        # The range is the id as written (a derived id's label: the rename writes an id before it).
        span = analysis.index.at(path, line, column).span
        return types.PrepareRenamePlaceholder(range=ls.lsp_range(span, ls.converter(analysis)), placeholder=symbol.id)

    @server.feature(types.TEXT_DOCUMENT_RENAME)
    async def rename(ls: JourneyServer, params: types.RenameParams) -> types.WorkspaceEdit | None:
        path = ls.path_of(params.text_document.uri)
        analysis = await ls.current(path)
        if analysis is None:
            return None
        try:
            edits = analysis.index.rename(path, *ls.position(analysis, path, params.position), params.new_name)
        except RenameRefused as refused:
            raise JsonRpcException(str(refused), code=types.LSPErrorCodes.RequestFailed) from None
        converter = ls.converter(analysis)
        changes = {
            ls.uri_of(file): [types.TextEdit(range=ls.lsp_range(span, converter), new_text=text) for span, text in items]
            for file, items in edits.items()
        }
        return types.WorkspaceEdit(changes=changes)

    @server.feature(types.TEXT_DOCUMENT_COMPLETION,
                    types.CompletionOptions(trigger_characters=[" ", ">", ","]))
    async def completion(ls: JourneyServer, params: types.CompletionParams) -> types.CompletionList | None:
        path = ls.path_of(params.text_document.uri)
        opened = ls.open_text(path)
        if opened is None:
            return None
        text = opened[0]
        analysis = await ls.current(path)
        lines = text.split("\n")
        line = params.position.line
        if line >= len(lines):
            return None
        column = from_units(lines[line], params.position.character, ls.encoding)
        before = "\n".join(lines[:line] + [lines[line][: column - 1]])
        symbols = analysis.compilation.symbols if analysis is not None else None

        def ids_of_kind(kind: str):
            if symbols is None:
                return []
            return [(ident, symbols.declarations[ident].label) for ident in symbols.of_kind(kind)]

        channels = set()
        if analysis is not None and analysis.compilation.journey is not None:
            channels = {tp.channel for tp in analysis.compilation.journey.touchpoints if tp.channel}
        found = complete.candidates(before, ids_of_kind, channels)
        items = [types.CompletionItem(label=c.label, kind=_COMPLETION_KINDS[c.kind], detail=c.detail) for c in found]
        return types.CompletionList(is_incomplete=False, items=items)

    @server.feature(types.TEXT_DOCUMENT_FORMATTING)
    def formatting(ls: JourneyServer, params: types.DocumentFormattingParams) -> list[types.TextEdit] | None:
        from journeymap import FormatError, format_source

        uri = params.text_document.uri
        path = ls.path_of(uri)
        document = ls.workspace.get_text_document(uri)
        text = document.source
        base_dir = os.path.dirname(path) if os.path.isabs(path) else None
        try:
            result = format_source(text.encode("utf-8", "surrogatepass"), path, base_dir=base_dir)
        except FormatError as error:
            ls.window_show_message(types.ShowMessageParams(type=types.MessageType.Error, message=str(error)))
            return None
        if result.text is None or result.text == text:
            return None  # a syntax error (shown as a diagnostic), or already formatted
        return [_replacement(text, result.text, ls.encoding)]

    @server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    async def document_symbols(ls: JourneyServer, params: types.DocumentSymbolParams):
        path = ls.path_of(params.text_document.uri)
        analysis = await ls.current(path)
        if analysis is None:
            return None
        converter = ls.converter(analysis)

        def convert(entry) -> types.DocumentSymbol:
            return types.DocumentSymbol(
                name=entry.name or entry.detail, detail=entry.detail, kind=_KINDS.get(entry.kind, types.SymbolKind.Object),
                range=ls.lsp_range(entry.span, converter), selection_range=ls.lsp_range(entry.selection, converter),
                children=[convert(child) for child in entry.children])

        return [convert(entry) for entry in analysis.index.outline(path)]

    @server.feature(types.TEXT_DOCUMENT_FOLDING_RANGE)
    async def folding(ls: JourneyServer, params: types.FoldingRangeParams):
        path = ls.path_of(params.text_document.uri)
        analysis = await ls.current(path)
        if analysis is None:
            return None
        return [types.FoldingRange(start_line=first - 1, end_line=last - 1) for first, last in analysis.index.folding(path)]

    return server


def _replacement(old: str, new: str, encoding: str) -> types.TextEdit:
    """One edit turning `old` into `new`, covering only the lines between what they share."""
    old_lines, new_lines = old.split("\n"), new.split("\n")
    head = 0
    while head < min(len(old_lines), len(new_lines)) - 1 and old_lines[head] == new_lines[head]:
        head += 1
    tail = 0
    while (tail < min(len(old_lines), len(new_lines)) - head - 1
           and old_lines[-1 - tail] == new_lines[-1 - tail]):
        tail += 1
    end_line = len(old_lines) - 1 - tail
    replaced = "\n".join(new_lines[head: len(new_lines) - tail])
    last = old_lines[end_line]
    return types.TextEdit(
        range=types.Range(start=types.Position(line=head, character=0),
                          end=types.Position(line=end_line, character=units(last, encoding))),
        new_text=replaced)


def serve() -> int:
    """Serve on standard input and output until the editor says exit."""
    logging.basicConfig(level=logging.WARNING, format="journey lsp: %(message)s")
    build_server().start_io()
    return 0

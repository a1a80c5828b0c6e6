"""Compiling one map: its files (workspace), their statements (build), the map-level checks,
and every diagnostic in file and position order, in one pass."""

from __future__ import annotations

import gc
import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import EllipsisType
from typing import Iterator, Mapping

from .. import diagnostics as diag
from ..diagnostics import Collector, Diagnostic, shorten
from ..display import display_name
from ..model import Journey
from ..source import SourceFile, Span, size_limit_text, too_large
from ..syntax import ast
from . import checks
from .build import Builder
from .symbols import SymbolTable
from .workspace import MAX_INCLUDE_DEPTH, Workspace, read_document, read_include, resolve_include


@dataclass
class Compilation:
    """What compiling a map gives: the model (None when there are errors), every diagnostic in
    file and position order, the sources read (to show excerpts), the main file's syntax tree
    (the formatter prints it) and the symbol table (declarations and references, for editors)."""

    journey: Journey | None
    diagnostics: list[Diagnostic]
    sources: dict[str, SourceFile]
    document: ast.Document | None = None
    symbols: SymbolTable = field(default_factory=SymbolTable)
    base: "Compilation | None" = None  # the map an extending map extends, compiled on its own (§16)

    @property
    def ok(self) -> bool:
        return not diag.has_errors(self.diagnostics)

    def model(self) -> Journey:
        """The journey of a compilation that is `ok` (a map without errors always has one)."""
        if self.journey is None:
            raise ValueError("a map with errors has no model: check `ok` first")
        return self.journey


@dataclass
class _File:
    """A file whose statements are being merged: where the merge has got to."""

    document: ast.Document
    statements: Iterator[ast.Node]
    base_dir: Path
    resolved: Path | None
    included: bool


class _Compiler:
    """One compilation: the workspace's files fed through one builder."""

    def __init__(self, workspace: Workspace, require_evidence: bool = False) -> None:
        self.workspace = workspace
        self.require_evidence = require_evidence
        self.collected = Collector()
        self.builder = Builder(self.collected.add, self.include, room=self.collected.room, drop=self.collected.drop)
        self.syntax_errors = False
        self.base_file: tuple[str, bytes] | None = None  # the base of an extending map: display path, bytes

    def add_document(self, document: ast.Document, base_dir: Path, resolved: Path | None, included: bool) -> None:
        """Merge a file's statements, each include's at the point it is included. The files
        being merged are an explicit stack, not Python's: no include chain can overflow it."""
        files: list[_File] = []
        self._enter(files, document, base_dir, resolved, included)
        while files:
            current = files[-1]
            node = next(current.statements, None)
            if node is None:
                files.pop()
                if current.resolved is not None:
                    self.workspace.stack.pop()
                continue
            entered = self.builder.top_level(node, current.document, current.base_dir, current.included, len(files))
            if entered is not None:
                included_document, included_dir, included_path = entered
                self._enter(files, included_document, included_dir, included_path, included=True)

    def _enter(self, files: list[_File], document: ast.Document, base_dir: Path, resolved: Path | None,
               included: bool) -> None:
        self.workspace.sources[document.source.path] = document.source
        self.syntax_errors |= document.has_syntax_errors
        if resolved is not None:
            self.workspace.seen.add(resolved)
            self.workspace.stack.append((resolved, document.source.path))
        files.append(_File(document, iter(document.statements), base_dir, resolved, included))

    def include(self, statement: ast.Statement, document: ast.Document, base_dir: Path,
                depth: int) -> tuple[ast.Document, Path, Path] | None:
        """Check and read an include: the file to merge next (document, folder, resolved path),
        or None when there is nothing to merge."""
        found = self._referred_file(statement, document, base_dir, "include", depth)
        if found is None:
            return None
        resolved, display, data = found
        return read_document(display, data, self.collected), resolved.parent, resolved

    def _referred_file(self, statement: ast.Statement, document: ast.Document, base_dir: Path, word: str,
                       depth: int = 1):
        """The file an `include` or `extends` names, by the include rules (root, cycles, regular
        files): (resolved path, display path, bytes), or None with the problem reported."""
        reader_problems: list[Diagnostic] = []
        from .values import Reader

        target = Reader(statement, reader_problems.append).exactly_one(
            f'a file path string, as in {word} "personas.journey"')
        if target is not None and target.kind != ast.STRING:
            reader_problems.append(diag.make(
                "E020", f"'{word}' takes a file path string, as in {word} \"personas.journey\", not {target.describe()}",
                target.span))
            target = None
        self.collected.extend(reader_problems)
        if target is None:
            return None
        noun = "base map" if word == "extends" else "include"
        resolved, display, problem = resolve_include(self.workspace, document, base_dir, statement, target, noun)
        if problem:
            self.collected.add(problem)
            return None
        assert resolved is not None  # resolve_include gives a path or a problem
        chain = [path for path, _ in self.workspace.stack]
        if resolved in chain:
            names = [shorten(shown) for _, shown in self.workspace.stack[chain.index(resolved):]] + [shorten(display)]
            if len(names) > 6:
                names = [*names[:3], f"... ({len(names) - 5} more)", *names[-2:]]
            self.collected.add(diag.make("E031", f"{word} cycle: {' -> '.join(names)}", target.span))
            return None
        if resolved in self.workspace.seen:
            if word == "extends":  # the base is an include of this map already: a cycle of its own kind
                self.collected.add(diag.make("E031", f"'{shorten(target.text)}' is already part of this map",
                                             target.span))
            return None  # already merged once (a diamond include)
        if depth >= MAX_INCLUDE_DEPTH:
            self.collected.add(diag.make("E030", f"include chain deeper than {MAX_INCLUDE_DEPTH} files", target.span,
                                         help="include the shared files from fewer levels"))
            return None
        data = self.workspace.open_files.get(resolved)
        problem = None
        if data is None:
            data, problem = read_include(resolved, target.value, target.span, noun)
        if problem:
            self.collected.add(problem)
            return None
        return resolved, display, data

    def extend(self, document: ast.Document, base_dir: Path, resolved: Path | None) -> Path | None:
        """A main file that starts `extends "base.journey"`: the base is read first, whole (its
        own includes too), then the extending map's statements apply to it. Returns the base's
        resolved path."""
        statement = next((node for node in document.statements if isinstance(node, ast.Statement)
                          and not node.broken and node.name.value == "extends"), None)
        if statement is None:
            return None
        self.builder.skip.add(id(statement))
        self.builder.check_strings(statement)
        self.builder.no_block(statement)
        if resolved is not None:  # the base may not include or extend the map that extends it
            self.workspace.stack.append((resolved, document.source.path))
        try:
            found = self._referred_file(statement, document, base_dir, "extends")
            if found is None:
                self.builder.base_missing = True  # its one problem is reported; what it would declare is not
                return None
            base_path, display, data = found
            self.base_file = (display, data)
            base_document = read_document(display, data, self.collected)
            self.add_document(base_document, base_path.parent, base_path, included=False)
        finally:
            if resolved is not None:
                self.workspace.stack.pop()
        self.builder.start_extension(statement.arguments[0].value)
        return base_path

    def finish(self, default_title: str | None) -> Journey | None:
        builder = self.builder
        journey = builder.finish(default_title)
        declared_at = {p.declared_id: p.name_span for kind in ("stage", "touchpoint") for p in builder.items[kind]}
        self.collected.extend(checks.warnings(
            journey,
            builder.items["persona"],
            declared_at,
            flow_checks=not self.collected.errors and not self.syntax_errors,
            explicit=builder.explicit_transitions,
            require_evidence=self.require_evidence,
            broken_stages=frozenset(builder.broken_stages),
        ))
        return None if self.collected.errors else journey


@contextmanager
def _collector_paused():
    """Parsing a large map allocates hundreds of thousands of small objects and no cycles;
    pausing the cyclic garbage collector meanwhile halves the time (reference counting
    still frees everything)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def compile_source(
    display_path: str,
    data: bytes,
    *,
    base_dir: str | os.PathLike | None = None,
    include_root: str | os.PathLike | None = None,
    document: ast.Document | None = None,
    require_evidence: bool = False,
    open_files: Mapping[str, bytes] | Mapping[os.PathLike, bytes] | None = None,
    default_title: str | None | EllipsisType = ...,
) -> Compilation:
    """Compile one map from its bytes. `display_path` names it in diagnostics ("-" for
    standard input); includes resolve from `base_dir` (default: the file's folder, or the
    current folder for standard input) and must stay inside `include_root` (default:
    `base_dir`). `document`: the bytes already parsed (the formatter has read them).
    `require_evidence`: also warn (W010) about pains, moments of truth and rates citing no source.
    `open_files`: included files' bytes by path, read instead of the disk (an editor's
    unsaved buffers). `default_title`: the title of a map that states none; by default its
    file name, as in `title "first-order"` (a map inside a docs page passes the page's heading,
    or None)."""
    with _collector_paused():
        return _compile(display_path, data, base_dir, include_root, document, require_evidence, open_files,
                        default_title)


def _compile(display_path, data, base_dir, include_root, parsed=None, require_evidence=False,
             open_files=None, default_title=...) -> Compilation:
    is_stdin = display_path == "-"
    if base_dir is None:
        base_dir = os.getcwd() if is_stdin else (os.path.dirname(os.path.abspath(display_path)))
    base = Path(os.path.realpath(base_dir))
    root = Path(os.path.realpath(include_root)) if include_root is not None else base
    workspace = Workspace(root=root)
    if open_files:
        workspace.open_files = {Path(os.path.realpath(path)): text for path, text in open_files.items()}
    compiler = _Compiler(workspace, require_evidence)
    if parsed is not None:
        document = parsed
    else:
        if too_large(data):
            # Refused before decoding: the first bytes past the limit are all that was read.
            problem = diag.make("E020", f"the file is larger than {size_limit_text()}, the limit for a source file",
                                Span.point(display_name(display_path), 1, 1),
                                help="split the map into files that include each other")
            return Compilation(None, [problem], {}, None)
        document = read_document(display_path, data, compiler.collected)
    resolved = None if is_stdin else Path(os.path.realpath(display_path))
    workspace.sources[document.source.path] = document.source  # the main file is named first
    base_path = compiler.extend(document, base, resolved)
    compiler.add_document(document, base, resolved, included=False)
    if default_title is ...:
        default_title = None if is_stdin else display_name(os.path.splitext(os.path.basename(display_path))[0])
    journey = compiler.finish(default_title)
    order = {path: i for i, path in enumerate(workspace.sources)}
    compilation = Compilation(journey, compiler.collected.result(order), dict(workspace.sources), document,
                              compiler.builder.symbols)
    if base_path is not None and journey is not None and compiler.base_file is not None:
        display, data = compiler.base_file
        compilation.base = _compile(display, data, base_path.parent, root, None, require_evidence, open_files)
    return compilation

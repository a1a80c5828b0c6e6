"""Compiling one map: its files (workspace), their statements (build), the map-level checks,
and every diagnostic in file and position order, in one pass."""

from __future__ import annotations

import gc
import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import EllipsisType

from .. import diagnostics as diag
from ..diagnostics import Diagnostic
from ..display import display_name
from ..model import Journey
from ..source import SourceFile
from ..syntax import ast
from . import checks
from .build import Builder
from .symbols import SymbolTable
from .workspace import Workspace, load_source, read_include, resolve_include


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

    @property
    def ok(self) -> bool:
        return not diag.has_errors(self.diagnostics)


class _Compiler:
    """One compilation: the workspace's files fed through one builder."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.diagnostics: list[Diagnostic] = []
        self.builder = Builder(self.diagnostics.append, self.include)
        self.syntax_errors = False

    def add_document(self, document: ast.Document, base_dir: Path, resolved: Path | None, included: bool) -> None:
        self.workspace.sources[document.source.path] = document.source
        self.syntax_errors |= document.has_syntax_errors
        if resolved is not None:
            self.workspace.seen.add(resolved)
            self.workspace.stack.append((resolved, document.source.path))
        try:
            for node in document.statements:
                self.builder.top_level(node, document, base_dir, included)
        finally:
            if resolved is not None:
                self.workspace.stack.pop()

    def include(self, statement: ast.Statement, document: ast.Document, base_dir: Path) -> None:
        reader_problems: list[Diagnostic] = []
        from .values import Reader

        target = Reader(statement, reader_problems.append).exactly_one(
            'a file path string, as in include "personas.journey"')
        if target is not None and target.kind != ast.STRING:
            reader_problems.append(diag.make(
                "E020", f"'include' takes a file path string, as in include \"personas.journey\", not {target.describe()}",
                target.span))
            target = None
        self.diagnostics.extend(reader_problems)
        if target is None:
            return
        resolved, display, problem = resolve_include(self.workspace, document, base_dir, statement, target)
        if problem:
            self.diagnostics.append(problem)
            return
        chain = [path for path, _ in self.workspace.stack]
        if resolved in chain:
            names = [shown for _, shown in self.workspace.stack[chain.index(resolved):]] + [display]
            self.diagnostics.append(diag.make("E031", f"include cycle: {' -> '.join(names)}", target.span))
            return
        if resolved in self.workspace.seen:
            return  # already merged once (a diamond include)
        data, problem = read_include(resolved, target.value, target.span)
        if problem:
            self.diagnostics.append(problem)
            return
        included, problems = load_source(display, data)
        self.diagnostics.extend(problems)
        self.add_document(included, resolved.parent, resolved, included=True)

    def finish(self, default_title: str | None) -> Journey | None:
        builder = self.builder
        journey = builder.finish(default_title)
        declared_at = {p.id: p.statement.name.span for kind in ("stage", "touchpoint") for p in builder.items[kind]}
        self.diagnostics.extend(checks.warnings(
            journey,
            builder.items["persona"],
            declared_at,
            flow_checks=not diag.has_errors(self.diagnostics) and not self.syntax_errors,
            explicit=builder.explicit_transitions,
        ))
        return None if diag.has_errors(self.diagnostics) else journey


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
    default_title: str | None | EllipsisType = ...,
) -> Compilation:
    """Compile one map from its bytes. `display_path` names it in diagnostics ("-" for
    standard input); includes resolve from `base_dir` (default: the file's folder, or the
    current folder for standard input) and must stay inside `include_root` (default:
    `base_dir`). `document`: the bytes already parsed (the formatter has read them).
    `default_title`: the title of a map that states none; by default its file name, as in
    `title "first-order"` (a map inside a docs page passes the page's heading, or None)."""
    with _collector_paused():
        return _compile(display_path, data, base_dir, include_root, document, default_title)


def _compile(display_path, data, base_dir, include_root, parsed=None, default_title=...) -> Compilation:
    is_stdin = display_path == "-"
    if base_dir is None:
        base_dir = os.getcwd() if is_stdin else (os.path.dirname(os.path.abspath(display_path)))
    base = Path(os.path.realpath(base_dir))
    root = Path(os.path.realpath(include_root)) if include_root is not None else base
    workspace = Workspace(root=root)
    compiler = _Compiler(workspace)
    if parsed is not None:
        document, problems = parsed, []
    else:
        document, problems = load_source(display_path, data)
    compiler.diagnostics.extend(problems)
    resolved = None if is_stdin else Path(os.path.realpath(display_path))
    compiler.add_document(document, base, resolved, included=False)
    if default_title is ...:
        default_title = None if is_stdin else display_name(os.path.splitext(os.path.basename(display_path))[0])
    journey = compiler.finish(default_title)
    order = {path: i for i, path in enumerate(workspace.sources)}
    diagnostics = sorted(compiler.diagnostics, key=lambda d: (order.get(d.span.file, len(order)), d.sort_key()))
    return Compilation(journey, diagnostics, dict(workspace.sources), document, compiler.builder.symbols)

"""Syntax tree -> model: merges includes, builds the id namespace, reads every attribute,
resolves references, and runs every check, reporting all problems in one pass."""

from __future__ import annotations

import gc
import os
from contextlib import contextmanager
from dataclasses import MISSING, dataclass, field, fields
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

from .. import diagnostics as diag
from ..diagnostics import Collector, Diagnostic, shorten
from ..display import display_name
from ..model import (
    TRANSITION_STYLES,
    Journey,
    Persona,
    SourceRef,
    Stage,
    Touchpoint,
    Transition,
    mean_emotion,
)
from ..source import SourceFile, Span, size_limit_text, too_large
from ..syntax import ast
from . import checks
from .includes import MAX_INCLUDE_DEPTH, Workspace, read_document, read_include, resolve_include
from .values import MAX_STRING_LENGTH, Reader, suggest

SINGLE_TOP_LEVEL = ("title", "description", "status", "version", "owner", "direction")
TOP_LEVEL = (*SINGLE_TOP_LEVEL, "persona", "stage", "include")

# name -> (field, repeatable, read). `read` takes a Reader and returns the value or None.
Attribute = tuple[str, bool, Callable[[Reader], Any]]
_string = Reader.string
PERSONA_ATTRIBUTES: dict[str, Attribute] = {
    "goal": ("goals", True, _string),
    "need": ("needs", True, _string),
    "pain": ("pains", True, _string),
    "quote": ("quotes", True, _string),
    "description": ("description", False, _string),
}
STAGE_ATTRIBUTES: dict[str, Attribute] = {
    "goal": ("goals", True, _string),
    "description": ("description", False, _string),
    "duration": ("duration", False, Reader.duration),
    "owner": ("owner", False, Reader.ident_or_string),
    "kpi": ("kpis", True, Reader.kpi),
}
TOUCHPOINT_ATTRIBUTES: dict[str, Attribute] = {
    "channel": ("channel", False, lambda r: (v := r.ident()) and v.value),
    "persona": ("personas", False, Reader.id_list),
    "action": ("actions", True, _string),
    "thought": ("thoughts", True, _string),
    "quote": ("quotes", True, _string),
    "emotion": ("emotion", False, Reader.emotion),
    "pain": ("pains", True, _string),
    "opportunity": ("opportunities", True, _string),
    "owner": ("owner", False, Reader.ident_or_string),
    "backstage": ("backstage", True, _string),
    "note": ("notes", True, _string),
    "link": ("link", False, Reader.link),
    "duration": ("duration", False, Reader.duration),
    "kpi": ("kpis", True, Reader.kpi),
    "moment": ("moment", False, Reader.moment),
}
TRANSITION_ATTRIBUTES: dict[str, Attribute] = {
    "rate": ("rate", False, Reader.percentage),
    "style": ("style", False, lambda r: r.choice(TRANSITION_STYLES)),
    "label": ("label", False, _string),
}

@lru_cache(maxsize=1)
def _not_id_characters():
    import regex  # Unicode classes; imported only when an id is derived from a label

    return regex.compile(r"[^\p{L}\p{M}\p{N}]+")


def derive_id(label: str) -> str:
    """`"Post-purchase"` -> `post_purchase` (spec 4.2)."""
    import unicodedata

    lowered = unicodedata.normalize("NFC", label.lower())
    return _not_id_characters().sub("_", lowered).strip("_")


@dataclass
class Declaration:
    kind: str  # "persona" | "stage" | "touchpoint"
    statement: ast.Statement

    @property
    def span(self) -> Span:
        return self.statement.name.span


@dataclass
class _Pending:
    """A declaration being built: its fields, and where each single value was set."""

    id: str
    label: str
    source: SourceRef
    statement: ast.Statement
    fields: dict[str, Any] = field(default_factory=dict)
    set_at: dict[str, Span] = field(default_factory=dict)


@dataclass
class _File:
    """A file whose statements are being merged: where the merge has got to."""

    document: ast.Document
    statements: Any  # an iterator over document.statements
    base_dir: Path
    resolved: Path | None
    included: bool


@dataclass
class Compilation:
    """What compiling a map gives: the model (None when there are errors), every diagnostic
    in file and position order, and the sources read (to show excerpts)."""

    journey: Journey | None
    diagnostics: list[Diagnostic]
    sources: dict[str, SourceFile]
    document: ast.Document | None = None  # the main file's syntax tree (the formatter prints it)

    @property
    def ok(self) -> bool:
        return not diag.has_errors(self.diagnostics)


class Compiler:
    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.collected = Collector()
        self.symbols: dict[str, Declaration] = {}
        self.broken_names: set[str] = set()  # ids on lines that did not parse: not "unknown"
        self.broken_stages: set[str] = set()  # stages holding a statement that did not parse
        self.top: dict[str, tuple[Any, Span]] = {}
        self.personas: list[_Pending] = []
        self.stages: list[_Pending] = []
        self.touchpoints: list[_Pending] = []
        self.transitions: list[tuple[ast.Transition, str | None]] = []  # (node, enclosing stage)
        self.syntax_errors = False

    def report(self, diagnostic: Diagnostic) -> None:
        self.collected.add(diagnostic)

    # --- files -------------------------------------------------------------------------------
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
            entered = self.top_level(node, current.document, current.base_dir, current.included, len(files))
            if entered is not None:
                self._enter(files, *entered, included=True)

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
        """Check and read an include; the file to merge next (document, folder, resolved path),
        or None when there is nothing to merge."""
        target = self.only_argument(statement, ast.STRING, "a file path string, as in include \"personas.journey\"")
        if target is None:
            return None
        resolved, display, problem = resolve_include(self.workspace, document, base_dir, statement, target)
        if problem:
            self.report(problem)
            return None
        chain = [path for path, _ in self.workspace.stack]
        if resolved in chain:
            names = [shorten(shown) for _, shown in self.workspace.stack[chain.index(resolved):]] + [shorten(display)]
            if len(names) > 6:
                names = [*names[:3], f"... ({len(names) - 5} more)", *names[-2:]]
            self.report(diag.make("E031", f"include cycle: {' -> '.join(names)}", target.span))
            return None
        if resolved in self.workspace.seen:
            return None  # already merged once (a diamond include)
        if depth >= MAX_INCLUDE_DEPTH:
            self.report(
                diag.make("E030", f"include chain deeper than {MAX_INCLUDE_DEPTH} files", target.span,
                          help="include the shared files from fewer levels")
            )
            return None
        data, problem = read_include(resolved, target.value, target.span)
        if problem:
            self.report(problem)
            return None
        return read_document(display, data, self.collected), resolved.parent, resolved

    # --- statements --------------------------------------------------------------------------
    def check_strings(self, node: ast.Node) -> None:
        values = node.arguments if isinstance(node, ast.Statement) else ((node.label,) if node.label else ())
        for value in values:
            if value.kind == ast.STRING and len(value.value) > MAX_STRING_LENGTH:
                self.report(
                    diag.make(
                        "E020",
                        f"string of {len(value.value):,} characters; the limit is {MAX_STRING_LENGTH:,}",
                        Span(value.span.file, value.span.line, value.span.column, value.span.line, value.span.column + 1),
                    )
                )

    def top_level(self, node: ast.Node, document: ast.Document, base_dir: Path, included: bool,
                  depth: int = 1) -> tuple[ast.Document, Path, Path] | None:
        """Read one top-level statement; for an include, the file to merge next."""
        if isinstance(node, ast.Transition):
            self.transitions.append((node, None))
            return None
        if node.broken:
            self.note_broken(node)
            return None
        self.check_strings(node)
        name = node.name.value
        if name == "include":
            self.no_block(node)
            return self.include(node, document, base_dir, depth)
        elif name == "persona":
            self.persona(node)
        elif name == "stage":
            self.stage(node)
        elif name in SINGLE_TOP_LEVEL:
            self.no_block(node)
            if included:
                self.report(
                    diag.make("E021", f"'{name}' is not allowed in an included file", node.name.span,
                              help="set it once, in the main file")
                )
                return None
            self.single_top_level(node)
        elif name == "touchpoint":
            self.report(
                diag.make("E021", "a touchpoint must be declared inside a stage block", node.name.span,
                          help="write it inside stage ... { }")
            )
        else:
            self.unknown(node, TOP_LEVEL, "at the top level")
        return None

    def single_top_level(self, statement: ast.Statement) -> None:
        name = statement.name.value
        reader = Reader(statement, self.report)
        if name == "status":
            value = reader.choice(("as-is", "to-be"))
        elif name == "direction":
            value = reader.choice(("LR", "TB"))
        elif name == "owner":
            value = reader.ident_or_string()
        else:
            value = reader.string()
        if name in self.top:
            self.twice(statement, self.top[name][1])
            return
        self.top[name] = (value, statement.name.span)

    def persona(self, statement: ast.Statement) -> None:
        pending = self.declare("persona", statement, allow_derived=False)
        self.attributes(statement, pending, PERSONA_ATTRIBUTES, "a persona")
        if pending:
            self.personas.append(pending)

    def stage(self, statement: ast.Statement) -> None:
        pending = self.declare("stage", statement)
        extra_children = {"touchpoint", "stage", "persona"}
        self.attributes(statement, pending, STAGE_ATTRIBUTES, "a stage", nested=extra_children)
        if pending:
            pending.fields.setdefault("touchpoints", [])
            self.stages.append(pending)
        if statement.block is None:
            return
        if pending and any(node.broken for node in statement.block.statements):
            self.broken_stages.add(pending.id)
        for node in statement.block.statements:
            if isinstance(node, ast.Transition):
                self.transitions.append((node, pending.id if pending else None))
            elif not node.broken and node.name.value == "touchpoint":
                self.touchpoint(node, pending)
            elif not node.broken and node.name.value in ("stage", "persona"):
                self.report(
                    diag.make("E021", f"a {node.name.value} cannot be declared inside a stage", node.name.span,
                              help=f"declare the {node.name.value} at the top level")
                )

    def touchpoint(self, statement: ast.Statement, stage: _Pending | None) -> None:
        self.check_strings(statement)
        pending = self.declare("touchpoint", statement)
        self.attributes(statement, pending, TOUCHPOINT_ATTRIBUTES, "a touchpoint")
        if statement.block is not None:
            for node in statement.block.statements:
                if isinstance(node, ast.Transition) and not node.broken:
                    self.report(
                        diag.make("E021", "transitions belong at the top level or in a stage, not in a touchpoint",
                                  node.span, help="move the transition after the touchpoint's block")
                    )
        if pending and stage is not None:
            pending.fields["stage"] = stage.id
            stage.fields["touchpoints"].append(pending.id)
            self.touchpoints.append(pending)

    def declare(self, kind: str, statement: ast.Statement, allow_derived: bool = True) -> _Pending | None:
        """Read `KIND [ID] [LABEL]` and enter the id in the namespace."""
        args = statement.arguments
        id_value = label_value = None
        rest = list(args)
        if rest and rest[0].kind == ast.IDENT:
            id_value = rest.pop(0)
        if rest and rest[0].kind == ast.STRING:
            label_value = rest.pop(0)
        if rest:
            self.report(diag.make("E001", f"unexpected {rest[0].describe()} in the {kind} declaration", rest[0].span,
                                  help=f"write {kind} ID \"Label\" {{ ... }}"))
            return None
        if id_value is None and (label_value is None or not allow_derived):
            needs = "an id" if not allow_derived else "an id or a label"
            self.report(diag.make("E001", f"'{kind}' needs {needs}", statement.name.span,
                                  help=f"write {kind} ID \"Label\""))
            return None
        if id_value is not None:
            ident = id_value.value
        else:
            ident = derive_id(label_value.value)
            if not ident:
                self.report(
                    diag.make("E020", f"cannot derive an id from the label {shorten(label_value.text)}",
                              label_value.span, help=f"give the {kind} an id: {kind} my_id {shorten(label_value.text)}")
                )
                return None
        label = label_value.value if label_value is not None else ident
        earlier = self.symbols.get(ident)
        if earlier is not None:
            where = earlier.span
            self.report(
                diag.make(
                    "E010",
                    f"duplicate id '{shorten(ident)}': already declared as a {earlier.kind} at {where.file}:{where.line}:{where.column}",
                    statement.name.span,
                    help="ids are shared by personas, stages and touchpoints; rename one of them",
                )
            )
            return None
        self.symbols[ident] = Declaration(kind, statement)
        span = statement.name.span
        return _Pending(ident, label, SourceRef(span.file, span.line, span.column), statement)

    def attributes(
        self,
        statement: ast.Statement,
        pending: _Pending | None,
        table: dict[str, Attribute],
        owner: str,
        nested: set[str] = frozenset(),
    ) -> None:
        if statement.block is None:
            return
        for node in statement.block.statements:
            if isinstance(node, ast.Transition) or node.broken:
                if isinstance(node, ast.Statement):
                    self.note_broken(node)
                continue
            name = node.name.value
            if name in nested:
                continue
            if name not in table:
                self.unknown(node, tuple(table) + tuple(nested), f"in {owner}")
                continue
            self.check_strings(node)
            self.no_block(node)
            self.attribute(node, pending, table[name])

    def attribute(self, statement: ast.Statement, pending: _Pending | None, spec: Attribute) -> None:
        field_name, repeatable, read = spec
        value = read(Reader(statement, self.report))
        if pending is None:
            return
        if repeatable:
            if value is not None:
                pending.fields.setdefault(field_name, []).append(value)
            return
        if field_name in pending.set_at:
            self.twice(statement, pending.set_at[field_name])
            return
        pending.set_at[field_name] = statement.name.span
        if value is not None:
            pending.fields[field_name] = value

    # --- shared reports -----------------------------------------------------------------------
    def twice(self, statement: ast.Statement, first: Span) -> None:
        name = statement.name.value
        self.report(
            diag.make("E022", f"'{name}' is given twice; first at line {first.line}" + (
                f" of {first.file}" if first.file != statement.name.span.file else ""), statement.name.span,
                help=f"'{name}' takes one value; remove one of them")
        )

    def unknown(self, statement: ast.Statement, allowed: tuple[str, ...], where: str) -> None:
        name = statement.name.value
        if not self.collected.room(statement.name.span.file):
            self.collected.drop("E021", statement.name.span)  # not kept: skip the suggestion
            return
        help = suggest(name, allowed) or f"allowed here: {', '.join(sorted(allowed))}"
        if statement.arguments and statement.arguments[0].kind == ast.COMMA:
            help = "did you mean a transition? write a -> b"
        self.report(diag.make("E021", f"unknown attribute '{shorten(name)}' {where}", statement.name.span, help=help))

    def no_block(self, statement: ast.Statement) -> None:
        if statement.block is not None:
            self.report(diag.make("E001", f"'{statement.name.value}' takes no block", statement.block.span))

    def only_argument(self, statement: ast.Statement, kind: str, what: str) -> ast.Value | None:
        value = Reader(statement, self.report).exactly_one(what)
        if value is not None and value.kind != kind:
            self.report(diag.make("E020", f"'{statement.name.value}' takes {what}, not {value.describe()}", value.span))
            return None
        return value

    def note_broken(self, statement: ast.Statement) -> None:
        for value in statement.arguments:
            if value.kind == ast.IDENT:
                self.broken_names.add(value.value)
        if statement.arguments and statement.arguments[0].kind == ast.STRING:
            self.broken_names.add(derive_id(statement.arguments[0].value))

    # --- references ---------------------------------------------------------------------------
    def reference(self, value: ast.Value, wanted: str) -> bool:
        """Check that `value` names a declaration of kind `wanted`; report E011 / E012."""
        declaration = self.symbols.get(value.value)
        if declaration is None:
            if value.value in self.broken_names:
                return False
            if not self.collected.room(value.span.file):
                self.collected.drop("E011", value.span)  # not kept: skip the search for a near miss
                return False
            candidates = [ident for ident, d in self.symbols.items() if d.kind == wanted]
            self.report(
                diag.make("E011", f"unknown {wanted} '{shorten(value.text)}'", value.span, help=suggest(value.value, candidates))
            )
            return False
        if declaration.kind != wanted:
            where = declaration.span
            help = "transitions connect touchpoints" if wanted == "touchpoint" else None
            self.report(
                diag.make(
                    "E012",
                    f"'{shorten(value.text)}' is a {declaration.kind} (declared at line {where.line}), not a {wanted}",
                    value.span,
                    help=help,
                )
            )
            return False
        return True

    def build_transitions(self) -> list[Transition]:
        result: list[Transition] = []
        for node, _stage in self.transitions:
            if node.broken:
                continue  # its syntax error says what is wrong with it
            self.check_strings(node)
            fields: dict[str, Any] = {}
            set_at: dict[str, Span] = {}
            if node.block is not None:
                holder = _Pending("", "", SourceRef("", 0, 0), None, fields, set_at)  # type: ignore[arg-type]
                for child in node.block.statements:
                    if child.broken:
                        continue
                    if isinstance(child, ast.Transition):
                        self.report(diag.make("E001", "a transition's block holds only rate, style and label",
                                              child.span))
                        continue
                    name = child.name.value
                    if name not in TRANSITION_ATTRIBUTES:
                        self.unknown(child, tuple(TRANSITION_ATTRIBUTES), "in a transition")
                        continue
                    self.check_strings(child)
                    self.attribute(child, holder, TRANSITION_ATTRIBUTES[name])
            label = node.label.value if node.label is not None else None
            if node.label is not None and "label" in set_at:
                self.report(
                    diag.make("E022", "the transition has a label twice: after the arrow and in its block",
                              set_at["label"], help="give the label one way or the other")
                )
            elif "label" in fields:
                label = fields["label"]
            endpoints_ok = [self.reference(endpoint, "touchpoint") for endpoint in node.endpoints]
            if not all(endpoints_ok) or len(node.endpoints) < 2:
                continue
            for source, target in zip(node.endpoints, node.endpoints[1:]):
                where = source.span
                result.append(
                    Transition(
                        source_id=source.value,
                        target_id=target.value,
                        label=label,
                        rate=fields.get("rate"),
                        style=fields.get("style") or "solid",
                        implicit=False,
                        source=SourceRef(where.file, where.line, where.column),
                    )
                )
        return result

    def resolve_personas(self) -> None:
        for pending in self.touchpoints:
            values = pending.fields.get("personas") or []
            pending.fields["personas"] = [v.value for v in values if self.reference(v, "persona")]

    # --- the model ----------------------------------------------------------------------------
    def finish(self, default_title: str | None) -> Journey | None:
        self.resolve_personas()
        transitions = self.build_transitions()
        any_written = bool(self.transitions)
        touchpoints = tuple(_freeze(Touchpoint, p) for p in self.touchpoints)
        by_id = {tp.id: tp for tp in touchpoints}
        stages = tuple(
            _freeze(Stage, p, emotion=mean_emotion(by_id[t] for t in p.fields["touchpoints"]))
            for p in self.stages
        )
        if not any_written:
            transitions = [
                Transition(a.id, b.id, implicit=True, source=None) for a, b in zip(touchpoints, touchpoints[1:])
            ]
        top = {name: value for name, (value, _span) in self.top.items()}
        journey = Journey(
            title=top["title"] if top.get("title") is not None else default_title,  # `title ""` is empty
            description=top.get("description"),
            status=top.get("status"),
            version=top.get("version"),
            owner=top.get("owner"),
            direction=top.get("direction") or "LR",
            personas=tuple(_freeze(Persona, p) for p in self.personas),
            stages=stages,
            touchpoints=touchpoints,
            transitions=tuple(transitions),
        )
        self.collected.extend(
            checks.warnings(
                journey,
                self.personas,
                {p.id: p.statement.name.span for p in (*self.stages, *self.touchpoints)},
                flow_checks=not self.collected.errors and not self.syntax_errors,
                explicit=any_written,
                broken_stages=frozenset(self.broken_stages),
            )
        )
        return None if self.collected.errors else journey


_TUPLE_FIELDS = {
    "goals", "needs", "pains", "quotes", "actions", "thoughts", "opportunities", "backstage",
    "notes", "kpis", "personas", "touchpoints",
}


@lru_cache(maxsize=None)
def _shape(cls) -> tuple[dict[str, Any], frozenset[str], frozenset[str]]:
    """A model class's defaults (all immutable), and its required and all field names."""
    defaults = {f.name: f.default for f in fields(cls) if f.default is not MISSING}
    names = frozenset(f.name for f in fields(cls))
    return defaults, names - defaults.keys(), names


def _freeze(cls, pending: _Pending, **extra):
    defaults, required, names = _shape(cls)
    values = dict(defaults)
    values["id"], values["label"], values["source"] = pending.id, pending.label, pending.source
    for name, value in pending.fields.items():
        values[name] = tuple(value) if name in _TUPLE_FIELDS else value
    values.update(extra)
    if not required <= values.keys() <= names:
        raise TypeError(f"{cls.__name__}: missing {sorted(required - values.keys())}, unknown {sorted(values.keys() - names)}")
    # A large map has thousands of these: filling the instance's dict skips the frozen
    # __init__, which sets each field through object.__setattr__ (4 µs a touchpoint).
    instance = object.__new__(cls)
    object.__setattr__(instance, "__dict__", values)
    return instance


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
) -> Compilation:
    """Compile one map from its bytes. `display_path` names it in diagnostics ("-" for
    standard input); includes resolve from `base_dir` (default: the file's folder, or the
    current folder for standard input) and must stay inside `include_root` (default:
    `base_dir`)."""
    with _collector_paused():
        return _compile(display_path, data, base_dir, include_root)


def _compile(display_path, data, base_dir, include_root) -> Compilation:
    is_stdin = display_path == "-"
    if base_dir is None:
        base_dir = os.getcwd() if is_stdin else (os.path.dirname(os.path.abspath(display_path)))
    base = Path(os.path.realpath(base_dir))
    root = Path(os.path.realpath(include_root)) if include_root is not None else base
    workspace = Workspace(root=root)
    compiler = Compiler(workspace)
    if too_large(data):
        # Refused before decoding: the first bytes past the limit are all that was read.
        problem = diag.make("E020", f"the file is larger than {size_limit_text()}, the limit for a source file",
                            Span.point(display_path, 1, 1), help="split the map into files that include each other")
        return Compilation(None, [problem], {}, None)
    document = read_document(display_path, data, compiler.collected)
    resolved = None if is_stdin else Path(os.path.realpath(display_path))
    compiler.add_document(document, base, resolved, included=False)
    default_title = None if is_stdin else display_name(os.path.splitext(os.path.basename(display_path))[0])
    journey = compiler.finish(default_title)
    order = {path: i for i, path in enumerate(workspace.sources)}
    return Compilation(journey, compiler.collected.result(order), dict(workspace.sources), document)

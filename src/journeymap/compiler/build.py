"""Syntax trees -> the model: walks every statement of the map's files by the language's
schema, enters declarations in the symbol table, reads each attribute by its value kind,
resolves references, and freezes the result into the model."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import MISSING, dataclass, field, fields
from functools import lru_cache
from types import MappingProxyType
from typing import Any, Callable

from .. import diagnostics as diag
from .. import language as lang
from ..diagnostics import Diagnostic, shorten
from ..model import Journey, SourceRef, Transition, mean_emotion
from ..model.journey import ITEM_CLASSES
from ..source import Span
from ..syntax import ast
from .symbols import Reference, Symbol, SymbolTable
from .values import MAX_STRING_LENGTH, Reader, suggest

_new = tuple.__new__  # a named tuple made without its Python-level constructor
_NOTHING: Mapping[str, Any] = MappingProxyType({})  # the fields of a transition without a block


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
class Pending:
    """An item being built: its fields, and where each single value was set."""

    id: str | None
    label: str
    source: SourceRef
    statement: ast.Statement | None
    fields: dict[str, Any] = field(default_factory=dict)
    set_at: dict[str, Span] = field(default_factory=dict)
    scope: str = lang.MAP  # what it will be: a persona, a stage, a pain, ...
    from_base: bool = False  # declared by the base of an extending map (§16)
    replaced: set[str] = field(default_factory=set)  # its fields an extending map has started to replace

    @property
    def declared_id(self) -> str:
        """The id of an item whose declaration cannot be read without one (a persona, a stage,
        a touchpoint; only pains and opportunities may have none)."""
        if self.id is None:
            raise AssertionError(f"a {self.scope} without an id")
        return self.id

    @property
    def name_span(self) -> Span:
        """Where its declaration's keyword is (only the map itself has no statement)."""
        if self.statement is None:
            raise AssertionError(f"a {self.scope} without a declaration")
        return self.statement.name.span


class Builder:
    """Reads statements into pending items; `finish` makes the model. Problems go to `report`."""

    def __init__(self, report: Callable[[Diagnostic], None], include: Callable,
                 room: Callable[[str], bool] = lambda file: True, drop: Callable[[str, Span], None] = lambda c, s: None
                 ) -> None:
        self.report = report
        # (statement, document, base_dir, depth) -> the file to merge next, or None
        self.include = include
        # Whether a file's diagnostics have room for more, and counting one that has none: past
        # the cap a problem is counted without the cost of a suggestion.
        self.room = room
        self.drop = drop
        self.broken_stages: set[str] = set()  # stages holding a statement that did not parse
        self.symbols = SymbolTable()
        self.broken_names: set[str] = set()  # ids on lines that did not parse: not "unknown"
        self.map = Pending("", "", SourceRef("", 0, 0), None)
        self.items: dict[str, list[Pending]] = {kind: [] for kind in lang.MAP_KINDS}
        self.transitions: list[ast.Transition] = []
        self.references: list[tuple[Pending, lang.Attribute]] = []  # fields naming other items
        self.per_persona: list[Pending] = []  # touchpoints with `emotion PERSONA VALUE, ...`
        # §16: a map that extends a base. The base's statements come first; then `extending`.
        self.extending = False
        self.extends: str | None = None  # the base's path as written
        self.base_missing = False  # `extends` names a base that could not be read: its names are not "unknown"
        self.from_base: set[str] = set()  # ids the base declares
        self.extension_edges: set[int] = set()  # id() of the transitions the extending map writes
        self.removals: list[ast.Node] = []  # `remove ID` statements and `remove a -> b` transitions
        self.removed: dict[str, Span] = {}  # id -> where it was removed
        self.placements: list[tuple[Pending, ast.Value]] = []  # `stage ID "Label" after OTHER`
        self.skip: set[int] = set()  # id() of statements read already (the main file's `extends`)
        self.overriding: dict[int, Pending | None] = {}  # id() of an overriding item -> the base's one it replaces
        self.overridden: set[str] = set()  # base ids the extending map has declared again
        self.removed_edges: set[tuple[str, str]] = set()  # base transitions `remove a -> b` takes out
        # The pains and ideas of base touchpoints the extending map replaces: id -> (touchpoint, where).
        self.replaced_away: dict[str, tuple[str, Span]] = {}

    # --- walking blocks -----------------------------------------------------------------------
    def top_level(self, node: ast.Node, document: ast.Document, base_dir, included: bool, depth: int = 1):
        """One statement at the top level of a file (the main file or an include); for an
        include, the file to merge next (document, folder, resolved path), else None."""
        if id(node) in self.skip:
            return None
        if isinstance(node, ast.Statement) and not node.broken and node.name.value == "include":
            self.check_strings(node)
            self.no_block(node)
            return self.include(node, document, base_dir, depth)
        self.statement(node, lang.MAP, self.map, included=included)
        return None

    def block(self, statement: ast.Statement, scope: str, owner: Pending | None) -> None:
        if statement.block is None:
            return
        for node in statement.block.statements:
            self.statement(node, scope, owner)

    def statement(self, node: ast.Node, scope: str, owner: Pending | None, included: bool = False) -> None:
        if isinstance(node, ast.Transition) and node.keyword is not None:
            self.keyword_transition(node, scope)
            return
        if isinstance(node, ast.Transition):
            if scope in (lang.MAP, lang.STAGE):
                self.transitions.append(node)
                if self.extending:
                    self.extension_edges.add(id(node))
            elif not node.broken:
                self.report(diag.make(
                    "E021", f"transitions belong at the top level or in a stage, not in a {scope}", node.span,
                    help=f"move the transition after the {scope}'s block"))
            return
        if node.broken:
            self.note_broken(node)
            return
        name = node.name.value
        row = lang.lookup(scope, name)
        if row is None:
            self.unknown(node, scope)
            return
        self.check_strings(node)
        if isinstance(row, lang.Declaration):
            self.declaration(node, row, owner)
        elif isinstance(row, lang.Attribute):
            self.no_block(node)
            if included and scope == lang.MAP and not row.repeatable:
                self.report(diag.make("E021", f"'{name}' is not allowed in an included file", node.name.span,
                                      help="set it once, in the main file"))
                return
            self.attribute(node, owner, row)
        elif row.name == "remove":
            self.no_block(node)
            if self.extending_here(node):
                self.removals.append(node)
        elif row.name == "extends":  # the main file's one `extends` is read before anything else
            self.report(diag.make("E022" if not included and self.extends is not None else "E021",
                                  "'extends' is given twice" if not included and self.extends is not None
                                  else "'extends' is allowed only in the file named on the command line",
                                  node.name.span, help="a map extends one base, named in the map itself"))
        else:  # a statement of its own kind out of place
            self.unknown(node, scope)

    def keyword_transition(self, node: ast.Transition, scope: str) -> None:
        """`remove a -> b` (§16); any other word before a transition is not a statement."""
        keyword = node.keyword
        assert keyword is not None
        if keyword.value == "remove" and scope == lang.MAP and not node.broken:
            if node.label is not None or node.block is not None:
                self.report(diag.make("E001", "'remove a -> b' takes no label and no block",
                                      (node.label or node.block).span))  # type: ignore[union-attr]
            if self.extending_here(node):
                self.removals.append(node)
            return
        if not node.broken:
            self.report(diag.make("E001", f"unexpected '{keyword.text}' before a transition", keyword.span,
                                  help="a transition is written a -> b; `remove a -> b` removes one from the base map"))

    def extending_here(self, node: ast.Node) -> bool:
        """Whether `remove` may stand here: in a map that extends a base (E021 otherwise)."""
        if self.extending:
            return True
        if self.base_missing:
            return False  # what it removes cannot be known; the base's problem is reported
        where = node.keyword.span if isinstance(node, ast.Transition) and node.keyword else node.span
        self.report(diag.make("E021", "'remove' belongs in a map that extends another", where,
                              help='start the map with extends "base.journey"'))
        return False

    def declaration(self, statement: ast.Statement, row: lang.Declaration, owner: Pending | None) -> None:
        pending = self.declare(row, statement, in_stage=owner is not None)
        if row.owned:  # a touchpoint's pain or opportunity: it lives in its touchpoint
            self.block(statement, row.declares, pending)
            if pending is not None and owner is not None:
                owner.fields.setdefault(row.field, []).append(pending)
            return
        overriding = pending is not None and id(pending) in self.overriding
        if pending is not None and row.declares == lang.TOUCHPOINT:
            if owner is not None:
                replaced = self.overriding.get(id(pending))
                if replaced is not None and replaced.fields.get("stage") != owner.id:
                    self._move_out(replaced)  # declared again in another stage: it moves there
                    replaced = None
                pending.fields["stage"] = owner.id
                if replaced is None:
                    owner.fields.setdefault("touchpoints", []).append(pending.id)
            else:
                pending = None  # its stage could not be declared: its errors are reported
        if pending is not None and row.declares == lang.STAGE:
            pending.fields.setdefault("touchpoints", [])
            self._placement(statement, pending)
            if statement.block is not None and any(node.broken for node in statement.block.statements):
                self.broken_stages.add(pending.declared_id)  # (a syntax error may have eaten its touchpoints)
        self.block(statement, row.declares, pending)
        if pending is not None and not overriding:
            self.items[row.declares].append(pending)

    def declare(self, row: lang.Declaration, statement: ast.Statement, in_stage: bool = True) -> Pending | None:
        """Read `KIND [ID] [LABEL]` and enter the id in the namespace. `in_stage` is False for a
        touchpoint whose stage could not be declared: it cannot replace the base's."""
        kind = row.declares
        rest = list(statement.arguments)
        id_value = label_value = None
        if rest and rest[0].kind == ast.IDENT:
            id_value = rest.pop(0)
        if rest and rest[0].kind == ast.STRING:
            label_value = rest.pop(0)
        if kind == lang.STAGE and len(rest) == 2 and rest[0].kind == ast.IDENT and rest[0].value == "after":
            rest = []  # `stage ID "Label" after OTHER`: placed in finish (_placement keeps the statement)
        if rest:
            shape = f'{kind} [ID] "text"' if row.id_rule == "optional-id" else f'{kind} ID "Label"'
            self.report(diag.make("E001", f"unexpected {rest[0].describe()} in the {kind} declaration", rest[0].span,
                                  help=f"write {shape} {{ ... }}"))
            return None
        if row.id_rule == "optional-id":
            return self._item(row, statement, id_value, label_value)
        derived_allowed = row.id_rule == "id-or-label"
        if id_value is None and (label_value is None or not derived_allowed):
            needs = "an id or a label" if derived_allowed else "an id"
            self.report(diag.make("E001", f"'{kind}' needs {needs}", statement.name.span,
                                  help=f"write {kind} ID \"Label\""))
            return None
        if id_value is not None:
            ident, id_span = id_value.value, id_value.span
        else:
            assert label_value is not None  # (an item without an id was refused above)
            ident, id_span = derive_id(label_value.value), label_value.span
            if not ident:
                self.report(diag.make(
                    "E020", f"cannot derive an id from the label {shorten(label_value.text)}", label_value.span,
                    help=f"give the {kind} an id: {kind} my_id {shorten(label_value.text)}"))
                return None
        if self.extending and ident in self.from_base and ident not in self.overridden:
            earlier = self.symbols.get(ident)
            if kind == lang.TOUCHPOINT and not in_stage and earlier is not None and earlier.kind == kind:
                return None  # the stage's own error is reported; the base's touchpoint stays as it was
            overriding = self._override(kind, ident, id_span, statement, label_value, id_value is None)
            if overriding is not None:
                return overriding
        label = label_value.value if label_value is not None else ident
        earlier = self.symbols.declare(Symbol(ident, kind, label, id_span, statement.span, id_value is None))
        if earlier is not None:
            where = earlier.declaration
            self.report(diag.make(
                "E010",
                f"duplicate id '{shorten(ident)}': already declared as a {earlier.kind} at {where.file}:{where.line}:{where.column}",
                statement.name.span,
                help=self._duplicate_help(ident, "ids are shared by personas, stages and touchpoints; rename one of them")))
            return None
        span = statement.name.span
        return Pending(ident, label, _source_ref(span), statement, scope=kind)

    # --- extending a base map (§16) -----------------------------------------------------------
    def _duplicate_help(self, ident: str, usual: str) -> str:
        if not (self.extending and ident in self.from_base):
            return usual
        return (f"a map that extends another overrides only stages and touchpoints by id; give this one a new id "
                f"(and `remove {ident}` to leave the base's out)")

    def start_extension(self, written: str) -> None:
        """The base has been read; what comes now is the extending map's own statements."""
        self.extending = True
        self.extends = written
        self.from_base = set(self.symbols.declarations)
        self.map.set_at = {}  # its single values may be given again, replacing the base's
        self.map.from_base = True
        for pending in self._all_pending():
            pending.from_base = True

    def _all_pending(self):
        for items in self.items.values():
            for pending in items:
                yield pending
                for declaration in lang.DECLARATIONS:
                    if declaration.owned and declaration.scope == pending.scope:
                        yield from pending.fields.get(declaration.field, ())

    def _override(self, kind: str, ident: str, id_span: Span, statement: ast.Statement,
                  label_value: ast.Value | None, derived: bool) -> Pending | None:
        """A stage or touchpoint the base declares, declared again: the stage's attributes given
        here replace the base's (no label keeps its label); the touchpoint is replaced whole, in
        the same place (its label kept when none is given). Other kinds are duplicates (None)."""
        earlier = self.symbols.get(ident)
        if earlier is None or earlier.kind != kind or kind not in (lang.STAGE, lang.TOUCHPOINT):
            return None
        base = next(p for p in self.items[kind] if p.id == ident)
        label = label_value.value if label_value is not None else base.label
        self.overridden.add(ident)
        self.symbols.declarations[ident] = Symbol(ident, kind, label, id_span, statement.span, derived)
        span = statement.name.span
        if kind == lang.STAGE:
            base.label = label
            base.statement = statement
            self.overriding[id(base)] = None
            return base
        for owned in _owned_items(base):  # the replaced touchpoint's pains and ideas go with it
            if owned.id is not None:
                self.symbols.declarations.pop(owned.id, None)
                self.from_base.discard(owned.id)
                self.replaced_away[owned.id] = (ident, span)
        fresh = Pending(ident, label, _source_ref(span), statement, scope=kind)
        items = self.items[kind]
        items[items.index(base)] = fresh
        self.overriding[id(fresh)] = base
        return fresh

    def _move_out(self, replaced: Pending) -> None:
        stage = next((p for p in self.items[lang.STAGE] if p.id == replaced.fields.get("stage")), None)
        if stage is not None:
            stage.fields["touchpoints"].remove(replaced.id)

    def _placement(self, statement: ast.Statement, stage: Pending) -> None:
        arguments = statement.arguments
        if len(arguments) >= 2 and arguments[-2].kind == ast.IDENT and arguments[-2].value == "after" \
                and arguments[-1].kind == ast.IDENT and len(arguments) > 2:
            self.placements.append((stage, arguments[-1]))

    def apply_removals(self) -> None:
        """`remove ID` and `remove a -> b`: E050 when the base has no such thing, E051 when this
        very file declares it (delete it there instead)."""
        for node in self.removals:
            if isinstance(node, ast.Transition):
                self._remove_edges(node)
                continue
            values = node.arguments
            if len(values) != 1 or values[0].kind != ast.IDENT:
                self.report(diag.make("E001", "'remove' takes one id, or a transition: remove a -> b",
                                      (values[1] if len(values) > 1 else node.name).span))
                continue
            self._remove(values[0])

    def _remove(self, value: ast.Value) -> None:
        ident = value.value
        symbol = self.symbols.get(ident)
        if symbol is None or ident in self.removed:
            known = [i for i in self.from_base if i not in self.removed]
            self.report(diag.make("E050", f"nothing to remove: the base map has no '{value.text}'"
                                  + (" any more" if ident in self.removed else ""), value.span,
                                  help=suggest(ident, known)))
            return
        if ident not in self.from_base or ident in self.overridden:
            self.report(diag.make("E051", f"'{value.text}' is declared in this map; delete its declaration instead "
                                  "of removing it", value.span, help=f"declared at line {symbol.declaration.line}"))
            return
        self._take_out(symbol.kind, ident, value.span)

    def _take_out(self, kind: str, ident: str, where: Span) -> None:
        """Remove a base item and what cannot be without it: a stage's touchpoints, a
        touchpoint's transitions (build_transitions) and its pains and ideas, the touchpoints
        that were only a removed persona's. The base's own references to what is gone are then
        dropped (a resolved pain leaves the ideas that addressed it); the extending map's are
        still errors."""
        self.removed[ident] = where
        self.symbols.declarations.pop(ident, None)
        item = next((p for p in self.items.get(kind, ()) if p.id == ident), None)
        if kind in self.items:
            self.items[kind] = [p for p in self.items[kind] if p.id != ident]
        if kind == lang.STAGE:  # its touchpoints go with it
            for touchpoint in [p for p in self.items[lang.TOUCHPOINT] if p.fields.get("stage") == ident]:
                self._take_out(lang.TOUCHPOINT, touchpoint.declared_id, where)
        elif kind == lang.TOUCHPOINT:
            for stage in self.items[lang.STAGE]:
                if ident in stage.fields.get("touchpoints", ()):
                    stage.fields["touchpoints"].remove(ident)
            for owned in _owned_items(item) if item is not None else ():
                if owned.id is not None:
                    self.removed[owned.id] = where
                    self.symbols.declarations.pop(owned.id, None)
        elif kind == lang.PERSONA:  # a base touchpoint only for removed personas goes too
            for touchpoint in list(self.items[lang.TOUCHPOINT]):
                for_whom = touchpoint.fields.get("personas") or []
                if touchpoint.from_base and for_whom and all(v.value in self.removed for v in for_whom):
                    self._take_out(lang.TOUCHPOINT, touchpoint.declared_id, where)
        else:  # a pain or an opportunity: out of its touchpoint
            for touchpoint in self.items[lang.TOUCHPOINT]:
                for declaration in lang.DECLARATIONS:
                    if declaration.owned and declaration.declares == kind:
                        held = touchpoint.fields.get(declaration.field)
                        if held:
                            touchpoint.fields[declaration.field] = [p for p in held if p.id != ident]

    def _remove_edges(self, node: ast.Transition) -> None:
        for source, target in zip(node.endpoints, node.endpoints[1:]):
            pair = (source.value, target.value)
            matching = [t for t in self.transitions if _pairs(t) & {pair}]
            own = [t for t in matching if id(t) in self.extension_edges]
            base = [t for t in matching if id(t) not in self.extension_edges]
            if own:
                self.report(diag.make("E051", f"the transition {pair[0]} -> {pair[1]} is declared in this map; "
                                      "delete it there instead of removing it", source.span,
                                      help=f"declared at line {own[0].span.line}"))
            elif not base:
                implicit = not any(id(t) not in self.extension_edges for t in self.transitions)
                self.report(diag.make("E050", f"nothing to remove: the base map has no transition "
                                      f"{pair[0]} -> {pair[1]}", source.span,
                                      help="the base map declares no transitions (its touchpoints follow one "
                                      "another in order); any transition this map writes replaces that flow"
                                      if implicit else None))
            else:
                self.removed_edges.add(pair)

    def apply_placements(self) -> None:
        stages = self.items[lang.STAGE]
        for stage, after in self.placements:
            target = next((p for p in stages if p.id == after.value), None)
            if target is None and stage.from_base and after.value in self.removed:
                continue  # the base placed it after a stage the extending map removes: it stays
            if target is None:
                symbol = self.symbols.get(after.value)
                if symbol is not None:
                    self.report(diag.make("E012", f"'{after.text}' is a {symbol.kind}, not a stage", after.span))
                else:
                    self.report(diag.make("E011", f"unknown stage '{after.text}'", after.span,
                                          help=suggest(after.value, [p.declared_id for p in stages])))
                continue
            if target is stage or stage not in stages:
                continue
            stages.remove(stage)
            stages.insert(stages.index(target) + 1, stage)

    def _item(self, row: lang.Declaration, statement: ast.Statement, id_value: ast.Value | None,
              text: ast.Value | None) -> Pending | None:
        """`pain [ID] "text"`: the text is required, the id optional (and, when given, unique)."""
        kind = row.declares
        if text is None:
            self.report(diag.make("E001", f"'{kind}' needs a string", (id_value or statement.name).span,
                                  help=f'write {kind} "what it is", or {kind} ID "what it is" {{ ... }}'))
            return None
        ident = id_value.value if id_value is not None else None
        if id_value is not None:
            earlier = self.symbols.declare(Symbol(id_value.value, kind, text.value, id_value.span, statement.span))
            if earlier is not None:
                where = earlier.declaration
                self.report(diag.make(
                    "E010",
                    f"duplicate id '{shorten(id_value.value)}': already declared as a {earlier.kind} at {where.file}:{where.line}:{where.column}",
                    id_value.span,
                    help=self._duplicate_help(id_value.value, "ids are shared by every declaration of a map; rename one of them")))
                return None
        span = statement.name.span
        return Pending(ident, text.value, _source_ref(span), statement, scope=kind)

    def attribute(self, statement: ast.Statement, owner: Pending | None, row: lang.Attribute) -> None:
        value = Reader(statement, self.report).read(row)
        if owner is None:
            return
        if self.extending and owner.from_base and row.field not in owner.replaced:
            # The first time an extending map gives a base item's attribute, it replaces the
            # base's value (all of it, for a repeatable one).
            owner.replaced.add(row.field)
            owner.fields.pop(row.field, None)
            owner.set_at.pop(row.field, None)
        if row.repeatable:
            if value is not None:
                owner.fields.setdefault(row.field, []).append(value)
            return
        if row.field in owner.set_at:
            self.twice(statement, owner.set_at[row.field])
            return
        owner.set_at[row.field] = statement.name.span
        if value is not None:
            owner.fields[row.field] = value
            if row.kind == lang.IDS:
                self.references.append((owner, row))
            elif row.kind == lang.EMOTION and isinstance(value, list):
                self.per_persona.append(owner)

    # --- shared reports -----------------------------------------------------------------------
    def check_strings(self, node: ast.Node) -> None:
        values = node.arguments if isinstance(node, ast.Statement) else ((node.label,) if node.label else ())
        for value in values:
            if value.kind == ast.STRING and len(value.value) > MAX_STRING_LENGTH:
                self.report(diag.make(
                    "E020", f"string of {len(value.value):,} characters; the limit is {MAX_STRING_LENGTH:,}",
                    Span(value.span.file, value.span.line, value.span.column, value.span.line, value.span.column + 1)))

    def twice(self, statement: ast.Statement, first: Span) -> None:
        name = statement.name.value
        self.report(diag.make(
            "E022", f"'{name}' is given twice; first at line {first.line}" + (
                f" of {first.file}" if first.file != statement.name.span.file else ""), statement.name.span,
            help=f"'{name}' takes one value; remove one of them"))

    def unknown(self, statement: ast.Statement, scope: str) -> None:
        """E021 for a name not allowed in `scope`: where it belongs, a near miss, or what is allowed."""
        name = statement.name.value
        if not self.room(statement.name.span.file):
            self.drop("E021", statement.name.span)  # not kept: skip the suggestion
            return
        allowed = lang.allowed(scope)
        elsewhere = [s for s in lang.where_allowed(name) if s != scope]
        if statement.arguments and statement.arguments[0].kind == ast.COMMA:
            message, help = f"unknown attribute '{shorten(name)}' {lang.SCOPE_PHRASES[scope]}", "did you mean a transition? write a -> b"
        elif elsewhere:
            places = " or ".join(_scope_place(s) for s in elsewhere)
            message = f"'{shorten(name)}' is not allowed {lang.SCOPE_PHRASES[scope]}; it belongs {places}"
            help = f"allowed here: {', '.join(allowed)}"
        else:
            message = f"unknown attribute '{shorten(name)}' {lang.SCOPE_PHRASES[scope]}"
            help = suggest(name, allowed) or f"allowed here: {', '.join(allowed)}"
        self.report(diag.make("E021", message, statement.name.span, help=help))

    def no_block(self, statement: ast.Statement) -> None:
        if statement.block is not None:
            self.report(diag.make("E001", f"'{statement.name.value}' takes no block", statement.block.span))

    def note_broken(self, statement: ast.Statement) -> None:
        for value in statement.arguments:
            if value.kind == ast.IDENT:
                self.broken_names.add(value.value)
        if statement.arguments and statement.arguments[0].kind == ast.STRING:
            self.broken_names.add(derive_id(statement.arguments[0].value))

    # --- references ---------------------------------------------------------------------------
    def reference(self, value: ast.Value, wanted: str, inherited: bool = False) -> bool:
        """Check that `value` names a declaration of kind `wanted`; report E011 / E012.
        `inherited`: the reference is the base's, and something the extending map took out
        is silently no longer named (§16)."""
        symbol = self.symbols.get(value.value)
        if symbol is None and inherited and self.taken_out(value.value):
            return False
        resolved = symbol is not None and symbol.kind == wanted
        # (made as the reader makes its values: a large map has a reference per endpoint)
        self.symbols.references.append(_new(Reference, (value.value, wanted, value.span, resolved)))
        if symbol is None:
            if value.value in self.broken_names or self.base_missing:
                return False
            if not self.room(value.span.file):
                self.drop("E011", value.span)  # not kept: skip the search for a near miss
                return False
            removed = self.removed.get(value.value)
            replaced = self.replaced_away.get(value.value)
            help: str | None
            if removed is not None:
                help = f"'{value.text}' is removed at line {removed.line}"
            elif replaced is not None:
                help = (f"'{value.text}' went with touchpoint '{replaced[0]}', replaced at line {replaced[1].line}; "
                        "declare it again in the new touchpoint to keep it")
            else:
                help = suggest(value.value, self.symbols.of_kind(wanted))
            self.report(diag.make("E011", f"unknown {wanted} '{shorten(value.text)}'", value.span, help=help))
            return False
        if symbol.kind != wanted:
            where = symbol.declaration
            help = "transitions connect touchpoints" if wanted == lang.TOUCHPOINT else None
            self.report(diag.make(
                "E012", f"'{shorten(value.text)}' is a {symbol.kind} (declared at line {where.line}), not a {wanted}",
                value.span, help=help))
            return False
        return True

    def taken_out(self, ident: str) -> bool:
        """Whether the extending map took `ident` out of its base (removed, or gone with a replaced touchpoint)."""
        return ident in self.removed or ident in self.replaced_away

    def resolve_references(self) -> None:
        for owner, row in self.references:
            values = owner.fields.get(row.field) or []
            owner.fields[row.field] = [v.value for v in values
                                       if self.reference(v, row.refers_to or "", inherited=owner.from_base)]
        self.references = []
        for touchpoint in self.per_persona:
            for_whom = touchpoint.fields.get("personas") or []
            resolved = []
            for persona, score in touchpoint.fields["emotion"]:
                if not self.reference(persona, lang.PERSONA, inherited=touchpoint.from_base):
                    continue
                if for_whom and persona.value not in for_whom:
                    self.report(diag.make(
                        "E012", f"'{persona.text}' is not a persona of touchpoint '{touchpoint.id}' "
                        f"(it is for {', '.join(for_whom)})", persona.span,
                        help="name only the touchpoint's personas, or add this one to its `persona` list"))
                    continue
                resolved.append((persona.value, score))
            touchpoint.fields["emotion"] = resolved
        self.per_persona = []

    def build_transitions(self) -> list[Transition]:
        result: list[Transition] = []
        # An extending map's transition between two touchpoints replaces the base's between them.
        rewritten = {pair for node in self.transitions if id(node) in self.extension_edges for pair in _pairs(node)}
        work: list[ast.Transition] = []
        for node in self.transitions:
            if self.extending and id(node) not in self.extension_edges:
                steps = list(zip(node.endpoints, node.endpoints[1:]))
                kept = [(a, b) for a, b in steps if (a.value, b.value) not in rewritten
                        and (a.value, b.value) not in self.removed_edges and not ({a.value, b.value} & self.removed.keys())]
                if len(kept) < len(steps):  # a base chain partly replaced or removed: its other steps stay
                    work += [ast.Transition((a, b), node.label, node.block, node.span, node.broken) for a, b in kept]
                    continue
            work.append(node)
        for node in work:
            if node.broken:
                continue  # its syntax error says what is wrong with it
            if node.label is not None:
                self.check_strings(node)
            fields_: Mapping[str, Any] = _NOTHING
            set_at: Mapping[str, Span] = _NOTHING
            if node.block is not None:  # (most transitions have none: 10,000 of them in a large map)
                holder = Pending("", "", SourceRef("", 0, 0), None)
                holder.from_base = self.extending and id(node) not in self.extension_edges
                fields_, set_at = holder.fields, holder.set_at
                for child in node.block.statements:
                    if child.broken:
                        continue
                    if isinstance(child, ast.Transition):
                        self.report(diag.make("E001", "a transition's block holds only rate, style and label",
                                              child.span))
                        continue
                    row = lang.lookup(lang.TRANSITION, child.name.value)
                    if not isinstance(row, lang.Attribute):
                        self.unknown(child, lang.TRANSITION)
                        continue
                    self.check_strings(child)
                    self.attribute(child, holder, row)
                self.resolve_references()  # the block's evidence, now that every declaration is known
            label = node.label.value if node.label is not None else None
            if node.label is not None and "label" in set_at:
                self.report(diag.make("E022", "the transition has a label twice: after the arrow and in its block",
                                      set_at["label"], help="give the label one way or the other"))
            elif "label" in fields_:
                label = fields_["label"]
            endpoints_ok = True
            for endpoint in node.endpoints:  # every one, so each unknown endpoint is reported
                endpoints_ok = self.reference(endpoint, lang.TOUCHPOINT) and endpoints_ok
            if not endpoints_ok or len(node.endpoints) < 2:
                continue
            extra = {name: _frozen_value(name, value) for name, value in fields_.items() if name != "label"} \
                if fields_ else _NOTHING
            for source, target in zip(node.endpoints, node.endpoints[1:]):
                where = source.span
                values = {"source_id": source.value, "target_id": target.value, "label": label,
                          "style": "solid", **extra, "implicit": False,
                          "source": _source_ref(where)}
                result.append(_make(Transition, values))
        return result

    # --- the model ----------------------------------------------------------------------------
    def finish(self, default_title: str | None) -> Journey:
        if self.extending:
            self.apply_removals()
        self.apply_placements()
        self.resolve_references()
        transitions = self.build_transitions()
        explicit = bool(self.transitions)
        personas = [p.declared_id for p in self.items[lang.PERSONA]]
        for pending in self.items[lang.TOUCHPOINT]:
            _settle_emotions(pending, personas)
        if self.extending or self.placements:
            # Overrides, moves and `after` declare touchpoints out of the stages' order; the
            # map's touchpoints (and so its implicit flow) follow the stages, as in any map.
            position = {ident: i for i, ident in enumerate(
                t for stage in self.items[lang.STAGE] for t in stage.fields["touchpoints"])}
            self.items[lang.TOUCHPOINT].sort(key=lambda pending: position.get(pending.id, len(position)))
        touchpoints = tuple(_freeze(lang.TOUCHPOINT, p) for p in self.items[lang.TOUCHPOINT])
        by_id = {tp.id: tp for tp in touchpoints}
        stages = tuple(
            _freeze(lang.STAGE, p, emotion=mean_emotion(by_id[t] for t in p.fields["touchpoints"] if t in by_id))
            for p in self.items[lang.STAGE]
        )
        if not explicit:
            transitions = [
                _make(Transition, {"source_id": a.id, "target_id": b.id, "style": "solid", "implicit": True})
                for a, b in zip(touchpoints, touchpoints[1:])
            ]
        values = dict(_shape(Journey)[0])
        for name, value in self.map.fields.items():
            values[name] = _frozen_value(name, value)
        if "title" not in self.map.fields and "title" not in self.map.set_at:
            values["title"] = default_title
        if self.extending:
            values["extends"] = self.extends
            if "status" not in self.map.replaced:
                values["status"] = "to-be"  # a map written as changes to another is a future state
        values["direction"] = values.get("direction") or "LR"
        values.update(
            personas=tuple(_freeze(lang.PERSONA, p) for p in self.items[lang.PERSONA]),
            stages=stages, touchpoints=touchpoints, transitions=tuple(transitions),
            sources=tuple(_freeze(lang.SOURCE, p) for p in self.items[lang.SOURCE]),
        )
        return Journey(**values)

    @property
    def explicit_transitions(self) -> bool:
        return bool(self.transitions)


def _scope_place(scope: str) -> str:
    return "at the top level" if scope == lang.MAP else f"in a {scope}"


def _pairs(node: ast.Transition) -> set[tuple[str, str]]:
    """The edges a transition statement writes: (from, to) of each step of its chain."""
    return {(a.value, b.value) for a, b in zip(node.endpoints, node.endpoints[1:])}


def _owned_items(pending: Pending) -> list[Pending]:
    return [item for declaration in lang.DECLARATIONS if declaration.owned and declaration.scope == pending.scope
            for item in pending.fields.get(declaration.field, ())]


def _settle_emotions(touchpoint: Pending, personas: list[str]) -> None:
    """The touchpoint's `emotion` (one value for all its personas, or None when only personas'
    own are given) and `emotions` (each of its personas and their value)."""
    emotion = touchpoint.fields.get("emotion")
    for_whom = touchpoint.fields.get("personas") or personas
    if isinstance(emotion, list):
        touchpoint.fields["emotion"] = None
        touchpoint.fields["emotions"] = dict(emotion)
    elif emotion is not None:
        touchpoint.fields["emotions"] = {persona: emotion for persona in for_whom}


# Fields holding several values: a repeatable attribute's, an id list's, the items a touchpoint
# owns, a stage's touchpoints.
@lru_cache(maxsize=None)
def _tuple_fields() -> frozenset[str]:
    names = {a.field for a in lang.ATTRIBUTES if a.repeatable or a.kind == lang.IDS}
    owned = {d.field for d in lang.DECLARATIONS if d.owned}
    return frozenset(names | owned | {"touchpoints"})


def _frozen_value(name: str, value: Any) -> Any:
    if name not in _tuple_fields():
        return value
    return tuple(_freeze(item.scope, item) if isinstance(item, Pending) else item for item in value)


@lru_cache(maxsize=None)
def _shape(cls) -> tuple[dict[str, Any], dict[str, Callable[[], Any]], frozenset[str], frozenset[str]]:
    """A model class's defaults (all immutable), its default factories, and its required and
    all field names."""
    defaults = {f.name: f.default for f in fields(cls) if f.default is not MISSING}
    factories = {f.name: f.default_factory for f in fields(cls) if f.default_factory is not MISSING}
    names = frozenset(f.name for f in fields(cls) if f.init)
    return defaults, factories, names - defaults.keys() - factories.keys(), names


@lru_cache(maxsize=None)
def _label_field(scope: str) -> str:
    for row in lang.DECLARATIONS:
        if row.declares == scope:
            return row.label_field
    return "label"


def _freeze(scope: str, pending: Pending, **extra):
    values = {"id": pending.id, _label_field(scope): pending.label, "source": pending.source}
    several = _tuple_fields()
    for name, value in pending.fields.items():
        values[name] = _frozen_value(name, value) if name in several else value
    values.update(extra)
    return _make(ITEM_CLASSES[scope], values)


def _source_ref(span: Span) -> SourceRef:
    """Where an item is declared. Made as _make makes the model's items: a large map has one
    per touchpoint, pain, idea and transition, and the frozen __init__ costs a microsecond."""
    ref = object.__new__(SourceRef)
    object.__setattr__(ref, "__dict__", {"file": span[0], "line": span[1], "column": span[2]})
    return ref


def _make(cls, given: dict[str, Any]):
    defaults, factories, required, names = _shape(cls)
    # The defaults and factories name fields of the class, so checking what is given is enough.
    if not required <= given.keys() <= names:
        raise TypeError(f"{cls.__name__}: missing {sorted(required - given.keys())}, unknown {sorted(given.keys() - names)}")
    values = {**defaults, **given}
    for name, factory in factories.items():
        if name not in values:
            values[name] = factory()
    # A large map has thousands of these: filling the instance's dict skips the frozen
    # __init__, which sets each field through object.__setattr__ (4 µs a touchpoint).
    instance = object.__new__(cls)
    object.__setattr__(instance, "__dict__", values)
    return instance

"""Formatting a file safely: any map that parses is formatted (a formatter runs mid-edit, with
references still dangling or includes missing), and the result is checked before anyone sees
it: the same syntax tree (spans aside), every comment kept, stable when formatted again, and,
when the map compiles, the same model."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..source import SourceFile
from ..syntax import ast
from .printer import format_document


@dataclass
class FormatResult:
    """The canonical text (None when the file does not parse), the syntax errors that stopped
    it, and the source (to show those errors with their line)."""

    text: str | None
    diagnostics: list = field(default_factory=list)
    sources: dict[str, SourceFile] = field(default_factory=dict)


from ..errors import FormatError  # noqa: E402  (re-exported: raised when the check fails)


def _shape(document: ast.Document) -> list:
    """What a syntax tree says, without where it says it: names, values, nesting, order."""

    def value(item: ast.Value | None):
        return None if item is None else (item.kind, item.value)

    def block(item: ast.Block | None):
        return None if item is None else [node(child) for child in item.statements]

    def node(item: ast.Node):
        if isinstance(item, ast.Transition):
            return ("->", value(item.keyword), [value(e) for e in item.endpoints], value(item.label), block(item.block))
        return (value(item.name), [value(a) for a in item.arguments], block(item.block))

    return [node(item) for item in document.statements]


def _meaning(compilation) -> dict:
    """The model as JSON without where each declaration stands (layout is not meaning)."""
    from ..model import to_json_dict

    def without_positions(value):
        if isinstance(value, dict):
            return {key: without_positions(item) for key, item in value.items() if key != "source"}
        if isinstance(value, list):
            return [without_positions(item) for item in value]
        return value

    return without_positions(to_json_dict(compilation.journey))


def format_source(text: bytes | str, path: str, base_dir=None, include_root=None) -> FormatResult:
    """Format one file. Raises FormatError when the result would not say what the file says."""
    from ..compiler.workspace import load_source

    data = text if isinstance(text, bytes) else text.encode("utf-8")
    document, problems = load_source(path, data)
    if document.has_syntax_errors:
        return FormatResult(None, problems, {path: document.source})
    formatted = format_document(document)
    if formatted.encode("utf-8") == data:
        return FormatResult(formatted)  # already canonical: nothing is written, nothing to verify
    again, again_problems = load_source(path, formatted.encode("utf-8"))
    if again.has_syntax_errors or _shape(again) != _shape(document):
        raise FormatError(f"formatting {path} would change its meaning")
    if [c.text for c in again.comments] != [c.text for c in document.comments]:
        raise FormatError(f"formatting {path} would lose a comment")
    if format_document(again) != formatted:
        raise FormatError(f"formatting {path} is not stable")
    from ..compiler import compile_source

    before = compile_source(path, data, base_dir=base_dir, include_root=include_root, document=document)
    if before.ok:
        after = compile_source(path, formatted.encode("utf-8"), base_dir=base_dir, include_root=include_root,
                               document=again)
        if not after.ok or _meaning(after) != _meaning(before):
            raise FormatError(f"formatting {path} would change its meaning")
    return FormatResult(formatted)

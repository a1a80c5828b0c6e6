"""The files of one map: the main file and its includes, read and parsed, confined to a root
folder. Nothing outside the root is ever opened: a path is resolved (symlinks followed) and
checked before it is read. Each file is read once per map, so diamond includes merge once
and no include chain can blow up. Only regular files are read as includes (a FIFO or a
device would block or never end), at most MAX_SOURCE_BYTES of them, and a chain of includes
may be at most MAX_INCLUDE_DEPTH files deep.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from .. import diagnostics as diag
from ..diagnostics import Collector, Diagnostic, shorten
from ..display import display_name
from ..source import MAX_SOURCE_BYTES, SourceFile, Span, decode, read_limited, size_limit_text, too_large
from ..syntax import ast, parse

# Files in one chain of includes, the main file counted. Real maps nest two or three deep;
# the limit keeps a generated chain of thousands of files a clear error.
MAX_INCLUDE_DEPTH = 100

# Paths only Windows reads as such: a drive (`C:\x`, `C:/x`, `C:x`) or a backslash anywhere
# (`..\x`, `sub\x.journey`, `\\server\share`). Refused on every system, so a map means the same
# file everywhere and a backslash is never a file name's character on Linux.
_DRIVE = re.compile(r"^[A-Za-z]:")


@dataclass
class Workspace:
    """The files one compilation reads: sources by display path, and the include root.
    `open_files`: the text of files open in an editor, by resolved path, read instead of the
    disk (only once a path has passed the root check, like any other include)."""

    root: Path
    open_files: dict[Path, bytes] = field(default_factory=dict)
    sources: dict[str, SourceFile] = field(default_factory=dict)
    seen: set[Path] = field(default_factory=set)  # resolved paths already merged
    stack: list[tuple[Path, str]] = field(default_factory=list)  # include chain in progress


def read_document(display_path: str, data: bytes, collector: Collector) -> ast.Document:
    """Decode and parse one file's bytes; every problem goes to `collector`."""
    display_path = display_name(display_path)  # a name from the disk may not be printable text
    source, problems = decode(display_path, data, limit=collector.limit)
    refused = set()
    for problem in problems:
        refused.add((problem.line, problem.column))
        found = diag.make("E001", problem.message, Span.point(display_path, problem.line, problem.column))
        if problem.more:
            collector.count(found, problem.more)
        else:
            collector.add(found)
    document, syntax_problems = parse(source)
    if refused:
        document.has_syntax_errors = True
        _mark_broken(document.statements, sorted(refused))
    for found in syntax_problems:
        # A refused character became a space or U+FFFD, which the lexer may trip on in turn:
        # one problem, one diagnostic.
        if (found.span.line, found.span.column) not in refused:
            collector.add(found)
    if isinstance(syntax_problems, diag.Bounded) and syntax_problems.first_more is not None:
        collector.count(syntax_problems.first_more, syntax_problems.more)
    return document


def _mark_broken(nodes: list, refused: list[tuple[int, int]]) -> None:
    """Mark broken each statement whose own text (its block aside) holds a refused character:
    that character became a space or U+FFFD, so what is left of the statement is not what was
    written, and judging it would report the one problem twice."""
    import bisect

    for node in nodes:
        if isinstance(node, ast.Transition):
            start = node.endpoints[0].span if node.endpoints else node.span
            last = node.label.span if node.label is not None else (node.endpoints[-1].span if node.endpoints else start)
        else:
            start = node.name.span
            last = node.arguments[-1].span if node.arguments else start
        head_end = (last.end_line, last.end_column)
        if node.block is not None:
            head_end = max(head_end, (node.block.span.line, node.block.span.column))
        at = bisect.bisect_left(refused, (start.line, start.column))
        if at < len(refused) and refused[at] < head_end:
            node.broken = True
        if node.block is not None:
            _mark_broken(node.block.statements, refused)


def load_source(display_path: str, data: bytes) -> tuple[ast.Document, list[Diagnostic]]:
    """Decode and parse one file's bytes; every problem comes back as a diagnostic."""
    collector = Collector()
    document = read_document(display_path, data, collector)
    return document, collector.result()


def resolve_include(
    workspace: Workspace, including: ast.Document, base_dir: Path, statement: ast.Statement, target: ast.Value,
    noun: str = "include",
) -> tuple[Path | None, str, Diagnostic | None]:
    """Where an include (or, with `noun` "base map", an `extends`) points: (resolved path,
    display path, problem)."""
    written = target.value
    quoted = shorten(written)
    parent_display = including.source.path
    display = display_name(written if os.path.isabs(written) else os.path.normpath(
        os.path.join(os.path.dirname(parent_display) if parent_display != "-" else "", written)
    ))
    if "\x00" in written:
        return None, display, diag.make("E030", f"{noun} path contains a NUL character", target.span)
    if not written.strip():
        return None, display, diag.make("E030", f"{noun} path is empty", target.span)
    if _DRIVE.match(written) or "\\" in written:
        what = "a Windows drive path" if _DRIVE.match(written) else "a path with '\\' in it"
        return None, display, diag.make(
            "E032",
            f"{noun} '{quoted}' is {what}",
            target.span,
            help="write include paths relative to the including file, with '/' between folders",
        )
    candidate = Path(base_dir, written)
    try:
        resolved = Path(os.path.realpath(candidate))
    except (OSError, ValueError, RuntimeError) as error:
        return None, display, diag.make("E030", f"cannot resolve {noun} '{quoted}': {_reason(error)}", target.span)
    if not _inside(resolved, workspace.root):
        rule = "includes must stay" if noun == "include" else f"the {noun} must stay, as includes do,"
        return None, display, diag.make(
            "E032",
            f"{noun} '{quoted}' lies outside the root folder",
            target.span,
            help=f"{rule} inside {_shown_root(workspace.root)}; "
            "`journey` accepts --include-root to widen it",
        )
    return resolved, display, None


def _nonblocking(path: str, flags: int) -> int:
    """Open without waiting: should the file have become a FIFO since it was checked, opening
    it must not wait for a writer (and the check after opening refuses it)."""
    return os.open(path, flags | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))


def read_include(resolved: Path, written: str, span: Span,
                 noun: str = "include") -> tuple[bytes | None, Diagnostic | None]:
    """The bytes of an included file (or, with `noun` "base map", the extended one), or why it
    cannot be read. Only a regular file is read, and at most MAX_SOURCE_BYTES of it."""
    quoted = shorten(written)
    try:
        info = os.stat(resolved)
    except FileNotFoundError:
        return None, diag.make("E030", f"{noun} file '{quoted}' does not exist", span)
    except (OSError, ValueError) as error:
        return None, diag.make("E030", f"cannot read {noun} '{quoted}': {_reason(error)}", span)
    problem = _not_readable(info, quoted, span, noun)
    if problem:
        return None, problem
    try:
        with open(resolved, "rb", opener=_nonblocking) as handle:
            problem = _not_readable(os.fstat(handle.fileno()), quoted, span, noun)
            if problem:
                return None, problem
            data = read_limited(handle)
    except FileNotFoundError:
        return None, diag.make("E030", f"{noun} file '{quoted}' does not exist", span)
    except IsADirectoryError:
        return None, diag.make("E030", f"{noun} '{quoted}' is a folder, not a file", span)
    except (OSError, ValueError) as error:
        return None, diag.make("E030", f"cannot read {noun} '{quoted}': {_reason(error)}", span)
    if too_large(data):
        return None, _too_large(quoted, span, noun)
    return data, None


def _not_readable(info: os.stat_result, quoted: str, span: Span, noun: str) -> Diagnostic | None:
    if stat.S_ISDIR(info.st_mode):
        return diag.make("E030", f"{noun} '{quoted}' is a folder, not a file", span)
    if not stat.S_ISREG(info.st_mode):
        return diag.make("E030", f"{noun} '{quoted}' is not a regular file", span,
                         help="a map reads only regular files; a pipe or a device is never read")
    if info.st_size > MAX_SOURCE_BYTES:
        return _too_large(quoted, span, noun)
    return None


def _too_large(quoted: str, span: Span, noun: str) -> Diagnostic:
    return diag.make("E030", f"{noun} '{quoted}' is larger than {size_limit_text()}, the limit for a source file",
                     span, help="split the map into smaller files")


def _inside(path: Path, root: Path) -> bool:
    """Component-wise containment: `docs-evil` is not inside `docs`."""
    try:
        path.relative_to(root)
        return True
    except ValueError:
        return False


def _shown_root(root: Path) -> str:
    try:
        relative = os.path.relpath(root)
    except ValueError:
        return "the root folder"
    return "the root folder" if relative.startswith("..") else f"'{display_name(shorten(relative))}'"


def _reason(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror.lower()
    return str(error) or type(error).__name__

"""The files of one map: the main file and its includes, read and parsed, confined to a root
folder. Nothing outside the root is ever opened: a path is resolved (symlinks followed) and
checked before it is read. Each file is read once per map, so diamond includes merge once
and no include chain can blow up.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from .. import diagnostics as diag
from ..diagnostics import Diagnostic
from ..display import display_name
from ..source import SourceFile, Span, decode
from ..syntax import ast, parse


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


def load_source(display_path: str, data: bytes) -> tuple[ast.Document, list[Diagnostic]]:
    """Decode and parse one file's bytes; every problem comes back as a diagnostic."""
    display_path = display_name(display_path)  # a name from the disk may not be printable text
    source, problems = decode(display_path, data)
    diagnostics = [
        diag.make("E001", problem.message, Span.point(display_path, problem.line, problem.column))
        for problem in problems
    ]
    document, syntax_problems = parse(source)
    if diagnostics:
        document.has_syntax_errors = True
    return document, diagnostics + syntax_problems


def resolve_include(
    workspace: Workspace, including: ast.Document, base_dir: Path, statement: ast.Statement, target: ast.Value,
    noun: str = "include",
) -> tuple[Path | None, str, Diagnostic | None]:
    """Where an include (or, with `noun` "base map", an `extends`) points: (resolved path,
    display path, problem)."""
    written = target.value
    parent_display = including.source.path
    display = display_name(written if os.path.isabs(written) else os.path.normpath(
        os.path.join(os.path.dirname(parent_display) if parent_display != "-" else "", written)
    ))
    if "\x00" in written:
        return None, display, diag.make("E030", f"{noun} path contains a NUL character", target.span)
    if not written.strip():
        return None, display, diag.make("E030", f"{noun} path is empty", target.span)
    candidate = Path(base_dir, written)
    try:
        resolved = Path(os.path.realpath(candidate))
    except (OSError, ValueError, RuntimeError) as error:
        return None, display, diag.make("E030", f"cannot resolve {noun} '{written}': {_reason(error)}", target.span)
    if not _inside(resolved, workspace.root):
        rule = "includes must stay" if noun == "include" else f"the {noun} must stay, as includes do,"
        return None, display, diag.make(
            "E032",
            f"{noun} '{written}' lies outside the root folder",
            target.span,
            help=f"{rule} inside {_shown_root(workspace.root)}; "
            "`journey` accepts --include-root to widen it",
        )
    return resolved, display, None


# Opened without waiting: a FIFO (or a device) under a map's name would otherwise block the
# read forever; it is refused once open, as anything but a regular file is.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def read_include(resolved: Path, written: str, span: Span, noun: str = "include") -> tuple[bytes | None, Diagnostic | None]:
    """The bytes of an included file (or base map): a regular file only."""
    try:
        descriptor = os.open(resolved, _OPEN_FLAGS)
    except FileNotFoundError:
        return None, diag.make("E030", f"{noun} file '{written}' does not exist", span)
    except IsADirectoryError:
        return None, _folder(noun, written, span)
    except (OSError, ValueError) as error:
        return None, diag.make("E030", f"cannot read {noun} '{written}': {_reason(error)}", span)
    try:
        kind = os.fstat(descriptor).st_mode
        if stat.S_ISDIR(kind):
            return None, _folder(noun, written, span)
        if not stat.S_ISREG(kind):
            return None, diag.make("E030", f"{noun} '{written}' is not a regular file", span,
                                   help="a map reads only regular files (not pipes or devices)")
        with os.fdopen(descriptor, "rb") as handle:
            descriptor = -1  # the file object closes it now
            return handle.read(), None
    except (OSError, ValueError) as error:
        return None, diag.make("E030", f"cannot read {noun} '{written}': {_reason(error)}", span)
    finally:
        if descriptor >= 0:
            os.close(descriptor)


def _folder(noun: str, written: str, span: Span) -> Diagnostic:
    return diag.make("E030", f"{noun} '{written}' is a folder, not a file", span)


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
    return "the root folder" if relative.startswith("..") else f"'{display_name(relative)}'"


def _reason(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror.lower()
    return str(error) or type(error).__name__

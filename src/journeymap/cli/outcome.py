"""The one place that decides exit codes, and how problems reach the terminal.

0: success (warnings allowed); 1: the input has errors (or warnings under --strict);
2: a usage or I/O problem, a missing tool, or an engine failure; 3: `journey diff` found
changes (kept apart from 1 so a script can tell "the maps differ" from "a map is broken").
A run stopped by a signal exits 128 + its number (cli/interrupts.py); a broken pipe, 141
(cli/streams.py).
"""

from __future__ import annotations

import errno
import os
import sys
from dataclasses import dataclass, field
from typing import NoReturn

from .. import display_name, has_errors, render_github, render_text
from .streams import emit_text, say

OK, INPUT_ERRORS, TROUBLE, DIFFERENT = 0, 1, 2, 3


@dataclass
class Outcome:
    strict: bool = False
    status: int = OK
    failed: list[str] = field(default_factory=list)

    def diagnostics(self, compilation, *, to_stdout: bool = False, file_format: str = "text") -> bool:
        """Print a compilation's diagnostics; True when the map may be used (no errors).
        `github` annotations are machine output and always go to standard output."""
        for d in compilation.diagnostics:
            if file_format == "github":
                emit_text(render_github(d) + "\n")
            elif file_format == "text":
                say(render_text(d, compilation.sources), err=not to_stdout)
        errors = has_errors(compilation.diagnostics)
        if errors or (self.strict and compilation.diagnostics):
            self.status = max(self.status, INPUT_ERRORS)
        return not errors

    def trouble(self, message: str, name: str | None = None) -> None:
        """A usage or I/O problem: say it on standard error and remember exit code 2."""
        say(f"journey: {message}", err=True)
        self.status = TROUBLE
        if name:
            self.failed.append(name)

    def inputs(self, names):
        """(name, bytes) of each input that can be read; the others are reported (exit 2)."""
        for name in names:
            try:
                yield name, read_input(name)
            except OSError as error:
                self.trouble(describe_os_error(name, error), name)

    def input_failed(self, name: str) -> None:
        self.failed.append(name)

    def exit(self) -> NoReturn:
        raise SystemExit(self.status)


def shown(path: str) -> str:
    """A path as messages quote it: `'docs/map.journey'`, or `standard input` for '-'."""
    return "standard input" if path == "-" else f"'{display_name(path)}'"


def argument_text(value: str | None) -> str | None:
    """A text argument (a title, a persona id) as it was typed. Python decodes arguments with
    the locale's encoding, and under a C locale UTF-8 arrives as lone surrogates: their bytes
    are read as UTF-8 again (file names are left alone: they are bytes for the system)."""
    if value is None or value.isascii() or not any("\udc80" <= ch <= "\udcff" for ch in value):
        return value
    try:
        return os.fsencode(value).decode("utf-8", "replace")
    except UnicodeError:
        return value


def read_input(name: str) -> bytes:
    """The bytes of a named file, or of standard input for '-'. Raises OSError.

    At most one byte past the source size limit is read (a pipe or `/dev/zero` may never
    end); the compiler refuses such an input with one diagnostic."""
    from .. import read_limited

    if name == "-":
        if sys.stdin is None:  # `journey check - <&-`
            raise OSError(errno.EBADF, "it is closed")
        return read_limited(sys.stdin.buffer)
    with open(name, "rb") as handle:
        return read_limited(handle)


def describe_os_error(name: str, error: OSError) -> str:
    return f"cannot read {shown(name)}: {reason(error)}"


def reason(error: OSError) -> str:
    """Why an operating-system call failed, as a message ends: 'permission denied'."""
    text = error.strerror or str(error)
    return text.lower() if text else type(error).__name__

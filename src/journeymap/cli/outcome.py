"""The one place that decides exit codes, and how problems reach the terminal.

0: success (warnings allowed); 1: the input has errors (or warnings under --strict);
2: a usage or I/O problem, a missing tool, or an engine failure; 3: `journey diff` found
changes (kept apart from 1 so a script can tell "the maps differ" from "a map is broken").
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field

import click

from .. import diagnostics as diag

OK, INPUT_ERRORS, TROUBLE, DIFFERENT = 0, 1, 2, 3


@dataclass
class Outcome:
    strict: bool = False
    status: int = OK
    failed: list[str] = field(default_factory=list)

    def diagnostics(self, compilation, *, stream=None, file_format: str = "text") -> bool:
        """Print a compilation's diagnostics; True when the map may be used (no errors)."""
        stream = stream or sys.stderr
        for d in compilation.diagnostics:
            if file_format == "github":
                click.echo(diag.render_github(d), file=stream)
            elif file_format == "text":
                click.echo(diag.render_text(d, compilation.sources), file=stream)
        errors = diag.has_errors(compilation.diagnostics)
        if errors or (self.strict and compilation.diagnostics):
            self.status = max(self.status, INPUT_ERRORS)
        return not errors

    def trouble(self, message: str, name: str | None = None) -> None:
        """A usage or I/O problem: say it on standard error and remember exit code 2."""
        click.echo(f"journey: {message}", err=True)
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

    def exit(self) -> None:
        raise SystemExit(self.status)


def read_input(name: str) -> bytes:
    """The bytes of a named file, or of standard input for '-'. Raises OSError."""
    if name == "-":
        return sys.stdin.buffer.read()
    with open(name, "rb") as handle:
        return handle.read()


def describe_os_error(name: str, error: OSError) -> str:
    reason = error.strerror or str(error)
    return f"cannot read '{name}': {reason.lower() if reason else type(error).__name__}"

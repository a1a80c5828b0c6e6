"""`journey fmt`: rewrite maps in the canonical layout, or check or show what would change."""

from __future__ import annotations

import difflib
import os

import click

from .. import display_name
from . import interrupts
from .inputs import complete_maps, expanded
from .outcome import INPUT_ERRORS, Outcome, reason, shown
from .streams import emit_text, say


@click.command("fmt")
@click.argument("files", nargs=-1, required=True, shell_complete=complete_maps)
@click.option("--check", is_flag=True, help="Write nothing; exit 1 when a file would change.")
@click.option("--diff", "show_diff", is_flag=True, help="Write nothing; print a unified diff of the changes.")
def command(files: tuple[str, ...], check: bool, show_diff: bool) -> None:
    """Format FILES in place ('-': standard input to standard output). Comments are kept. Any
    map that parses is formatted, even one with unknown references or missing includes (run
    `journey check` for those); a file with a syntax error is reported and left as it is, and
    so is a symlink (fmt does not write through one: format the file it points to). A folder
    stands for every .journey file under it."""
    from .. import FormatError, OutputRefused, format_source, write_atomic

    outcome = Outcome()
    files = tuple(expanded(files, outcome))
    changed = []
    for name, data in outcome.inputs(files):
        base = os.getcwd() if name == "-" else os.path.dirname(os.path.abspath(name))
        try:
            result = format_source(data, name, base_dir=base)
        except FormatError as error:
            outcome.trouble(f"{error}; the file was left as it is (please report this)", name)
            continue
        formatted = result.text
        if formatted is None:  # it does not parse: nothing can be said about its layout
            outcome.diagnostics(result)
            outcome.input_failed(name)
            continue
        new = formatted.encode("utf-8")
        if new == data:
            if name == "-" and not (check or show_diff):
                emit_text(formatted)  # `journey fmt -` always prints the text
            continue
        changed.append(name)
        if show_diff:
            old_text = data.decode("utf-8-sig", errors="replace").splitlines(keepends=True)
            label = display_name(name)
            emit_text("".join(difflib.unified_diff(old_text, formatted.splitlines(keepends=True),
                                                   f"{label} (original)", f"{label} (formatted)")))
        if check or show_diff:
            continue
        if name == "-":
            emit_text(formatted)
            continue
        try:
            with interrupts.held():  # a signal waits until the file is replaced (or not)
                write_atomic(name, new)
        except OutputRefused as error:
            message = str(error)
            if os.path.islink(name):
                message = (f"{shown(name)} is a symlink, and fmt does not write through symlinks; it was left "
                           f"as it is (format the file it points to: {shown(os.path.relpath(os.path.realpath(name)))})")
            outcome.trouble(message, name)
            changed.remove(name)
        except OSError as error:
            outcome.trouble(f"cannot write {shown(name)}: {reason(error)}", name)
            changed.remove(name)
    if check or show_diff:
        for name in changed:
            say(f"would reformat {display_name(name)}", err=True)
        if changed:
            outcome.status = max(outcome.status, INPUT_ERRORS)
    elif changed and files != ("-",):
        say(f"reformatted {len(changed)} file{'s' if len(changed) != 1 else ''}", err=True)
    outcome.exit()

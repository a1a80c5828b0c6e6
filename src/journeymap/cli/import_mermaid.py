"""`journey import FILE.mmd [-o FILE.journey] [--force]`: convert a Mermaid journey diagram."""

from __future__ import annotations

import click

from .. import display_name
from . import interrupts
from .outcome import INPUT_ERRORS, Outcome, describe_os_error, read_input, reason, shown
from .streams import emit_text, say


@click.command("import")
@click.argument("source")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write the .journey file here (default, and '-': standard output). An existing "
                   "file is left alone unless --force is given.")
@click.option("--force", is_flag=True, help="Replace an existing output file (atomically).")
@click.option("--actors-as-personas", is_flag=True,
              help="Make the chart's actors personas (by default each touchpoint keeps its actors in a note).")
def command(source: str, output: str | None, force: bool, actors_as_personas: bool) -> None:
    """Convert the Mermaid `journey` diagram in SOURCE ('-' for standard input). Every problem
    of a malformed chart is reported at its line and column (exit 1)."""
    from .. import compile_text, decode, import_mermaid_journey, import_problem

    ImportProblem = import_problem()

    outcome = Outcome()
    if output == "-":
        output = None
    try:
        data = read_input(source)
    except OSError as error:
        outcome.trouble(describe_os_error(source, error))
        outcome.exit()
    decoded, problems = decode(source, data, limit=1)  # only the first is reported
    where = display_name(source)
    try:
        if problems:
            raise ImportProblem.of([ImportProblem(p.line, p.column, p.message) for p in problems])
        text, notes = import_mermaid_journey(decoded.text, actors_as_personas=actors_as_personas)
    except ImportProblem as problem:
        for each in problem.problems:
            say(f"{where}:{each.line}:{each.column}: error: {each.message}", err=True)
        raise SystemExit(INPUT_ERRORS)
    for note in notes:
        say(f"{where}:{note.line}:{note.column}: warning: {note.message}", err=True)
    compilation = compile_text(text, output or "-")
    if not outcome.diagnostics(compilation):  # our own output must always compile
        outcome.trouble("the converted map does not compile; please report this")
        outcome.exit()
    if output is None:
        emit_text(text)
        outcome.exit()
    from .. import OutputRefused, check_outputs, create_exclusive, write_atomic

    try:
        check_outputs([(source, output)])
        with interrupts.held():  # a signal waits until the file is in place (or not)
            if force:
                write_atomic(output, text.encode("utf-8"))
            else:
                create_exclusive(output, text.encode("utf-8"))  # never replaces a file, even in a race
    except FileExistsError:
        outcome.trouble(f"{shown(output)} exists; refusing to overwrite it (use --force to replace it)")
    except OutputRefused as error:
        outcome.trouble(str(error))
    except OSError as error:
        outcome.trouble(f"cannot write {shown(output)}: {reason(error)}")
    outcome.exit()

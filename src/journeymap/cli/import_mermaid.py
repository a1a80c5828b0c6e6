"""`journey import FILE.mmd [-o FILE.journey]`: convert a Mermaid journey diagram."""

from __future__ import annotations

import click

from .outcome import INPUT_ERRORS, Outcome, describe_os_error, read_input


@click.command("import")
@click.argument("source")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write the .journey file here (default: standard output). Never overwrites.")
def command(source: str, output: str | None) -> None:
    """Convert the Mermaid `journey` diagram in SOURCE ('-' for standard input)."""
    from .. import compile_text
    from ..importers.mermaid_journey import ImportProblem, parse, to_journey

    outcome = Outcome()
    try:
        data = read_input(source)
    except OSError as error:
        outcome.trouble(describe_os_error(source, error))
        outcome.exit()
    try:
        text = to_journey(parse(data.decode("utf-8-sig", errors="replace")))
    except ImportProblem as problem:
        click.echo(f"{source}:{problem.line}:{problem.column}: error: {problem.message}", err=True)
        raise SystemExit(INPUT_ERRORS)
    compilation = compile_text(text, output or "-")
    if not outcome.diagnostics(compilation):  # our own output must always compile
        outcome.trouble("the converted map does not compile; please report this")
        outcome.exit()
    if output is None:
        click.echo(text, nl=False)
        outcome.exit()
    from ..files import create_exclusive

    try:
        create_exclusive(output, text.encode("utf-8"))  # never replaces a file, even in a race
    except FileExistsError:
        outcome.trouble(f"'{output}' exists; refusing to overwrite it")
    except OSError as error:
        outcome.trouble(f"cannot write '{output}': {error.strerror or error}")
    outcome.exit()

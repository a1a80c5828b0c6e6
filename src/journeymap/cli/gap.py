"""`journey gap`: what a future-state map changes for the customer, compared with its base
(or with a map named first)."""

from __future__ import annotations

import click

from .outcome import Outcome, shown
from .streams import emit_text, say


@click.command("gap")
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "output_format", type=click.Choice(["text", "json", "md"]), default="text",
              show_default=True, help="text for people, json for tools, md for a pull request or a wiki.")
@click.option("--include-root", type=click.Path(file_okay=False), default=None,
              help="Folder includes and the base map must stay inside (default: each map's own folder).")
def command(paths: tuple[str, ...], output_format: str, include_root: str | None) -> None:
    """Compare the current and the future state: FILE (a map that extends its base) or
    OLD NEW. Reports emotion per stage and per persona, pains resolved, kept and new,
    moments of truth, conversion and time to success before and after, and the
    opportunities done. Exit 0, 1 when a map has errors, 2 for a usage or I/O problem."""
    from .. import compile_text, format_gap, gap

    if len(paths) > 2:
        raise click.UsageError("give FILE (a map that extends another) or OLD NEW")
    outcome = Outcome()
    compilations = []
    for name, data in outcome.inputs(paths):
        compilations.append(compile_text(data, name, include_root=include_root))
    if len(compilations) < len(paths):
        outcome.exit()
    usable = [outcome.diagnostics(compilation) for compilation in compilations]
    if not all(usable):
        outcome.exit()
    if len(compilations) == 1:
        (future,) = compilations
        base = future.base
        if base is None:
            raise click.UsageError(f"{shown(paths[0])} extends no other map: start it with "
                                   'extends "current.journey", or give OLD NEW')
        # The base compared is the base on its own, which can have errors the extending map
        # hides (the base names a persona only the extending map declares): they are its errors.
        if not base.ok:
            outcome.diagnostics(base)
            outcome.exit()
        old, new = base.model(), future.model()
    else:
        old, new = (compilation.model() for compilation in compilations)
    written = format_gap(gap(old, new), output_format)
    if output_format == "text":
        say(written, nl=False)  # for people: what the terminal cannot show is escaped
    else:
        emit_text(written)
    outcome.exit()

"""`journey plan FILE...`: the opportunities of one or several maps as one ranked backlog (§15)."""

from __future__ import annotations

import click

from .inputs import complete_maps, expanded
from .outcome import Outcome, shown
from .streams import emit_text, say


@click.command("plan")
@click.argument("files", nargs=-1, required=True, shell_complete=complete_maps)
@click.option("--format", "output_format", type=click.Choice(["md", "csv", "json"]), default="md",
              show_default=True, help="md for people, csv for a spreadsheet, json for scripts that open tickets.")
@click.option("--include-root", type=click.Path(file_okay=False), default=None,
              help="Folder includes must stay inside (default: each map's own folder).")
def command(files: tuple[str, ...], output_format: str, include_root: str | None) -> None:
    """Rank every opportunity of FILES ('-' for standard input; a folder: every .journey file
    under it): impact over effort, weighted by the hotspot score of its touchpoint, lowered when
    it rests on assumption.

    A map with errors is left out of the plan and makes the exit status 1; a file that cannot
    be read, 2.
    """
    from .. import action_plan, compile_text, format_plan

    outcome = Outcome()
    maps = []
    files = tuple(expanded(files, outcome))
    if not files:  # only folders without maps: said above, exit 2
        outcome.exit()
    for name, data in outcome.inputs(files):
        compilation = compile_text(data, name, include_root=include_root)
        if outcome.diagnostics(compilation):
            maps.append((name, compilation.model()))
        else:
            outcome.input_failed(name)
    left_out = [name for name in files if name in outcome.failed]
    if left_out:
        say(f"journey: left out of the plan: {', '.join(shown(name) for name in left_out)}", err=True)
    emit_text(format_plan(action_plan(maps), output_format, maps=len(maps)))
    outcome.exit()

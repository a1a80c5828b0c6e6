"""`journey stats FILE`: the journey analytics of one map (§13), for people or for scripts."""

from __future__ import annotations

import click

from .outcome import INPUT_ERRORS, Outcome, argument_text
from .streams import emit_text, say


@click.command("stats")
@click.argument("file")
@click.option("--persona", default=None, help="The figures of this persona's view of the map.")
@click.option("--format", "output_format", type=click.Choice(["text", "json", "md"]), default="text",
              show_default=True, help="text for people, md for a pull request or wiki, json for scripts.")
@click.option("--include-root", type=click.Path(file_okay=False), default=None,
              help="Folder includes must stay inside (default: the map's own folder).")
def command(file: str, persona: str | None, output_format: str, include_root: str | None) -> None:
    """Report where FILE's travellers end (success, failure, drop-off), the reach of each stage
    and touchpoint, the biggest drop-offs, expected steps and time, the emotional low points,
    the pain hotspots and the evidence coverage ('-' reads standard input).

    Exit 0 with the report; 1 when the map has errors or its figures cannot be computed;
    2 when the file cannot be read or the persona is unknown.
    """
    from .. import RenderError, compile_text, format_stats, stats_report

    outcome = Outcome()
    inputs = list(outcome.inputs((file,)))
    if not inputs:
        outcome.exit()
    name, data = inputs[0]
    compilation = compile_text(data, name, include_root=include_root)
    if not outcome.diagnostics(compilation):
        outcome.exit()
    try:
        report = stats_report(compilation.model(), argument_text(persona), file=name)
    except RenderError as error:  # an unknown persona
        outcome.trouble(str(error))
        outcome.exit()
    from .. import render_text

    for diagnostic in report.new_diagnostics(compilation.diagnostics):
        say(render_text(diagnostic, compilation.sources), err=True)
    written = format_stats(report, output_format)
    if output_format == "text":
        say(written, nl=False)  # for people: what the terminal cannot show is escaped
    else:
        emit_text(written)
    if not report.has_figures:
        reasons = "; ".join(n.message for n in report.notes if n.kind in ("too-complex", "out-of-range"))
        say(f"journey: no figures for {name}: {reasons}", err=True)
        outcome.status = max(outcome.status, INPUT_ERRORS)
    outcome.exit()

"""`journey check`: diagnostics only."""

from __future__ import annotations

import click

from .. import compile_text, render_json, summary
from .inputs import complete_maps, expanded
from .outcome import Outcome
from .streams import emit_text, say


@click.command("check")
@click.argument("files", nargs=-1, required=True, shell_complete=complete_maps)
@click.option("--format", "output_format", type=click.Choice(["text", "json", "github"]), default="text",
              show_default=True, help="text for people, json for tools, github for workflow annotations.")
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too.")
@click.option("--require-evidence", is_flag=True,
              help="Also warn (W010) about each pain, moment of truth and rate that cites no source.")
@click.option("--include-root", type=click.Path(file_okay=False), default=None,
              help="Folder includes must stay inside (default: each map's own folder).")
def command(files: tuple[str, ...], output_format: str, strict: bool, require_evidence: bool,
            include_root: str | None) -> None:
    """Report every problem in FILES ('-' for standard input; a folder: every .journey file under it)."""
    outcome = Outcome(strict=strict)
    files = tuple(expanded(files, outcome))
    collected = []
    total = []
    for name, data in outcome.inputs(files):
        compilation = compile_text(data, name, include_root=include_root, require_evidence=require_evidence)
        total.extend(compilation.diagnostics)
        if output_format == "json":
            collected.extend(compilation.diagnostics)
            outcome.diagnostics(compilation, file_format="none")
        else:
            outcome.diagnostics(compilation, to_stdout=True, file_format=output_format)
    if output_format == "json":
        emit_text(render_json(collected))
    elif output_format == "text":
        unread = len(outcome.failed)
        checked = len(files) - unread
        noun = "file" if checked == 1 else "files"
        tail = f"; {unread} could not be read" if unread else ""
        say(f"checked {checked} {noun}: {summary(total)}{tail}", err=True)
    outcome.exit()

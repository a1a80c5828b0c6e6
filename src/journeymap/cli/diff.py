"""`journey diff OLD NEW`: what changed in meaning between two versions of a map."""

from __future__ import annotations

import json
import os
from dataclasses import replace

import click

from .. import display_name
from .outcome import DIFFERENT, OK, Outcome, describe_os_error, read_input
from .streams import emit, emit_text, say


@click.command("diff")
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "output_format", type=click.Choice(["text", "json", "svg"]), default="text",
              show_default=True, help="text for people, json for tools, svg: NEW with the changes highlighted.")
@click.option("--engine", type=click.Choice(["auto", "system", "wasm"]), default="auto", show_default=True,
              help="Graphviz engine for --format svg.")
def command(paths: tuple[str, ...], output_format: str, engine: str) -> None:
    """Show what changed from OLD to NEW. Exit 0 when nothing changed, 3 when something did,
    1 when a map has errors, 2 when a file cannot be read.

    Also usable as a git diff driver, which passes seven arguments
    (path old-file old-hex old-mode new-file new-hex new-mode); then it always exits 0.
    """
    from .. import diff, text_lines

    outcome = Outcome()
    as_driver = len(paths) == 7
    if as_driver:
        say(f"journey diff {display_name(paths[0])}")
        old_path, new_path = paths[1], paths[4]
    elif len(paths) == 2:
        old_path, new_path = paths
    else:
        raise click.UsageError("give OLD and NEW (or the seven arguments git passes a diff driver)")
    inputs = []
    for name in (old_path, new_path):
        try:
            inputs.append((name, b"" if name == "/dev/null" else read_input(name)))
        except OSError as error:
            outcome.trouble(describe_os_error(name, error))
            outcome.exit()
    from .. import compile_text

    compilations = [compile_text(data, name) for name, data in inputs]
    maps = []
    for name, compilation in zip((old_path, new_path), compilations):
        if not outcome.diagnostics(compilation):
            outcome.exit()
        journey = compilation.journey
        if journey.title == display_name(os.path.splitext(os.path.basename(name))[0]):
            # a title defaulted from the file name (git passes temporary names) is no change
            journey = replace(journey, title=None, _index={})
        maps.append(journey)
    old, new = maps
    changes = diff(old, new)
    if output_format == "json":
        emit_text(json.dumps([c.to_json() for c in changes], ensure_ascii=False, indent=2, allow_nan=False) + "\n")
    elif output_format == "svg":
        from .. import RenderError, RenderOptions, render_changes

        try:
            emit(render_changes(old, new, RenderOptions(view="flow", engine=engine)))  # checked there
        except RenderError as error:
            outcome.trouble(str(error))
            outcome.exit()
    else:
        say("\n".join(text_lines(changes)) if changes else "no changes")
    raise SystemExit(OK if as_driver or not changes else DIFFERENT)


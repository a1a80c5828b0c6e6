"""`journey new`: write a starter map from a stage template, never over an existing file."""

from __future__ import annotations

import os

import click

from .. import DEFAULT_STARTER, STARTERS, create_exclusive, display_name, names_a_folder, starter_map, title_from_name
from . import interrupts
from .outcome import Outcome, argument_text, reason, shown
from .streams import emit_text, say

DEFAULT_NAME = "customer-journey.journey"


def _list() -> None:
    for starter in STARTERS.values():
        stages = ", ".join(stage.label for stage in starter.stages)
        say(f"{starter.name:8} {starter.summary}")
        say(f"{'':8} stages: {stages}")


@click.command("new")
@click.argument("name", required=False)
@click.option("-t", "--template", type=click.Choice(list(STARTERS)), default=DEFAULT_STARTER, show_default=True,
              help="The stages to start from (see --list).")
@click.option("--title", default=None, help="Map title (default: made from NAME).")
@click.option("--list", "list_templates", is_flag=True, help="Show the templates and their stages, then exit.")
def command(name: str | None, template: str, title: str | None, list_templates: bool) -> None:
    """Start a map from a stage template.

    Writes NAME (".journey" is added when missing; default customer-journey.journey, '-' for
    standard output) with the template's stages and commented placeholders for touchpoints.
    An existing file is never overwritten.
    """
    if list_templates:
        _list()
        return
    outcome = Outcome()
    path = name or DEFAULT_NAME
    if path != "-" and not path.endswith(".journey") and not names_a_folder(path):
        path += ".journey"
    title = argument_text(title)
    if title is not None:
        # Raw control characters are not allowed in a map (safety.md); line breaks and tabs are escaped.
        title = "".join(ch for ch in title if ch.isprintable() or ch in "\n\t")[:10_000]
    text = starter_map(template, title if title is not None else title_from_name(os.path.basename(path)))
    if path == "-":
        emit_text(text)
        return
    if names_a_folder(path) or os.path.isdir(path):
        outcome.trouble(f"{shown(path)} is a folder name; give the name of the map to create")
        outcome.exit()
    exists = f"{shown(path)} already exists; journey new never overwrites a file (choose another name)"
    if os.path.lexists(path):
        outcome.trouble(exists)
        outcome.exit()
    try:
        with interrupts.held():  # a signal waits until the file is in place (or not)
            create_exclusive(path, text.encode("utf-8"))
    except FileExistsError:
        outcome.trouble(exists)
        outcome.exit()
    except OSError as error:
        outcome.trouble(f"cannot create {shown(path)}: {reason(error)}")
        outcome.exit()
    stages = len(STARTERS[template].stages)
    say(f"wrote {display_name(path)}: {template} template, {stages} stages; add touchpoints, then run "
        f"`journey check {display_name(path)}`", err=True)

"""The `journey` command group. Subcommands live in their own modules and are imported
only when run, so `journey --help` stays fast."""

from __future__ import annotations

import gc
import importlib
import importlib.util
import os
import sys

import click

from .. import __version__

# command name -> "module:function" under journeymap.cli
COMMANDS: dict[str, tuple[str, str]] = {
    "check": ("check", "Report every problem in maps, without rendering."),
    "render": ("render", "Render maps as SVG, PNG, PDF, DOT, Mermaid, JSON, HTML or text."),
    "fmt": ("fmt", "Rewrite maps in the canonical layout, keeping comments."),
    "diff": ("diff", "Show the semantic difference between two versions of a map."),
    "textconv": ("textconv", "Print a map as one fact a line, for git's textconv (always exits 0)."),
    "stats": ("stats", "Journey analytics: conversion, reach, drop-offs, time, low points, hotspots."),
    "plan": ("plan", "List the maps' opportunities as a ranked backlog (Markdown, CSV or JSON)."),
    "gap": ("gap", "Compare a future-state map with the current one: emotion, pains, conversion."),
    "new": ("new", "Start a map from a stage template."),
    "import": ("import_mermaid", "Convert a Mermaid journey diagram into a .journey file."),
    "doctor": ("doctor", "Say which Graphviz engine renders and what else is installed."),
    "watch": ("watch", "Preview a map in the browser, redrawn on every save."),
    "lsp": ("lsp", "Run the language server for editors (over standard input and output)."),
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name in COMMANDS if self._available(name)]

    @staticmethod
    def _available(name: str) -> bool:
        module = COMMANDS[name][0]
        return importlib.util.find_spec(f"journeymap.cli.{module}") is not None

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS or not self._available(name):
            return None
        module = importlib.import_module(f"journeymap.cli.{COMMANDS[name][0]}")
        return module.command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # Short help comes from the table so listing commands imports none of them.
        rows = [(name, COMMANDS[name][1]) for name in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    click.echo(f"journey {__version__}")
    try:
        from .. import describe_engines
    except ImportError:
        pass
    else:
        for line in describe_engines():
            click.echo(line)
    ctx.exit(0)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_print_version,
              help="Show the version and the Graphviz engine that will render.")
def cli() -> None:
    """journeymap: customer journey maps as code.

    Write a .journey file, check it, and render it as a flow diagram, a lanes grid,
    Mermaid, JSON or a standalone HTML report.
    """


def run(args: list[str] | None = None) -> int:
    """Run the command line (`args`, or sys.argv) and return its exit status."""
    from .interrupts import Stopped
    from .outcome import TROUBLE
    from .streams import BROKEN_PIPE, OutputLost, ReaderGone, say

    # A run is short and builds large, acyclic models: the cyclic collector's full passes
    # over them would cost more than compiling (0.6 s after a 10,000-touchpoint compile),
    # while reference counting alone frees what is dropped.
    gc.disable()
    if COMPLETION_VARIABLE in os.environ:
        _complete_folders_without_a_space()
    try:
        status = cli.main(args, prog_name="journey", standalone_mode=False)
    except click.ClickException as error:  # a usage error: click's message, exit 2
        error.show()
        status = error.exit_code
    except click.exceptions.Abort as abort:  # click's form of Ctrl-C
        status = 130 if isinstance(abort.__cause__, KeyboardInterrupt) else 1
    except KeyboardInterrupt:
        status = 130
    except Stopped as stop:
        status = stop.status
    except SystemExit as exit:
        status = exit.code
    except ReaderGone:
        status = BROKEN_PIPE  # the reader stopped reading: nothing to say, nobody to say it to
    except OutputLost as lost:
        say(f"journey: cannot write to standard output: {lost}", err=True)
        status = TROUBLE
    except FileNotFoundError:
        if _current_folder_exists():
            raise
        say("journey: the current folder no longer exists; cd to one that does", err=True)
        status = TROUBLE
    if isinstance(status, str):
        say(status, err=True)
        status = 1
    return status if isinstance(status, int) else 0


COMPLETION_VARIABLE = "_JOURNEY_COMPLETE"  # click's shell completion asks through it (docs/shell-completion.md)


def _complete_folders_without_a_space() -> None:
    """Bash as click sets it up puts a space after every completion, so a folder would end
    the word (`docs/ `); this script leaves it open for the map names inside."""
    from click.shell_completion import BashComplete, add_completion_class

    class Bash(BashComplete):
        source_template = BashComplete.source_template.replace(
            "            COMPREPLY+=($value)\n",
            "            COMPREPLY+=($value)\n            [[ $value == */ ]] && compopt -o nospace\n")

    add_completion_class(Bash, "bash")


def _current_folder_exists() -> bool:
    try:
        os.getcwd()
    except OSError:
        return False
    return True


def main() -> None:
    """The `journey` command."""
    from . import interrupts, streams

    streams.prepare()
    interrupts.install()
    status = run()
    # Everything the run made is written and closed by now; tearing the interpreter down
    # (every module, every object, a last collection) would only delay the exit.
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):
            pass  # the reader has gone, or the stream is closed: nothing is left to tell it
    os._exit(status)

"""Command-line choices taken from the registry of outputs (formats, views), checked when used:
the built-in ones without looking further, the ones plugins add only when a name is not built in,
and all of them for help and shell completion."""

from __future__ import annotations

import click


def _listed(what: str, plugins: bool) -> list[str]:
    from .. import formats, views

    return (formats if what == "formats" else views)(plugins=plugins)


class Registered(click.ParamType):
    """One of the registry's formats or views."""

    name = "choice"

    def __init__(self, what: str) -> None:
        self.what = what  # "formats" | "views"

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return "[" + "|".join(_listed(self.what, plugins=True)) + "]"

    def convert(self, value, param, ctx):
        if value is None or value in _listed(self.what, plugins=False) or value in _listed(self.what, plugins=True):
            return value
        choices = ", ".join(_listed(self.what, plugins=True))
        self.fail(f"'{value}' is not one of the {self.what}: {choices}", param, ctx)

    def shell_complete(self, ctx, param, incomplete):
        from click.shell_completion import CompletionItem

        return [CompletionItem(name) for name in _listed(self.what, plugins=True) if name.startswith(incomplete)]

"""The registry of outputs: every format × view journeymap can write, what each can and cannot
express, and where its renderer lives. The command line's choices and help, the Sphinx directive
and the MkDocs plugin take their lists from here.

Built-in outputs are declared by the modules and packages of journeymap.render themselves (an
`OUTPUTS` tuple), so a new view is one new package; other packages add outputs through the
`journeymap.outputs` entry point group (each entry point names an Output or a sequence of them).
Renderers are imported only when their output is made, so listing outputs stays cheap.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Iterable

from ..errors import CannotExpress

ENTRY_POINT_GROUP = "journeymap.outputs"
DEFAULT_VIEW = "flow"


@dataclass(frozen=True)
class Output:
    """One format of one view. `view` None: the same output whatever the view (json, html)."""

    format: str
    view: str | None
    renderer: str  # "package.module:function", called as function(journey, options) -> bytes
    extension: str
    summary: str
    binary: bool = False
    to_terminal: bool = False  # without -o, written to standard output (text formats)
    cannot: tuple[str, ...] = ()  # what this output leaves out or cannot express
    embeds: str | None = None  # how a docs page can hold it: "svg" (inline markup) or "mermaid"
    needs: str | None = None  # what it needs beyond Python: "graphviz" (either engine), "system graphviz"

    def load(self) -> Callable:
        module, _, function = self.renderer.partition(":")
        return getattr(importlib.import_module(module), function or "render")


@lru_cache(maxsize=1)
def builtin_outputs() -> tuple[Output, ...]:
    """The outputs the modules and packages of journeymap.render declare: the default view's
    first, then in name order."""
    import os
    import pkgutil

    found: list[Output] = []
    here = [os.path.dirname(__file__)]  # this package's folder, without importing the package again
    # The flow view's outputs come first: a format's first view is the one drawn when no view
    # is asked for, and the flow view is the default whatever other views are named.
    for module in sorted(pkgutil.iter_modules(here), key=lambda m: (m.name != DEFAULT_VIEW, m.name)):
        if module.name in _NOT_OUTPUTS:
            continue
        declared = importlib.import_module(f"{__package__}.{module.name}")
        found.extend(getattr(declared, "OUTPUTS", ()))
    return tuple(found)


# Modules of journeymap.render that declare no outputs (importing them to look would only cost).
_NOT_OUTPUTS = frozenset({"registry", "options", "jinja", "typography", "style", "theme", "fonts", "raster", "embed",
                          "headings", "numbers", "grid"})


@lru_cache(maxsize=1)
def plugin_outputs() -> tuple[Output, ...]:
    """The outputs other packages add through the journeymap.outputs entry points."""
    from importlib.metadata import entry_points

    found: list[Output] = []
    for entry in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        declared = entry.load()
        if callable(declared) and not isinstance(declared, Output):
            declared = declared()
        items = [declared] if isinstance(declared, Output) else list(declared)
        found.extend(item for item in items if isinstance(item, Output))
    return tuple(found)


def outputs(*, plugins: bool = True) -> tuple[Output, ...]:
    """Every output: the built-in ones first, then those of plugins (which cannot replace one)."""
    builtin = builtin_outputs()
    if not plugins:
        return builtin
    taken = {(o.format, o.view) for o in builtin}
    return builtin + tuple(o for o in plugin_outputs() if (o.format, o.view) not in taken)


def formats(*, plugins: bool = True) -> list[str]:
    return list(dict.fromkeys(o.format for o in outputs(plugins=plugins)))


def views(*, plugins: bool = True) -> list[str]:
    return list(dict.fromkeys(o.view for o in outputs(plugins=plugins) if o.view is not None))


def _of_format(format_name: str, candidates: Iterable[Output]) -> list[Output]:
    return [o for o in candidates if o.format == format_name]


def find(format_name: str, view: str | None = None) -> Output:
    """The output for a format and view (None: the format's first view). Plugins are looked at
    only when no built-in output has the format. Raises CannotExpress."""
    matching = _of_format(format_name, builtin_outputs()) or _of_format(format_name, plugin_outputs())
    if not matching:
        raise CannotExpress(f"unknown output format '{format_name}' (formats: {', '.join(formats())})")
    if view is None:
        return matching[0]
    for output in matching:
        if output.view == view or output.view is None:
            return output
    drawn = ", ".join(o.view or "any" for o in matching)
    raise CannotExpress(f"the '{format_name}' format cannot draw the {view} view (it draws: {drawn})")

"""Backends turn the compiled model into an artifact; this module is their registry by name.

A backend is a module exposing `render(journey, options) -> bytes` plus the constants
`EXTENSION` (output file suffix, without dot), `BINARY` (True for PNG/PDF) and `VIEWS`
(which views it can draw). Modules are imported only when their format is asked for,
so start-up stays lean.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType

from ..model import Journey


class BackendError(Exception):
    """A render could not be made for a reason outside the input: a missing tool, an engine
    failure, a timeout, or a combination of options the format cannot express. Exit 2."""


@dataclass(frozen=True)
class RenderOptions:
    view: str = "flow"  # "flow" | "lanes"
    persona: str | None = None
    engine: str = "auto"  # "auto" | "system" | "wasm"
    timeout: float = 60.0  # seconds a Graphviz layout may take


# format name -> module implementing it
FORMATS: dict[str, str] = {
    "svg": "journeymap.backends.svg",
    "png": "journeymap.backends.png",
    "pdf": "journeymap.backends.pdf",
    "dot": "journeymap.backends.dot",
    "mermaid": "journeymap.backends.mermaid_flowchart",
    "mermaid-journey": "journeymap.backends.mermaid_journey",
    "json": "journeymap.backends.json",
    "html": "journeymap.backends.html",
}
TEXT_FORMATS = frozenset({"dot", "mermaid", "mermaid-journey", "json", "html"})
# (format, view) -> module, checked before FORMATS: the lanes view is drawn without Graphviz
VIEW_BACKENDS: dict[tuple[str, str], str] = {("svg", "lanes"): "journeymap.backends.lanes"}


def backend_for(format_name: str, view: str = "flow") -> ModuleType:
    if (format_name, view) in VIEW_BACKENDS:
        return importlib.import_module(VIEW_BACKENDS[format_name, view])
    try:
        module_name = FORMATS[format_name]
    except KeyError:
        raise BackendError(f"unknown output format '{format_name}'") from None
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name == module_name:
            raise BackendError(f"the '{format_name}' format is not available yet") from None
        raise


def render(journey: Journey, format_name: str, options: RenderOptions | None = None) -> bytes:
    """Render the model in the named format. The persona filter is applied here, once,
    so every backend sees an already filtered map."""
    options = options or RenderOptions()
    backend = backend_for(format_name, options.view)
    views = getattr(backend, "VIEWS", ("flow",))
    if options.view not in views:
        raise BackendError(
            f"the '{format_name}' format cannot draw the {options.view} view "
            f"(it draws: {', '.join(views)})"
        )
    if options.persona is not None:
        known = {p.id for p in journey.personas}
        if options.persona not in known:
            hint = f" (personas: {', '.join(sorted(known))})" if known else " (the map declares none)"
            raise BackendError(f"unknown persona '{options.persona}'{hint}")
        journey = journey.for_persona(options.persona)
    return backend.render(journey, options)

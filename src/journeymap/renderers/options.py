"""What a render is asked for beyond the map: the view, a persona filter, the Graphviz engine
and how long its layout may take, and the colour theme."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RenderOptions:
    view: str | None = None  # a registered view (flow, lanes, ...); None: the format's first view
    persona: str | None = None
    engine: str = "auto"  # "auto" | "system" | "wasm"
    timeout: float = 60.0  # seconds a Graphviz layout may take
    theme: str = "auto"  # theme.THEMES: "auto" follows the reader's and the docs theme's dark mode

"""What a render is asked for beyond the map: the view, a persona filter, the Graphviz engine
and how long its layout may take, the colour theme, and for a future-state map its base."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..model import Journey


@dataclass(frozen=True)
class RenderOptions:
    view: str | None = None  # a registered view (flow, lanes, ...); None: the format's first view
    persona: str | None = None
    engine: str = "auto"  # "auto" | "system" | "wasm"
    timeout: float = 60.0  # seconds a Graphviz layout may take
    theme: str = "auto"  # theme.THEMES: "auto" follows the reader's and the docs theme's dark mode
    # The map a future-state map extends (§16), compiled on its own (Compilation.base): the
    # HTML report's "Current vs future" section reads it. Left out of repr and comparisons (a
    # cache key is the options' repr and the sources, which hold the base's files already).
    base: "Journey | None" = field(default=None, repr=False, compare=False)
    compare: bool = False  # the lanes view draws the base's emotion curve and per-stage deltas (needs `base`)

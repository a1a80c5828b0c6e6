"""Light and dark: the two palettes of our SVGs, and the stylesheet of a view written for one
theme or for `auto`, which follows the reader's `prefers-color-scheme` and the docs themes'
own switches (Material for MkDocs' `data-md-color-scheme`, furo's `data-theme`).

Every rule is scoped under the view's root class, so a page's CSS cannot restyle the map and
the map's cannot restyle the page; the rules also set what a page might set on `text` or `a`
(decoration, spacing, transforms), since a scoped rule outranks an unscoped one. Colours are
written out for a fixed theme, which is what the rasteriser (raster.py) reads; `auto` names
them as custom properties of the root, which the dark switches set.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

THEMES: tuple[str, ...] = ("auto", "light", "dark")
DEFAULT_THEME = "auto"

LIGHT = {
    "bg": "#ffffff", "ink": "#1f2937", "strong": "#111827", "muted": "#4b5563", "faint": "#6b7280",
    "line": "#d1d5db", "hairline": "#e5e7eb", "guide": "#eef0f3", "panel": "#f3f4f6", "card": "#ffffff",
    "column": "#f4f6f9", "column-line": "#c3ccd6",
    "accent": "#1e3a8a", "on-accent": "#ffffff", "on-accent-muted": "#e5e7eb",
    "pains": "#fef2f2", "opportunities": "#f0fdf4", "moments": "#eff6ff", "backstage": "#f9fafb",
    "curve": "#1e3a8a", "tag": "#1e3a8a", "edge": "#4b5563", "implicit": "#b5b5b5", "loop": "#8e44ad",
    "moment": "#b7950b", "moment-fill": "#facc15", "moment-ink": "#5c4a00",
    "e-2": "#f3a5a0", "e-1": "#fbd2ae", "e0": "#ececec", "e1": "#cde8c1", "e2": "#93d28b",
    "m-2": "#dc2626", "m-1": "#ea580c", "m0": "#9ca3af", "m1": "#65a30d", "m2": "#15803d",
    "added": "#1e9e3e", "changed": "#2f5fd0", "removed": "#d62828",
    "p0": "#1e3a8a", "p1": "#c2410c", "p2": "#047857", "p3": "#7c3aed",
    "assumed": "#6b7280", "reach": "#93c5fd", "done": "#15803d",
}
DARK = {
    "bg": "#111827", "ink": "#e5e7eb", "strong": "#f9fafb", "muted": "#a1a9b6", "faint": "#9ca3af",
    "line": "#4b5563", "hairline": "#374151", "guide": "#1f2937", "panel": "#1f2937", "card": "#1a2130",
    "column": "#172031", "column-line": "#3b4657",
    "accent": "#1e40af", "on-accent": "#ffffff", "on-accent-muted": "#dbe3f0",
    "pains": "#3a1e22", "opportunities": "#15301f", "moments": "#182544", "backstage": "#161d2b",
    "curve": "#93c5fd", "tag": "#bfdbfe", "edge": "#a1a9b6", "implicit": "#6b7280", "loop": "#c084fc",
    "moment": "#eab308", "moment-fill": "#facc15", "moment-ink": "#fde047",
    "e-2": "#6f2a2a", "e-1": "#6b3d1d", "e0": "#2f3744", "e1": "#274a2a", "e2": "#1f5f2e",
    "m-2": "#f87171", "m-1": "#fb923c", "m0": "#9ca3af", "m1": "#a3e635", "m2": "#4ade80",
    "added": "#4ade80", "changed": "#7aa2f7", "removed": "#f87171",
    "p0": "#93c5fd", "p1": "#fdba74", "p2": "#6ee7b7", "p3": "#c4b5fd",
    "assumed": "#9ca3af", "reach": "#1e40af", "done": "#4ade80",
}
PALETTES = {"light": LIGHT, "dark": DARK}

# The docs themes' own switches, on an ancestor of the map: (light, dark) selectors.
SWITCHES = (
    ('[data-md-color-scheme="default"]', '[data-md-color-scheme="slate"]'),  # Material for MkDocs
    ('[data-theme="light"]', '[data-theme="dark"]'),  # furo
)
_COLOUR = re.compile(r"\{([a-z0-9-]+)\}")

Rule = tuple[str, str]  # (selector below the root, "property: value; ..." with {colour} names)


def palette(theme: str) -> dict[str, str]:
    """The colours a raster or a fixed theme uses (auto draws in light where nothing says dark)."""
    return DARK if theme == "dark" else LIGHT


def stylesheet(root: str, rules: Sequence[Rule], theme: str, font_stack: str) -> str:
    """The stylesheet of a view whose root element has class `root`, for a theme, its text
    in the font-family `font_stack` (typography.Typeface.stack)."""
    return f"\n.{root} text{{font-family:{font_stack}}}" + _stylesheet(root, tuple(rules), theme)


@functools.lru_cache(maxsize=32)
def _stylesheet(root: str, rules: tuple[Rule, ...], theme: str) -> str:
    if theme != "auto":
        colours = palette(theme)
        return "\n" + "".join(_rule(f".{root}{selector}", declarations, colours.__getitem__)
                              for selector, declarations in rules)
    # auto: the colours are the root's custom properties, which the reader's dark mode and
    # the docs themes' switches set; defined on the root itself, a page's cannot leak in.
    used = sorted({name for _, declarations in rules for name in _COLOUR.findall(declarations)})

    def properties(colours: dict[str, str]) -> str:
        return "".join(f"--jm-{name}:{colours[name]};" for name in used)

    scope = f".{root}"
    out = [f"{scope}{{{properties(LIGHT)}}}\n",
           f"@media (prefers-color-scheme: dark){{{scope}{{{properties(DARK)}}}}}\n"]
    for index, colours in ((1, DARK), (0, LIGHT)):
        selectors = ",".join(f"{switch[index]} {scope}" for switch in SWITCHES)
        out.append(f"{selectors}{{{properties(colours)}}}\n")
    out += [_rule(f"{scope}{selector}", declarations, lambda name: f"var(--jm-{name})")
            for selector, declarations in rules]
    return "\n" + "".join(out)


def _rule(selector: str, declarations: str, colour) -> str:
    return f"{selector}{{{_COLOUR.sub(lambda m: colour(m.group(1)), declarations)}}}\n"


# What every view's stylesheet starts with: the root scales to its container, keeping its
# proportions; its text is ours whatever a page sets on text or links.
BASE_RULES: tuple[Rule, ...] = (
    ("", "max-width: 100%; height: auto; background: none;"),
    (" text", "fill: {ink}; white-space: pre; letter-spacing: normal; word-spacing: normal; "
              "text-decoration: none; text-transform: none; text-rendering: geometricPrecision; "
              "font-variant: normal; font-kerning: none; font-feature-settings: normal;"),
    (" a", "text-decoration: none; cursor: pointer;"),
    (" a text", "text-decoration: none;"),
    (" .bg", "fill: {bg};"),
)

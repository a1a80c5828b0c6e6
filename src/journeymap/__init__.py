"""journeymap: customer journey maps as code.

The facade chains the pipeline: source -> syntax tree -> model -> backends. Each function
imports its stage only when called, so `import journeymap` stays cheap.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from .version import __version__

if TYPE_CHECKING:
    from .renderers.options import RenderOptions
    from .compiler import Compilation
    from .model import Journey
    from .syntax.ast import Document


def parse(text: str, path: str = "<string>") -> "tuple[Document, list]":
    """Parse text into a syntax tree and its syntax diagnostics."""
    from .compiler.workspace import load_source

    return load_source(path, text.encode("utf-8"))


def compile_text(
    text: str | bytes,
    path: str = "-",
    *,
    base_dir: str | os.PathLike | None = None,
    include_root: str | os.PathLike | None = None,
) -> "Compilation":
    """Compile a map given as text (or bytes). `path` names it in diagnostics."""
    from .compiler import compile_source

    data = text.encode("utf-8") if isinstance(text, str) else text
    return compile_source(path, data, base_dir=base_dir, include_root=include_root)


def compile_file(path: str | os.PathLike, *, include_root: str | os.PathLike | None = None) -> "Compilation":
    """Compile the map in a file. Raises OSError when the file itself cannot be read."""
    from .compiler import compile_source

    with open(path, "rb") as handle:
        data = handle.read()
    return compile_source(os.fspath(path), data, include_root=include_root)


def render(journey: "Journey", format: str = "svg", options: "RenderOptions | None" = None) -> bytes:
    """Render a compiled map in a registered format (svg, png, pdf, dot, mermaid, mermaid-journey,
    json, html, and those plugins add) and view."""
    from .renderers import render as render_output

    return render_output(journey, format, options)


def check_svg(svg: bytes | str) -> list[str]:
    """Every reason an SVG may not go into a page as markup (the allow-list of what our SVGs
    hold); empty when it may."""
    from .renderers import stylesheets
    from .safety.svgcheck import check_svg as check

    return check(svg, stylesheets())


__all__ = ["__version__", "parse", "compile_text", "compile_file", "render", "check_svg"]

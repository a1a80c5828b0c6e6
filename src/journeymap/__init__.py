"""journeymap: customer journey maps as code.

The facade chains the pipeline: source -> syntax tree -> model -> backends. Each function
imports its stage only when called, so `import journeymap` stays cheap.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Mapping

__version__ = "0.1.0"

if TYPE_CHECKING:
    from .backends import RenderOptions
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
    document: "Document | None" = None,
    open_files: "Mapping[str | os.PathLike, bytes] | None" = None,
) -> "Compilation":
    """Compile a map given as text (or bytes). `path` names it in diagnostics. `document`:
    the text's syntax tree when the caller has parsed it already; `open_files`: included files'
    bytes by path, read instead of the disk (an editor's unsaved buffers)."""
    from .compiler import compile_source

    data = text.encode("utf-8") if isinstance(text, str) else text
    return compile_source(path, data, base_dir=base_dir, include_root=include_root, document=document,
                          open_files=open_files)


def compile_file(path: str | os.PathLike, *, include_root: str | os.PathLike | None = None) -> "Compilation":
    """Compile the map in a file. Raises OSError when the file itself cannot be read."""
    from .compiler import compile_source

    with open(path, "rb") as handle:
        data = handle.read()
    return compile_source(os.fspath(path), data, include_root=include_root)


def render(journey: "Journey", format: str = "svg", options: "RenderOptions | None" = None) -> bytes:
    """Render a compiled map in a format (svg, png, pdf, dot, mermaid, mermaid-journey, json, html)."""
    from .backends import render as render_backend

    return render_backend(journey, format, options)


def serve_lsp() -> int:
    """Run the language server on standard input and output until the editor stops it."""
    from .lsp import serve

    return serve()


def watch(path: str, *, view: str = "flow", persona: str | None = None, port: int = 0, open_browser: bool = False,
          include_root: str | None = None, engine: str = "auto") -> int:
    """Serve a live preview of a map on 127.0.0.1 until interrupted; returns an exit status."""
    from .watch import serve

    return serve(path, view=view, persona=persona, port=port, open_browser=open_browser,
                 include_root=include_root, engine=engine)


__all__ = ["__version__", "parse", "compile_text", "compile_file", "render", "serve_lsp", "watch"]

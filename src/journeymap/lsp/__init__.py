"""`journey lsp`: the language server (server.py) and what it answers from (index.py,
completion.py, incremental.py, positions.py). pygls is imported only when the server starts."""

from __future__ import annotations


def serve() -> int:
    from .server import serve as serve_stdio

    return serve_stdio()

"""`journey watch`: a live preview of a map in the browser, redrawn on every save of the map or
a file it includes (preview.py), served on 127.0.0.1 only (server.py) by a page whose one
script listens for server-sent events (page.py). watchfiles is imported only when it runs."""

from __future__ import annotations


def serve(path: str, **options) -> int:
    from .server import serve as serve_preview

    return serve_preview(path, **options)

"""`journey watch`: a live preview in the browser."""

from __future__ import annotations

import click


@click.command("watch")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--view", default="flow", show_default=True, metavar="flow|lanes|blueprint|html",
              help="flow, lanes or blueprint (any view `journey render --view` draws), or html: the report page.")
@click.option("--persona", default=None, help="Keep only this persona's touchpoints.")
@click.option("--port", type=click.IntRange(0, 65535), default=0, show_default=True,
              help="Port on 127.0.0.1; 0 picks a free one (the URL is printed).")
@click.option("--open", "open_browser", is_flag=True, help="Open the preview in the default browser.")
@click.option("--engine", type=click.Choice(["auto", "system", "wasm"]), default="auto", show_default=True,
              help="Graphviz engine for the flow view.")
@click.option("--include-root", type=click.Path(file_okay=False), default=None,
              help="Folder includes must stay inside (default: the map's own folder).")
def command(file: str, view: str, persona: str | None, port: int, open_browser: bool, engine: str,
            include_root: str | None) -> None:
    """Serve a preview of FILE on 127.0.0.1, redrawn whenever FILE or a file it includes is
    saved. On an error the page shows the diagnostics over the last good picture. Writes no
    file. Ctrl-C stops it."""
    from ..watch import serve

    raise SystemExit(serve(file, view=view, persona=persona, port=port, open_browser=open_browser,
                           include_root=include_root, engine=engine))

"""`journey lsp`: the language server, over standard input and output."""

from __future__ import annotations

import click


@click.command("lsp")
@click.option("--stdio", is_flag=True, help="Talk over standard input and output (the default and only way).")
def command(stdio: bool) -> None:
    """Run the language server for editors (diagnostics, hover, go to definition, rename,
    completion, formatting, outline). Editors start it; see docs/editors.md."""
    from ..lsp import serve

    raise SystemExit(serve())

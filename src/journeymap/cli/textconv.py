"""`journey textconv FILE`: a map as the line-per-fact text git diffs (`diff.journey.textconv`),
so plain `git diff`, `git log -p`, `git show` and the review tools built on them read what
changed in meaning. It never fails git: it always exits 0, and a map that does not compile
(or cannot be read) is shown as its own text after its diagnostics."""

from __future__ import annotations

import click

from .. import display_name
from .inputs import complete_maps
from .outcome import read_input, reason
from .streams import emit, emit_text


@click.command("textconv")
@click.argument("path", shell_complete=complete_maps)
def command(path: str) -> None:
    """Print the map in PATH ('-' for standard input) as one fact a line, for git's textconv.
    Always exits 0: a map with errors is printed as written, after its diagnostics."""
    from .. import compile_text, render

    try:
        data = read_input(path)
    except OSError as error:
        emit_text(f"# journey textconv: cannot read this map: {reason(error)}\n")
        raise SystemExit(0)
    # git hands textconv a temporary copy of old versions: a title from that name is no title.
    compilation = compile_text(data, path, default_title=None)
    if compilation.ok:
        try:
            listed = render(compilation.model(), "text")
        except Exception as error:  # a bug of ours: git must still show the change, so say it and go on
            emit_text(f"# journey textconv: could not list this map ({type(error).__name__}); its text follows\n")
        else:
            emit(listed)
            raise SystemExit(0)
    elif all(d.code == "E030" for d in compilation.diagnostics if d.is_error):
        # git hands old versions over as a temporary copy, away from the files they include
        emit_text("# journey textconv: the files this version includes cannot be read beside git's copy "
                  "of it; its text follows\n")
    else:
        emit_text("# journey textconv: this version of the map has errors; its text follows\n")
    if not compilation.ok:
        for diagnostic in compilation.diagnostics:
            if diagnostic.is_error:
                span = diagnostic.span
                emit_text(f"# line {span.line}, column {span.column}: error[{diagnostic.code}]: {_one_line(diagnostic.message)}\n")
    # The text as written, but inert: git shows it in a terminal, where a control character or
    # a bidirectional override in a broken map could recolour or reorder what the reviewer sees.
    shown = "\n".join(display_name(line.removesuffix("\r"))
                      for line in data.decode("utf-8", "backslashreplace").split("\n"))
    emit_text(shown if shown.endswith("\n") or not shown else shown + "\n")
    raise SystemExit(0)


def _one_line(text: str) -> str:
    return text.replace("\r", "\\r").replace("\n", "\\n")

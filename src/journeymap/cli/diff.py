"""`journey diff OLD NEW`: what changed in meaning between two versions of a map; also git's
external diff driver, which must never break `git diff`."""

from __future__ import annotations

import json
import os

import click

from .. import DEFAULT_THEME, THEMES, display_name
from .inputs import complete_maps
from .outcome import DIFFERENT, OK, Outcome, describe_os_error, read_input, reason
from .streams import emit, emit_text, say

NO_FILE = "/dev/null"  # what git passes for the missing side of an added or deleted file


@click.command("diff")
@click.argument("paths", nargs=-1, required=True, shell_complete=complete_maps)
@click.option("--format", "output_format", type=click.Choice(["text", "json", "svg"]), default="text",
              show_default=True, help="text for people, json for tools, svg: NEW with the changes highlighted.")
@click.option("--engine", type=click.Choice(["auto", "system", "wasm"]), default="auto", show_default=True,
              help="Graphviz engine for --format svg.")
@click.option("--theme", type=click.Choice(THEMES), default=DEFAULT_THEME, show_default=True,
              help="Colours of --format svg, as for journey render.")
def command(paths: tuple[str, ...], output_format: str, engine: str, theme: str) -> None:
    """Show what changed from OLD to NEW. Exit 0 when nothing changed, 3 when something did,
    1 when a map has errors, 2 when a file cannot be read.

    Also git's diff driver, which passes seven arguments (path old-file old-hex old-mode
    new-file new-hex new-mode): then it always exits 0, and a version that does not compile
    is shown as a plain text diff, its diagnostics noted above it.
    """
    if len(paths) == 7:
        _as_git_driver(paths[0], paths[1], paths[4])
    if len(paths) != 2:
        raise click.UsageError("give OLD and NEW (or the seven arguments git passes a diff driver)")
    outcome = Outcome()
    old_path, new_path = paths
    compilations = []
    for name in (old_path, new_path):
        try:
            data = b"" if name == NO_FILE else read_input(name)
        except OSError as error:
            outcome.trouble(describe_os_error(name, error))
            outcome.exit()
        compilations.append(_compile(data, name, name))
    for compilation in compilations:
        if not outcome.diagnostics(compilation):
            outcome.exit()
    old, new = (c.journey for c in compilations)
    changes = _show(old, new, output_format, (engine, theme), outcome, added=old_path == NO_FILE, removed=new_path == NO_FILE)
    raise SystemExit(OK if not changes else DIFFERENT)


def _compile(data: bytes, name: str, real_path: str):
    """A version of a map. A title that only comes from the file name is no title (git names
    the old version after a temporary file); includes are read beside the real path."""
    from .. import compile_text

    base = os.path.dirname(os.path.abspath(real_path)) if real_path not in ("-", NO_FILE) else os.getcwd()
    return compile_text(data, name, base_dir=base, default_title=None)


def _show(old, new, output_format: str, picture: tuple[str, str], outcome: Outcome, *, added: bool = False,
          removed: bool = False) -> list:
    from .. import diff, text_lines

    changes = diff(old, new)
    if output_format == "json":
        emit_text(json.dumps([c.to_json() for c in changes], ensure_ascii=False, indent=2, allow_nan=False) + "\n")
    elif output_format == "svg":
        from .. import RenderError, RenderOptions, render_changes

        try:
            engine, theme = picture
            emit(render_changes(old, new, RenderOptions(view="flow", engine=engine, theme=theme)))  # checked there
        except RenderError as error:
            outcome.trouble(str(error))
            outcome.exit()
    elif added or removed:
        say("\n".join(_whole_map_lines(new if added else old, changes, added)))
    else:
        say("\n".join(text_lines(changes)) if changes else "no changes")
    return changes


def _whole_map_lines(journey, changes, added: bool) -> list[str]:
    """A map added or deleted as a whole: 'new map' (or 'map removed') and what it holds,
    rather than each of its settings changing from or to nothing."""
    from .. import text_lines

    mark, word = ("+", "new map") if added else ("-", "map removed")
    lines = [f"{mark} {word}" + (f": {journey.title!r}" if journey.title else "")]
    for change in changes:
        if change.subject == "map":
            value = change.new if added else change.old
            if change.id != "title" and value not in (None, [], ""):
                lines.append(f"{mark} map {change.id}: {value!r}" if isinstance(value, str)
                             else f"{mark} map {change.id}: {value}")
    lines += [line for line in text_lines([c for c in changes if c.subject != "map"])]
    return lines


def _as_git_driver(path: str, old_file: str, new_file: str) -> None:
    """git's external diff driver: semantic changes when both versions compile; otherwise a
    plain text diff with the diagnostics noted. Always exits 0: a non-zero status makes git
    stop ("external diff died") and show no diff for this file or any after it."""
    shown = display_name(path)
    say(f"journey diff {shown}")
    datas: list[bytes] = []
    try:
        for version, name in (("old", old_file), ("new", new_file)):
            try:
                datas.append(b"" if name == NO_FILE else read_input(name))
            except OSError as error:
                say(f"  (cannot read the {version} version: {reason(error)}; no diff shown)")
                raise SystemExit(OK)
        compilations = [_compile(data, path, path) for data in datas]
        broken = [(version, c) for version, c in zip(("old", "new"), compilations) if not c.ok]
        if not broken:
            old, new = (c.journey for c in compilations)
            _show(old, new, "text", ("auto", DEFAULT_THEME), Outcome(), added=old_file == NO_FILE,
                  removed=new_file == NO_FILE)
            raise SystemExit(OK)
        for version, compilation in broken:
            errors = [d for d in compilation.diagnostics if d.is_error]
            say(f"  the {version} version has {len(errors)} error{'s' if len(errors) != 1 else ''}, "
                "so this is a plain text diff:")
            for diagnostic in errors:
                say(f"  {diagnostic.headline()}")
        _plain_diff(path, *datas)
    except SystemExit:
        raise
    except Exception as error:  # a bug of ours must not cost the user the diff: say it, show text
        say(f"  (journey diff failed: {type(error).__name__}; a plain text diff follows)")
        if len(datas) == 2:
            _plain_diff(path, *datas)
    raise SystemExit(OK)


def _plain_diff(path: str, old: bytes, new: bytes) -> None:
    """A unified diff of the two versions' bytes, as git would show it."""
    import difflib

    name = os.fsencode(path)
    lines = difflib.diff_bytes(difflib.unified_diff, old.splitlines(keepends=True), new.splitlines(keepends=True),
                               b"a/" + name, b"b/" + name)
    out = []
    for line in lines:
        out.append(line if line.endswith(b"\n") else line + b"\n\\ No newline at end of file\n")
    emit(b"".join(out))

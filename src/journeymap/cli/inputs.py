"""The maps a command is given: files as they are, folders as the .journey files under them;
and shell completion of map names (folders and .journey files)."""

from __future__ import annotations

import os


def inputs_of(arguments: tuple[str, ...]) -> tuple[list[str], dict[str, str], list[str]]:
    """The maps the arguments name: a file as it is, a folder as every .journey file under it
    (recursively, in name order, leaving out hidden folders and never following a symlinked
    folder). Also, for each map found in a folder, the sub-folder it sits in below the folder
    given (kept under -o), and the folders that hold no map."""
    files: list[str] = []
    below: dict[str, str] = {}
    empty: list[str] = []
    for argument in arguments:
        if argument == "-" or not os.path.isdir(argument):
            files.append(argument)
            continue
        found = []
        for folder, subfolders, names in os.walk(argument):
            subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
            for name in names:
                if name.endswith(".journey") and not name.startswith("."):
                    path = os.path.join(folder, name)
                    found.append((os.path.relpath(path, argument).split(os.sep), path))
        if not found:
            empty.append(argument)
        for parts, path in sorted(found):
            files.append(path)
            below[path] = os.path.join(*parts[:-1]) if len(parts) > 1 else ""
    return files, below, empty


def expanded(arguments: tuple[str, ...], outcome) -> list[str]:
    """The maps to work on; a folder that holds none is a problem (exit 2), reported."""
    from .. import display_name

    files, _below, empty = inputs_of(arguments)
    for folder in empty:
        outcome.trouble(f"no .journey files in '{display_name(folder)}'", folder)
    return files


def complete_maps(ctx, param, incomplete: str):
    """Shell completion for map arguments: the folders and .journey files that start with
    what is typed (hidden ones only when a '.' is typed)."""
    from click.shell_completion import CompletionItem

    folder, prefix = os.path.split(incomplete)
    try:
        entries = sorted(os.scandir(os.path.expanduser(folder) or "."), key=lambda entry: entry.name)
    except OSError:
        return []
    items = []
    for entry in entries:
        if not entry.name.startswith(prefix) or entry.name.startswith(".") and not prefix.startswith("."):
            continue
        path = os.path.join(folder, entry.name)
        try:
            is_folder = entry.is_dir()
        except OSError:
            continue
        if is_folder:
            items.append(CompletionItem(path + "/"))
        elif entry.name.endswith(".journey"):
            items.append(CompletionItem(path))
    return items

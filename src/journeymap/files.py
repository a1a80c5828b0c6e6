"""Writing outputs safely: atomic replacement, and the output-path checks made before any
render starts (safety.md, "Files and processes")."""

from __future__ import annotations

import os
import stat
from pathlib import Path


class OutputRefused(Exception):
    """An output path that must not be written (a symlink, a clash, an input). Exit 2."""


def write_atomic(path: str | os.PathLike, data: bytes, mode: int | None = None) -> None:
    """Write `data` to `path` so that readers see the old file or the new one, never a part.

    A temporary file in the same folder is written, flushed and fsynced, given `mode` or
    else the old file's permissions, then moved over the target with os.replace. On any
    failure the temporary file is removed and the old file is left as it was.
    """
    target = Path(path)
    if target.is_symlink():
        raise OutputRefused(f"refusing to write through the symlink '{target}'")
    folder = target.parent if str(target.parent) else Path(".")
    if mode is None:
        try:
            mode = stat.S_IMODE(target.stat().st_mode)
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
    import tempfile  # only commands that write pay for its import

    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise


def check_outputs(pairs: list[tuple[str, str]]) -> None:
    """Refuse, before anything is written, outputs that are symlinks, that two inputs
    would both write, or that are one of the inputs. `pairs` is (input, output)."""
    inputs = {os.path.realpath(source) for source, _ in pairs if source != "-"}
    claimed: dict[str, str] = {}
    for source, output in pairs:
        if os.path.islink(output):
            raise OutputRefused(f"refusing to write '{output}': it is a symlink")
        resolved = os.path.realpath(output)
        if resolved in inputs:
            raise OutputRefused(f"refusing to write '{output}': it is an input file")
        if resolved in claimed:
            raise OutputRefused(
                f"'{claimed[resolved]}' and '{source}' would both be written to '{output}'"
            )
        claimed[resolved] = source


def create_exclusive(path: str, data: bytes) -> None:
    """Write a new file whole or not at all, refusing to replace anything already there.

    The text goes to a temporary file first; a hard link then gives it its name, which
    fails if the name exists (even as a dangling symlink), so no race can overwrite a file.
    """
    folder = os.path.dirname(path) or "."
    import tempfile

    handle, temporary = tempfile.mkstemp(prefix=".journey-create.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        try:
            os.link(temporary, path)
        except FileExistsError:
            raise
        except OSError:
            # Some file systems cannot hard-link; exclusive creation still never overwrites.
            with open(path, "xb") as stream:
                stream.write(data)
    finally:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass

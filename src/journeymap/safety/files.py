"""Writing outputs safely: atomic replacement, and the output-path checks made before any
render starts (safety.md, "Files and processes")."""

from __future__ import annotations

import os
import stat

from ..display import display_name

# A temporary file is named after its target; a long target name must still leave room
# for the temporary one within the file system's 255-byte limit.
_TEMPORARY_STEM = 40


from ..errors import OutputRefused  # noqa: E402  (re-exported: the exception these checks raise)


def names_a_folder(path: str) -> bool:
    """True for a path that can only name a folder: `rendered/`, `.`, `out/..`. Writing such a
    name as a file would drop the `/` (pathlib does) and replace the file `rendered`."""
    separators = (os.sep, os.altsep) if os.altsep else (os.sep,)
    return path.endswith(separators) or os.path.basename(path) in ("", ".", "..")


def write_atomic(path: str | os.PathLike, data: bytes, mode: int | None = None) -> None:
    """Write `data` to `path` so that readers see the old file or the new one, never a part.

    A temporary file in the same folder is written, flushed and fsynced, given `mode` or
    else the old file's permissions, then moved over the target with os.replace. On any
    failure the temporary file is removed and the old file is left as it was. A device or
    named pipe at `path` is written to, never replaced (refused when `mode` asks for a file
    of given permissions); a symlink or a folder is refused.
    """
    target = os.fspath(path)
    _refuse_unwritable_name(target)
    if os.path.islink(target):
        raise OutputRefused(f"refusing to write through the symlink '{display_name(target)}'")
    folder = os.path.dirname(target) or "."
    try:
        status = os.stat(target)
    except FileNotFoundError:
        if mode is None:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
    else:
        if stat.S_ISDIR(status.st_mode):
            raise OutputRefused(f"refusing to write '{display_name(target)}': it is a folder")
        if not stat.S_ISREG(status.st_mode):
            if mode is not None:
                raise OutputRefused(f"refusing to write '{display_name(target)}': it is not a regular file")
            # A device or a named pipe (`-o /dev/null`) is written to; replacing it with a
            # regular file would break it for everyone (as root, it would succeed).
            with open(target, "wb") as stream:
                stream.write(data)
            return
        if mode is None:
            mode = stat.S_IMODE(status.st_mode)
    import tempfile  # only commands that write pay for its import

    prefix = f".{os.path.basename(target)[:_TEMPORARY_STEM]}."
    handle, temporary = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=folder)
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
    """Refuse, before anything is written, outputs that are symlinks or folders, that two
    inputs would both write, or that are one of the inputs. `pairs` is (input, output)."""
    inputs = {os.path.realpath(source) for source, _ in pairs if source != "-"}
    claimed: dict[str, str] = {}
    for source, output in pairs:
        _refuse_unwritable_name(output)
        shown = display_name(output)
        if os.path.islink(output):
            raise OutputRefused(f"refusing to write '{shown}': it is a symlink")
        if os.path.isdir(output):
            raise OutputRefused(f"refusing to write '{shown}': it is a folder")
        resolved = os.path.realpath(output)
        if resolved in inputs:
            raise OutputRefused(f"refusing to write '{shown}': it is an input file")
        if resolved in claimed:
            raise OutputRefused(
                f"'{display_name(claimed[resolved])}' and '{display_name(source)}' would both be written to '{shown}'"
            )
        claimed[resolved] = source


def create_exclusive(path: str, data: bytes) -> None:
    """Write a new file whole or not at all, refusing to replace anything already there.

    The text goes to a temporary file first; a hard link then gives it its name, which
    fails if the name exists (even as a dangling symlink), so no race can overwrite a file.
    """
    _refuse_unwritable_name(path)
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


def _refuse_unwritable_name(path: str) -> None:
    if path == "":
        raise OutputRefused("an empty output name")
    if names_a_folder(path):
        raise OutputRefused(f"refusing to write '{display_name(path)}': the name is a folder's, not a file's")

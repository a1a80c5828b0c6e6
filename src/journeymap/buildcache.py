"""Per-machine caches that never execute what they read: the files journeymap builds once and
keeps (the grammar's tables and token expressions, the compiled embedded engine, the renders of
docs builds), each sealed under a secret of this user's kept outside every cache folder, and read
back only when the seal holds and the file is this user's and writable by nobody else. Anything
else (a planted file, a cache restored from another machine, a damaged file) is built again.

A sealed file is _MAGIC, then a keyed BLAKE2b MAC of the file's name and contents, then the
contents, which are data only (JSON, SVG, text): nothing read from a cache is ever unpickled or
run. The one exception is the compiled engine, native code that wasmtime maps from its file:
checking a MAC over its 3 MB would cost each render more than loading it, so a sealed note
beside it names the very file written (device, inode, size, modification and change times),
which no copy, restore or later write can keep (write_mapped_cache_file).
"""

from __future__ import annotations

import os
import stat
import zlib
from contextlib import contextmanager
from functools import lru_cache
from typing import Callable, Iterator

from .version import __version__
from .safety.files import OutputRefused, write_atomic

STALE_AFTER_DAYS = 30

_MAGIC = b"journeymap sealed cache file 1\n"
_TAG_SIZE = 32
_HEADER_SIZE = len(_MAGIC) + _TAG_SIZE
_PERSON = b"journeymap cache"  # BLAKE2b's personalisation (16 bytes): these tags mean nothing elsewhere
_LARGEST = 256 << 20  # far above any cache file; a larger one is not read into memory
_SECRET_FILE = "cache-key"
_SECRET_SIZE = 32
# Never through a symlink; O_NONBLOCK so that a FIFO planted under a cache file's name is
# opened (and then refused as not a regular file) instead of blocking the run.
_OPEN_FLAGS = (os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
               | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
_GROUP_OR_OTHERS_WRITE = stat.S_IWGRP | stat.S_IWOTH
_GROUP_OR_OTHERS_ANY = stat.S_IRWXG | stat.S_IRWXO


def user_cache_folder() -> str:
    """Where journeymap keeps what it builds only once (the grammar's tables, the
    compiled embedded engine): JOURNEYMAP_CACHE_DIR, else the XDG cache folder."""
    return os.environ.get("JOURNEYMAP_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "journeymap"
    )


def state_folder() -> str:
    """Where the secret that seals the caches is kept: $XDG_STATE_HOME/journeymap, else
    ~/.local/state/journeymap. Outside every cache folder, so that a cache restored from
    elsewhere (a CI cache of ~/.cache) comes without it and is not trusted."""
    base = os.environ.get("XDG_STATE_HOME", "")
    if not os.path.isabs(base):  # as the XDG specification says, a relative path is ignored
        base = os.path.join(os.path.expanduser("~"), ".local", "state")
    return os.path.join(base, "journeymap")


def fingerprint(data: bytes) -> str:
    """A name for what journeymap builds once and keeps, from `data` (what it is built from).
    Two checksums rather than a cryptographic hash: the name only tells one build's inputs
    from another's (the seal is what is trusted), and hashlib's OpenSSL import alone would
    cost every run about 3 ms."""
    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}{len(data):x}"


def read_cache_file(path: str) -> bytes | None:
    """What write_cache_file kept at `path`, or None: no such file, or not one this user's
    journeymap sealed on this machine (planted, restored from elsewhere, damaged, renamed), or
    not this user's, or writable by others, or a symlink. None means: build it again."""
    secret = cache_secret()
    if secret is None:
        return None
    try:
        sealed = _read_private(path, _GROUP_OR_OTHERS_WRITE, _LARGEST)
    except OSError:
        return None
    if sealed is None or len(sealed) < _HEADER_SIZE or not sealed.startswith(_MAGIC):
        return None
    contents = memoryview(sealed)[_HEADER_SIZE:]
    from _operator import _compare_digest  # hmac.compare_digest, without hmac's import of hashlib

    if not _compare_digest(sealed[len(_MAGIC):_HEADER_SIZE], _tag(secret, os.path.basename(path), contents)):
        return None
    return contents.tobytes()


def write_cache_file(path: str, data: bytes) -> bool:
    """Keep `data` at `path`, sealed, atomically, readable by this user only; False when it
    cannot be kept (no secret, no writable folder, a symlink in the way), which only makes
    later runs slower."""
    secret = cache_secret()
    if secret is None:
        return False
    return _write_private(path, _MAGIC + _tag(secret, os.path.basename(path), data) + data)


def write_mapped_cache_file(path: str, data: bytes) -> bool:
    """Keep `data` at `path` for a loader that maps the file instead of reading it (the
    compiled engine), with the sealed note `path`.seal naming the file just written; False
    when it cannot be kept."""
    if cache_secret() is None or not _write_private(path, data):
        return False
    try:
        status = os.stat(path, follow_symlinks=False)
    except OSError:
        return False
    if not _private(status, stat.S_ISREG, _GROUP_OR_OTHERS_WRITE):
        return False  # replaced by someone else's file since: nothing to vouch for
    return write_cache_file(path + ".seal", _identity(status))


@contextmanager
def mapped_cache_file(path: str) -> Iterator[str | bytes | None]:
    """The file write_mapped_cache_file kept at `path` when it is provably the very file
    written then, unchanged since: as a path naming the file already opened and checked (so
    nothing can be swapped in between), valid inside the `with` block, or as its bytes where
    the system has no such paths. None when there is no such file to trust."""
    descriptor = _open_as_noted(path)
    try:
        yield None if descriptor is None else _loadable(descriptor)
    finally:
        if descriptor is not None:
            os.close(descriptor)


def _open_as_noted(path: str) -> int | None:
    """An open descriptor of the file at `path` when its note vouches for it, else None."""
    note = read_cache_file(path + ".seal")
    if note is None:
        return None
    try:
        descriptor = os.open(path, _OPEN_FLAGS)
    except OSError:
        return None
    try:
        status = os.fstat(descriptor)
        if _private(status, stat.S_ISREG, _GROUP_OR_OTHERS_WRITE) and _identity(status) == note:
            return descriptor
    except OSError:
        pass
    os.close(descriptor)
    return None


def _loadable(descriptor: int) -> str | bytes | None:
    folder = _descriptor_folder()
    if folder is not None:
        return os.path.join(folder, str(descriptor))
    try:
        with open(descriptor, "rb", closefd=False) as handle:
            return handle.read()
    except OSError:
        return None


def _identity(status: os.stat_result) -> bytes:
    """What tells the file written from any other: a copy or a restored file has another
    inode and change time, and any write changes the change time (which no call can set)."""
    return f"{status.st_dev} {status.st_ino} {status.st_size} {status.st_mtime_ns} {status.st_ctime_ns}".encode()


def _descriptor_folder() -> str | None:
    """Where an open file has a path of its own (Linux, the BSDs, macOS); None elsewhere."""
    for folder in ("/proc/self/fd", "/dev/fd"):
        if os.path.isdir(folder):
            return folder
    return None


def cache_secret() -> bytes | None:
    """This user's secret that seals cache files, made on first use; None when it cannot be
    kept safely, and journeymap then runs without caches (slower, still correct)."""
    return _secret_in(state_folder())


@lru_cache(maxsize=None)
def _secret_in(folder: str) -> bytes | None:
    path = os.path.join(folder, _SECRET_FILE)
    try:
        return _read_secret(folder, path)
    except FileNotFoundError:
        pass
    except OSError:
        return None
    try:
        _make_secret(folder, path)
        return _read_secret(folder, path)
    except OSError:
        return None


def _read_secret(folder: str, path: str) -> bytes | None:
    """The secret, when its folder is this user's and writable by nobody else and the file is
    this user's and nobody else's to read or write; None when refused; FileNotFoundError
    when there is none yet."""
    if not _private(os.stat(folder), stat.S_ISDIR, _GROUP_OR_OTHERS_WRITE):
        return None
    secret = _read_private(path, _GROUP_OR_OTHERS_ANY, _SECRET_SIZE)
    return secret if secret is not None and len(secret) == _SECRET_SIZE else None


def _make_secret(folder: str, path: str) -> None:
    """A new random secret at `path`, whole or not at all: written to a temporary file (mode
    0600), then hard-linked to its name, so a run that made one first keeps its own."""
    os.makedirs(folder, mode=0o700, exist_ok=True)
    import tempfile

    handle, temporary = tempfile.mkstemp(prefix=f".{_SECRET_FILE}.", dir=folder)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(os.urandom(_SECRET_SIZE))
            stream.flush()
            os.fsync(stream.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass
    finally:
        os.unlink(temporary)


def _tag(secret: bytes, name: str, contents) -> bytes:
    try:
        from _blake2 import blake2b  # hashlib's BLAKE2b, without hashlib's import of OpenSSL
    except ImportError:
        from hashlib import blake2b
    mac = blake2b(name.encode("utf-8", "surrogateescape") + b"\0", digest_size=_TAG_SIZE, key=secret, person=_PERSON)
    mac.update(contents)
    return mac.digest()


def _read_private(path: str, forbidden: int, largest: int) -> bytes | None:
    """The contents of the regular file `path`, opened without following a symlink, when it
    is this user's and its mode has none of the `forbidden` bits; None otherwise. OSError
    when it cannot be opened."""
    descriptor = os.open(path, _OPEN_FLAGS)
    with open(descriptor, "rb") as handle:
        status = os.fstat(descriptor)
        if not _private(status, stat.S_ISREG, forbidden) or status.st_size > largest:
            return None
        data = handle.read(largest + 1)
    return data if len(data) <= largest else None


def _private(status: os.stat_result, is_kind: Callable[[int], bool], forbidden: int) -> bool:
    """Whether `status` is of the kind, this user's, and without the `forbidden` mode bits.
    Where there are no user ids (Windows) the mode bits mean nothing either; the seal stays."""
    if not is_kind(status.st_mode):
        return False
    getuid = getattr(os, "getuid", None)
    return getuid is None or (status.st_uid == getuid() and not status.st_mode & forbidden)


def _write_private(path: str, data: bytes) -> bool:
    try:
        folder = os.path.dirname(path)
        if folder:
            os.makedirs(folder, mode=0o700, exist_ok=True)
        write_atomic(path, data, mode=0o600)
    except (OSError, OutputRefused):
        return False
    return True


def prune_cache(prefix: str, keep: str) -> None:
    """Remove this user's files of the user cache folder named `prefix...`, except `keep...`,
    that were not written for STALE_AFTER_DAYS. Such a file is written only when its name is
    new, so each upgrade, or each environment for the embedded engine, would otherwise leave
    one behind (the compiled engine is 3 MB); one still in use is only built again. Files of
    other users (JOURNEYMAP_CACHE_DIR may be shared) are theirs to prune."""
    import time

    cutoff = time.time() - STALE_AFTER_DAYS * 86400
    getuid = getattr(os, "getuid", None)
    try:
        for entry in os.scandir(user_cache_folder()):
            if entry.name.startswith(prefix) and not entry.name.startswith(keep):
                status = entry.stat(follow_symlinks=False)
                if status.st_mtime < cutoff and (getuid is None or status.st_uid == getuid()):
                    os.unlink(entry.path)
    except OSError:
        pass  # pruning is housekeeping; it never stops a run


class RenderCache:
    """The renders of a docs build, kept in a folder of the build (Sphinx's doctree folder,
    MkDocs' .cache/journeymap) and keyed by every source file's text, the options, the
    journeymap version and the Graphviz engine, so an unchanged build renders nothing again.
    Entries are sealed like every cache file: one planted in the folder (a pull request can
    commit one) is rendered anew."""

    def __init__(self, folder: str) -> None:
        self.folder = folder

    def key(self, sources: dict, format_name: str, options, engine_id: str) -> str:
        import hashlib  # only docs builds key renders; every other run would pay for OpenSSL's import

        digest = hashlib.sha256()
        for part in (__version__, format_name, repr(options), engine_id):
            digest.update(part.encode() + b"\0")
        for path in sorted(sources):
            digest.update(path.encode() + b"\0" + sources[path].text.encode("utf-8") + b"\0")
        return digest.hexdigest()

    def get_or_render(self, key: str, render: Callable[[], bytes],
                      accept: Callable[[bytes], bool] | None = None) -> bytes:
        """The kept render for `key` when it is sealed and passes `accept` (the SVG check,
        for what goes into a page as markup), else a new render, kept for next time."""
        path = os.path.join(self.folder, key[:2], key)
        artifact = read_cache_file(path)
        if artifact is not None and (accept is None or accept(artifact)):
            return artifact
        artifact = render()
        write_cache_file(path, artifact)
        return artifact


__all__ = [
    "STALE_AFTER_DAYS", "RenderCache", "cache_secret", "fingerprint", "mapped_cache_file",
    "prune_cache", "read_cache_file", "state_folder", "user_cache_folder", "write_cache_file",
    "write_mapped_cache_file",
]

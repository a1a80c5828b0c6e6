"""Caches: where journeymap keeps what it builds only once (the grammar's tables, the
compiled embedded engine) and how those files are named, and the render cache of docs builds,
keyed by every source file's text, the options, the journeymap version and the Graphviz engine,
so an unchanged build renders nothing again."""

from __future__ import annotations

import os
import zlib
from typing import Callable

from . import __version__
from .files import OutputRefused, write_atomic


def user_cache_folder() -> str:
    """Where journeymap keeps what it builds only once (the grammar's tables, the
    compiled embedded engine): JOURNEYMAP_CACHE_DIR, else the XDG cache folder."""
    return os.environ.get("JOURNEYMAP_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "journeymap"
    )


def cache_file_key(data: bytes) -> str:
    """A name for what journeymap builds once and keeps, from `data`. Two checksums rather
    than a cryptographic hash: the key only tells one build's inputs from another's, and
    hashlib's OpenSSL import alone would cost every run about 3 ms."""
    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}{len(data):x}"


def write_cache_file(path: str, data: bytes) -> bool:
    """Keep `data` at `path`, atomically; False when it cannot be kept there (no writable
    cache, or a symlink in the way), which only makes later runs slower."""
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        write_atomic(path, data)
    except (OSError, OutputRefused):
        return False
    return True


STALE_AFTER_DAYS = 30


def prune_cache(prefix: str, keep: str) -> None:
    """Remove the files of the user cache folder named `prefix...`, except `keep...`, that
    were not written for STALE_AFTER_DAYS. Such a file is written only when its key is new, so
    each upgrade, or each environment for the embedded engine, would otherwise leave one behind
    (the compiled engine is 3 MB); one still in use is only built again."""
    import time

    cutoff = time.time() - STALE_AFTER_DAYS * 86400
    try:
        for entry in os.scandir(user_cache_folder()):
            if entry.name.startswith(prefix) and not entry.name.startswith(keep):
                if entry.stat().st_mtime < cutoff:
                    os.unlink(entry.path)
    except OSError:
        pass  # pruning is housekeeping; it never stops a run


def engine_signature(engine: str) -> str:
    """Which Graphviz will draw, and its version (part of the key: a new Graphviz, new pictures)."""
    try:
        from .engines import describe_engines

        return "|".join(describe_engines()) + f"|{engine}"
    except Exception:
        return engine


class RenderCache:
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

    def get_or_render(self, key: str, render: Callable[[], bytes]) -> bytes:
        path = os.path.join(self.folder, key[:2], key)
        try:
            with open(path, "rb") as handle:
                return handle.read()
        except OSError:
            pass
        artifact = render()
        write_cache_file(path, artifact)
        return artifact

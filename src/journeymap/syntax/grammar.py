"""The grammar: grammar/journey.lark as shipped in the wheel (or of a source checkout), and the
name of what is built from it and kept per machine (Lark's tables, the token expressions)."""

from __future__ import annotations

import os
import re
from pathlib import Path

from ..buildcache import fingerprint, user_cache_folder


def grammar_text() -> str:
    """The grammar shipped in the wheel, or grammar/journey.lark of a source checkout."""
    package = Path(__file__).resolve().parents[1]
    for candidate in (package / "grammar" / "journey.lark", package.parents[1] / "grammar" / "journey.lark"):
        if candidate.is_file():
            return candidate.read_text(encoding="utf-8")
    from importlib import resources  # an installation that is not plain files (a zip)

    return (resources.files("journeymap") / "grammar" / "journey.lark").read_text(encoding="utf-8")


def cache_key(grammar: str) -> str:
    """What Lark's tables and the token expression are built from: the grammar, the
    lexer's code and the installed Lark (found without importing it)."""
    from importlib.util import find_spec

    parts = [_CACHE_LAYOUT, grammar.encode(), Path(__file__).with_name("lexer.py").read_bytes()]
    spec = find_spec("lark")
    if spec is not None and spec.origin:
        # Lark's version, read from its source: every environment with the same Lark and the
        # same journeymap shares one set of cache files.
        try:
            version = _LARK_VERSION.search(Path(spec.origin).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            version = None
        parts.append((version.group(1) if version else spec.origin).encode())
    return fingerprint(b"\0".join(parts))


# Part of every name: older layouts (Lark's pickled tables) are never read, and pruned.
_CACHE_LAYOUT = b"sealed-json-1"
_LARK_VERSION = re.compile(r"""^__version__\b[^=]*=\s*["']([^"']+)["']""", re.M)


def cache_path(suffix: str) -> str | None:
    """A file in the cache for this grammar, or None when there is no writable cache."""
    folder = user_cache_folder()
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
    except OSError:
        return None  # no writable cache: build everything each run, still correct
    return os.path.join(folder, f"grammar-{cache_key(grammar_text())}{suffix}")

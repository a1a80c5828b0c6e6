"""The installed Graphviz `dot`, run in its own process group so a timeout kills all of it."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from functools import lru_cache

from . import EngineError


def executable() -> str | None:
    return shutil.which("dot")


def available() -> bool:
    return executable() is not None


@lru_cache(maxsize=1)
def version() -> str | None:
    path = executable()
    if path is None:
        return None
    try:
        import graphviz

        return ".".join(str(part) for part in graphviz.version())
    except Exception:  # an odd `dot -V` must not break --version
        return "(unknown version)"


def layout(dot: str, output_format: str, timeout: float) -> bytes:
    path = executable()
    if path is None:
        raise EngineError("the system Graphviz `dot` is not installed")
    process = subprocess.Popen(
        [path, f"-T{output_format}"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        out, err = process.communicate(dot.encode("utf-8"), timeout=timeout)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.communicate()
        raise EngineError(f"Graphviz layout took longer than {timeout:g} s and was stopped (--timeout)") from None
    if process.returncode != 0 or not out:
        message = err.decode("utf-8", "replace").strip().splitlines()
        raise EngineError("Graphviz failed: " + (message[-1] if message else f"exit status {process.returncode}"))
    return out

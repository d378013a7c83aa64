"""PNG files drawn beside the build, in worker processes.

Drawing a PNG is almost all pixel work in resvg, which holds the interpreter's lock: a
model page's social card takes tens of milliseconds, the poster seconds. A build of one
process (no ``-j``) spends the rest of the machine's cores on nothing, so the PNGs of a
build go to a pool of worker processes while Sphinx goes on writing pages, and the build
waits for them at its end (:func:`finish`), reporting any failure where its page is.

The pool starts only once a build has more than :data:`INLINE` PNGs to draw (a small
project's few cards are drawn at once, without starting a process), and never in a
process Sphinx forked to write pages in parallel (those are parallel already).  Workers
are started fresh (``spawn``), not forked from a build holding the diagram engine.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docutils.nodes import Node

from ..draw.posterpng import PosterFile
from ..draw.raster import RasterError, cached_png
from ..draw.svg import root_size

#: PNGs drawn in the build's own process before the pool starts
INLINE = 8
#: a PNG of more pixels than this goes to the pool even among the first (the poster's
#: take seconds each, and its two themes are drawn side by side)
LARGE = 4_000_000


def draw(
    target: Path, svg: str, width: int, cache: Path | None, source: Path | None = None
) -> str | None:
    """Draw ``svg`` into ``target`` (through the PNG cache where there is one), then write
    ``svg`` itself to ``source`` if given (so a source beside its PNG says the PNG is its
    drawing); the error's message, or None.  Runs in a worker: plain values only."""
    try:
        data, _ = cached_png(svg, width, cache)
    except RasterError as exc:
        return str(exc)
    _replace(target, data)
    if source is not None:
        _replace(source, svg.encode())
    return None


def draw_poster(target: Path, made: PosterFile, cache: Path | None) -> str | None:
    """Draw a poster file's PNG into ``target`` from its strips (see :mod:`.posterpng`);
    the error's message, or None.  Runs in a worker."""
    try:
        data = made.png(cache)
    except RasterError as exc:
        return str(exc)
    _replace(target, data)
    return None


def _replace(path: Path, data: bytes) -> None:
    """Write ``data`` so that a reader sees the old file or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    partial.write_bytes(data)
    partial.replace(path)


@dataclass
class PngJobs:
    """The PNGs of one build: drawn at once or by the pool, collected by :meth:`finish`."""

    #: the process that started the build (Sphinx's parallel writers are its children)
    owner: int = field(default_factory=os.getpid)
    inline: int = INLINE
    pool: ProcessPoolExecutor | None = None
    pending: list[tuple[Future[str | None], str, Node | None]] = field(default_factory=list)

    def submit(
        self,
        target: Path,
        svg: str,
        width: int,
        what: str,
        where: Node | None = None,
        *,
        cache: Path | None = None,
        source: Path | None = None,
    ) -> str | None:
        """:func:`draw`, at once (then the error, if it failed) or in the pool (then its
        failure comes from :meth:`finish`); ``what`` names the PNG in that failure's
        message, ``where`` is its node."""
        large = width * width * _aspect(svg) > LARGE
        return self._run(large, what, where, draw, target, svg, width, cache, source)

    def submit_poster(self, target: Path, made: PosterFile, cache: Path | None) -> str | None:
        """:func:`draw_poster`, at once or in the pool as :meth:`submit` decides."""
        large = made.width * made.height > LARGE
        return self._run(large, "the poster's PNG", None, draw_poster, target, made, cache)

    def _run(
        self, large: bool, what: str, where: Node | None, job: Callable[..., str | None], *args: Any
    ) -> str | None:
        if os.getpid() != self.owner or (self.inline > 0 and not large) or _cores() < 2:
            self.inline -= 1
            return job(*args)
        if self.pool is None:
            context = multiprocessing.get_context("spawn")
            self.pool = ProcessPoolExecutor(max_workers=_cores(), mp_context=context)
        future = self.pool.submit(job, *args)
        self.pending.append((future, what, where))
        return None

    def finish(self) -> list[tuple[str, str, Node | None]]:
        """Wait for the pool's PNGs; their failures (what, why, where)."""
        failures = []
        for future, what, where in self.pending:
            try:
                error = future.result()
            except Exception as exc:  # noqa: BLE001 - a dead worker is reported, not raised
                error = f"the worker drawing it failed ({exc.__class__.__name__}: {exc})"
            if error is not None:
                failures.append((what, error, where))
        self.close()
        return failures

    def close(self) -> None:
        """Stop the pool (also after a failed build, whose PNGs no longer matter)."""
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
        self.pool, self.pending, self.inline = None, [], INLINE


def _aspect(svg: str) -> float:
    """The drawing's height over its width (0 where its root does not say)."""
    size = root_size(svg)
    return size[1] / size[0] if size and size[0] else 0.0


def _cores() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on every system
        return os.cpu_count() or 1

"""Finished figures: each composed once, kept as text in memory and on disk.

A figure is kept as its SVG text with a marker where each concept link's target goes;
writing it into a page fills in the targets (:meth:`Figure.svg`), which gives the same
text as writing the composed tree (:meth:`.svg.Composed.svg`).  On disk the figures sit
next to the panel cache, named by a key of everything that shapes them (the spec, the
engine's version and this package's code), so an unchanged figure is never composed
again, in this build or the next.
"""

from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path

from .compose import compose
from .engine import SvgCache, engine_version, warm_up
from .figure import FigureSpec
from .svg import Resolve

#: a concept link's target as kept: the concept's key between two NUL characters, which
#: XML text never holds (the attribute's name before it)
_TARGET = re.compile(r' ([\w:]+)="\x00([^\x00]*)\x00"')
_PACKAGE = Path(__file__).resolve().parent.parent
#: the layers a figure is composed from: the Sphinx integration, the importer and the
#: command line do not change a figure, so editing them keeps the figures kept on disk
DRAWING_LAYERS = ("describe", "draw", "mechanisms", "model")


def _mark(concept: str) -> str:
    return f"\x00{concept}\x00"


@cache
def code_digest() -> str:
    """Changes with any source file of the layers that compose figures: a figure is only
    reused by the code that composed it."""
    digest = hashlib.sha256()
    files = (path for layer in DRAWING_LAYERS for path in (_PACKAGE / layer).rglob("*.py"))
    for path in sorted(files):
        digest.update(path.relative_to(_PACKAGE).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


@cache
def _attribute(name: str, value: str) -> str:
    """`` name="value"`` escaped exactly as ElementTree writes it."""
    text = ET.tostring(ET.Element("a", {"v": value}), encoding="unicode")
    return f" {name}=" + text[text.index('"') : text.rindex('"') + 1]


class Figure:
    """A finished figure as text; :meth:`svg` writes it with its concept links."""

    def __init__(self, text: str) -> None:
        self.text = text

    def svg(self, resolve: Resolve | None = None) -> str:
        """The SVG with each link pointing where ``resolve`` says (no target where it says
        None, as :meth:`.svg.Composed.svg`)."""

        def target(match: re.Match[str]) -> str:
            uri = resolve(match[2]) if resolve else None
            return _attribute(match[1], uri) if uri else ""

        return _TARGET.sub(target, self.text)


class FigureRenderer:
    """The figures composed so far, by the content of their spec, in this process and in
    the cache's folder."""

    def __init__(self, cache: SvgCache) -> None:
        self.cache = cache
        self._figures: dict[str, Figure] = {}
        self.composed = 0  # figures composed, not found (for tests and the benchmark)

    def _path(self, spec: FigureSpec) -> Path | None:
        if self.cache.directory is None:
            return None
        key = f"{spec.key()}\0{engine_version(self.cache.engine)}\0{code_digest()}"
        name = hashlib.sha256(key.encode()).hexdigest()[:32]
        return self.cache.directory / "figures" / f"{name}.svg"

    def _stored(self, spec: FigureSpec) -> Figure | None:
        path = self._path(spec)
        try:
            return Figure(path.read_text(encoding="utf-8")) if path is not None else None
        except OSError:
            return None

    def figure(self, spec: FigureSpec) -> Figure:
        key = spec.key()
        figure = self._figures.get(key) or self._stored(spec)
        if figure is None:
            figure = Figure(compose(spec, self.cache.get).svg(_mark))
            self.composed += 1
            path = self._path(spec)
            if path is not None:
                SvgCache.store(path, figure.text)
        self._figures[key] = figure
        return figure

    def needs_engine(self, spec: FigureSpec) -> bool:
        if spec.key() in self._figures or self.cache.lookup(spec.main) is not None:
            return False
        path = self._path(spec)
        return path is None or not path.is_file()

    def prepare(self, spec: FigureSpec) -> None:
        """Load the engine in this (main) process if ``spec`` will need it.

        Parallel writers are forked from the main process: loading the engine here
        once saves every forked writer from compiling it again.
        """
        if self.needs_engine(spec):
            warm_up(self.cache.engine, self.cache.directory)

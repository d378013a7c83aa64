"""Composed figures for one build: each drawn once, however many pages show it."""

from __future__ import annotations

from .compose import Composed, compose
from .engine import SvgCache, warm_up
from .figure import FigureSpec


class FigureRenderer:
    """The figures composed so far in this process, by the content of their spec."""

    def __init__(self, cache: SvgCache) -> None:
        self.cache = cache
        self._figures: dict[str, Composed] = {}

    def figure(self, spec: FigureSpec) -> Composed:
        key = spec.key()
        figure = self._figures.get(key)
        if figure is None:
            figure = self._figures[key] = compose(spec, self.cache.get)
        return figure

    def needs_engine(self, spec: FigureSpec) -> bool:
        return spec.key() not in self._figures and self.cache.lookup(spec.main) is None

    def prepare(self, spec: FigureSpec) -> None:
        """Load the engine in this (main) process if ``spec`` will need it.

        Parallel writers are forked from the main process: loading the engine here
        once saves every forked writer from compiling it again.
        """
        if self.needs_engine(spec):
            warm_up(self.cache.engine)

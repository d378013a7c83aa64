"""Cyclic garbage collection tuned for a build, and put back as it was at its end.

A build creates millions of objects that live until its end (the environment, every
page's doctree) and few reference cycles that die young.  Python's collector walks every
live object in each full collection, and those grew with the build: at 400 models they
were a sixth of the build's time.  For the duration of a build, collections run less
often (higher thresholds; young cycles are still collected), from the moment the
configuration is read, so that unpickling the saved environment (hundreds of thousands
of objects) does not set off full collections; the objects alive once the environment is
loaded, and again at the end of reading, are moved out of the collector's sight
(:func:`gc.freeze`).  At the end of the build (or when it fails), the thresholds are put
back and the frozen objects returned to the collector.
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

#: factors applied to the interpreter's thresholds during a build (generation 0, 1, 2)
FACTORS = (10, 5, 5)

_SAVED: list[tuple[int, int, int]] = []


def setup(app: Sphinx) -> None:
    app.connect("config-inited", start, priority=100)
    app.connect("builder-inited", freeze_loaded, priority=100)
    app.connect("env-updated", freeze_read, priority=900)
    app.connect("build-finished", finish, priority=900)


def start(app: Sphinx, config: Config) -> None:
    """Before the saved environment is loaded: collect less often."""
    if _SAVED:
        return  # a build inside a build (tests): tuned already
    thresholds = gc.get_threshold()
    _SAVED.append(thresholds)
    gc.set_threshold(*(t * f for t, f in zip(thresholds, FACTORS, strict=True)))


def freeze_loaded(app: Sphinx) -> None:
    """Once setup is done and the environment loaded: both live to the end of the build."""
    if _SAVED:
        gc.freeze()


def freeze_read(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Once every page is read: the environment lives to the end, out of the collector's sight."""
    if _SAVED:
        gc.freeze()
    return []


def finish(app: Sphinx, exception: Exception | None) -> None:
    """At the end of a build, successful or not: the collector as it was."""
    if _SAVED:
        gc.set_threshold(*_SAVED.pop())
        gc.unfreeze()

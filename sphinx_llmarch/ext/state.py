"""What one build knows beyond its environment: the loaded models, the drawn figures, what
changed.  Created afresh for every build, and never saved with the environment.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from ..draw.engine import WASM, SvgCache
from ..draw.renderer import FigureRenderer
from ..model.store import ModelStore, bundled_dir
from .pagecache import PageCache
from .pngjobs import PngJobs

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment

_ATTRIBUTE = "llmarch_build"
T = TypeVar("T")


@dataclass
class BuildState:
    """Per-build state; the environment holds it (see :func:`state_of`)."""

    store: ModelStore
    renderer: FigureRenderer
    #: the previous build in this folder stopped before its end
    unfinished: bool = False
    #: model files outside the pages whose problems this process has reported
    reported: set[Path] = field(default_factory=set)
    #: model pages removed in this build: (docname, slug), to delete their output files
    removed: list[tuple[str, str]] = field(default_factory=list)
    #: a model page was removed or (re-)read in this build
    models_changed: bool = False
    #: this build read or removed any page
    docs_read: bool = True
    #: the pages this build reads
    read_now: set[str] = field(default_factory=set)
    #: this build wrote a page that shows the poster: its files are written at the end,
    #: unless they were begun when reading ended (see :mod:`.posterfiles`)
    poster: bool = False
    poster_begun: bool = False
    #: what changed from a base model to a model (base, slug), for the family trees: every
    #: page that shows a tree asks the same, and the models do not change within a build
    family_changes: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    #: summaries of models without a page of their own, for the views of many models
    summaries: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: models without a page whose standalone images this build has written
    images: set[str] = field(default_factory=set)
    #: the PNG files of the diagrams a document shows as pictures, by diagram (see
    #: :mod:`.docimages`): their other drawings are deleted when the build ends
    pictures: dict[str, set[Path]] = field(default_factory=dict)
    #: the navigation tree shared by all model pages, per folder and arguments
    navigation: dict[tuple[str, tuple[tuple[str, Any], ...]], str] = field(default_factory=dict)
    #: every page has been read: the views' models no longer change in this build
    read_done: bool = False
    #: what is made from every page once :attr:`read_done` (see :func:`after_reading`)
    memo: dict[str, Any] = field(default_factory=dict)
    #: the PNGs this build draws (social cards, the poster), some in worker processes
    pngs: PngJobs = field(default_factory=PngJobs)
    #: where what reading each model page made is kept (:mod:`.pagecache`); None: nowhere
    page_cache: PageCache | None = None

    def __reduce__(self) -> tuple[Any, tuple[()]]:
        # the environment is pickled at the end of reading and between parallel readers:
        # a build's caches and flags do not travel with it
        return (_forgotten, ())


def _forgotten() -> None:
    return None


def start_build(env: BuildEnvironment, engine: str, cache_dir: Path | None) -> BuildState:
    """A new state for the build about to run in ``env``."""
    store = ModelStore(Path(env.config.llmarch_models_dir), bundled=bundled_dir())
    state = BuildState(store, FigureRenderer(SvgCache(engine or WASM, cache_dir)))
    if cache_dir is not None:
        state.page_cache = PageCache(cache_dir / "pages", env.config)
    setattr(env, _ATTRIBUTE, state)
    return state


def state_of(env: BuildEnvironment) -> BuildState:
    """The state of the build running in ``env`` (a fresh one if none was started)."""
    state = getattr(env, _ATTRIBUTE, None)
    return state if isinstance(state, BuildState) else start_build(env, WASM, None)


def after_reading(env: BuildEnvironment, key: str, make: Callable[[], T]) -> T:
    """``make()``, made once per build once every page is read, when what it is made from
    no longer changes (each model page asks for the same thing; made each time, it was
    quadratic in the models); made afresh each time before."""
    state = state_of(env)
    if not state.read_done:
        return make()
    if key not in state.memo:
        state.memo[key] = make()
    value: T = state.memo[key]
    return value


def reading_starts(env: BuildEnvironment) -> None:
    """Pages are about to be read: what was made from them is forgotten."""
    state = state_of(env)
    state.read_done = False
    state.memo.clear()

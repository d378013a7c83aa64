"""Where model files live, and loading them once per change.

Pure Python (no Sphinx): used by the extension and the CLI.  Results are cached
per process by (path, modification time, size), so a model shown on many pages
is parsed once, and an edited file is parsed again.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from .figures import Figures, compute
from .loader import LoadedModel, LoadResult, load_file

_CACHE: dict[Path, tuple[tuple[int, int], LoadResult]] = {}
_FIGURES: dict[Path, tuple[LoadedModel, Figures]] = {}


class ModelStore:
    """The model files of one directory."""

    def __init__(self, directory: Path, display_root: Path | None = None) -> None:
        self.directory = directory.resolve()
        #: messages name files relative to this folder (default: as absolute paths)
        self.display_root = display_root

    def path(self, slug: str) -> Path:
        return self.directory / f"{slug}.yaml"

    def slugs(self) -> list[str]:
        if not self.directory.is_dir():
            return []
        return sorted(p.stem for p in self.directory.glob("*.yaml"))

    def display(self, path: Path) -> str:
        if self.display_root is not None:
            try:
                return str(path.relative_to(self.display_root))
            except ValueError:
                pass
        return str(path)

    def load(self, slug: str) -> LoadResult:
        return load_cached(self.path(slug), self.display(self.path(slug)))

    def load_all(self) -> Iterator[LoadResult]:
        for slug in self.slugs():
            yield self.load(slug)


def load_cached(path: Path, display: str | None = None) -> LoadResult:
    """:func:`load_file`, memoised until the file changes."""
    path = path.resolve()
    try:
        stat = path.stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
    except OSError:
        return load_file(path, display)
    hit = _CACHE.get(path)
    if hit and hit[0] == stamp and (display is None or _same_display(hit[1], display)):
        return hit[1]
    result = load_file(path, display)
    _CACHE[path] = (stamp, result)
    return result


def _same_display(result: LoadResult, display: str) -> bool:
    return all(p.file == display for p in result.problems)


def figures_of(model: LoadedModel) -> Figures:
    """:func:`compute`, memoised for the model object last loaded from its file."""
    hit = _FIGURES.get(model.path)
    if hit is not None and hit[0] is model:
        return hit[1]
    figures = compute(model)
    _FIGURES[model.path] = (model, figures)
    return figures

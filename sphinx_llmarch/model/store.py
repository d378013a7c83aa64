"""Where model files live, and loading each of them once per change.

Pure Python (no Sphinx): used by the extension (one store per build) and by tools.
Results are kept by (path, modification time, size), so a model shown on many pages
is parsed once, and an edited file is parsed again.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

from .figures import Figures, compute
from .loader import LoadedModel, LoadResult, load_file

#: the folder of model files, relative to a project's conf.py, unless it names another
DEFAULT_DIR = "models"


class ModelStore:
    """The model files of one directory, with what was loaded and computed from them."""

    def __init__(self, directory: Path, display_root: Path | None = None) -> None:
        self.directory = directory.resolve()
        #: messages name files relative to this folder (default: as absolute paths)
        self.display_root = display_root
        self._loaded: dict[Path, tuple[tuple[int, int], LoadResult]] = {}
        self._figures: dict[Path, tuple[LoadedModel, Figures]] = {}

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
        return self.load_path(self.path(slug), self.display(self.path(slug)))

    def load_all(self) -> Iterator[LoadResult]:
        for slug in self.slugs():
            yield self.load(slug)

    def load_path(self, path: Path, display: str | None = None) -> LoadResult:
        """:func:`.load_file`, kept until the file changes."""
        path = path.resolve()
        try:
            stat = path.stat()
            stamp = (stat.st_mtime_ns, stat.st_size)
        except OSError:
            return load_file(path, display)
        hit = self._loaded.get(path)
        if hit and hit[0] == stamp and (display is None or _same_display(hit[1], display)):
            return hit[1]
        result = load_file(path, display)
        self._loaded[path] = (stamp, result)
        return result

    def figures(self, model: LoadedModel) -> Figures:
        """:func:`.compute`, kept for the model object last loaded from its file."""
        hit = self._figures.get(model.path)
        if hit is not None and hit[0] is model:
            return hit[1]
        figures = compute(model)
        self._figures[model.path] = (model, figures)
        return figures


def closest(name: str, names: Sequence[str]) -> str | None:
    """The name ``name`` was probably meant to be: the same letters and digits in any case
    and punctuation ('Llama-3-8B', 'llama3-8b' → 'llama-3-8b'), else a close spelling."""

    def bare(text: str) -> str:
        return re.sub(r"[^a-z0-9]", "", text.lower())

    same = [n for n in names if bare(n) == bare(name)]
    if same:
        return same[0]
    close = difflib.get_close_matches(name.lower(), list(names), n=1, cutoff=0.75)
    return close[0] if close else None


def did_you_mean(name: str, names: Sequence[str]) -> str:
    """'; did you mean 'x'?' when :func:`closest` finds one, else nothing."""
    guess = closest(name, names)
    return f"; did you mean '{guess}'?" if guess and guess != name else ""


def _same_display(result: LoadResult, display: str) -> bool:
    return all(p.file == display for p in result.problems)

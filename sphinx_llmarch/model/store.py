"""Where model files live, and loading each of them once per change.

Pure Python (no Sphinx): used by the extension (one store per build) and by tools.
Results are kept by (path, modification time, size), so a model shown on many pages
is parsed once, and an edited file is parsed again.

A store reads two folders: the project's own (``llmarch_models_dir``) and the gallery's
models that come with the package (:func:`bundled_dir`).  A slug is looked up in the
project's folder first, so a project adds models and overrides bundled ones by writing a
file of the same name.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Literal

from .figures import Figures, compute
from .loader import LoadedModel, LoadResult, load_file

#: the folder of model files, relative to a project's conf.py, unless it names another
DEFAULT_DIR = "models"
#: where the wheel carries the gallery's model files, inside the package
PACKAGED_DIR = "gallery_models"
#: where a model file comes from: the project's own folder, or the package
Origin = Literal["project", "bundled"]


def bundled_dir() -> Path | None:
    """The gallery's model files that come with the package: ``gallery_models/`` of an
    installed wheel, else (running from a checkout, or an editable install) the
    repository's ``models/``; None when neither is there."""
    package = Path(__file__).resolve().parent.parent
    if (package / PACKAGED_DIR).is_dir():
        return package / PACKAGED_DIR
    checkout = package.parent
    if (checkout / "pyproject.toml").is_file() and (checkout / DEFAULT_DIR).is_dir():
        return checkout / DEFAULT_DIR
    return None


class ModelStore:
    """The model files of a project's folder and of the package, with what was loaded and
    computed from them.

    ``bundled`` is the package's folder of models (see :func:`bundled_dir`); None reads
    the project's folder alone."""

    def __init__(
        self, directory: Path, display_root: Path | None = None, *, bundled: Path | None = None
    ) -> None:
        self.directory = directory.resolve()
        #: messages name files relative to this folder (default: as absolute paths)
        self.display_root = display_root
        bundled = bundled.resolve() if bundled is not None else None
        #: the package's models, unless they are the project's folder itself (this site)
        self.bundled = bundled if bundled != self.directory else None
        self._bundled_slugs: list[str] | None = None
        self._loaded: dict[Path, tuple[tuple[int, int], LoadResult]] = {}
        self._figures: dict[Path, tuple[LoadedModel, Figures]] = {}

    def path(self, slug: str) -> Path:
        """The file of ``slug``: the project's, else the bundled one; the project's path
        (which does not exist) when there is neither."""
        own = self.directory / f"{slug}.yaml"
        if self.bundled is None or own.is_file():
            return own
        packaged = self.bundled / f"{slug}.yaml"
        return packaged if packaged.is_file() else own

    def slugs(self) -> list[str]:
        """Every slug the store can load, from both folders."""
        return sorted({*self.project_slugs(), *self.bundled_slugs()})

    def project_slugs(self) -> list[str]:
        """The slugs of the project's own folder."""
        return _yaml_stems(self.directory)

    def bundled_slugs(self) -> list[str]:
        """The slugs of the package's models (read once: the package does not change)."""
        if self._bundled_slugs is None:
            self._bundled_slugs = _yaml_stems(self.bundled) if self.bundled else []
        return self._bundled_slugs

    def origin(self, slug: str) -> Origin | None:
        """Where the file of ``slug`` comes from; None when there is no such model."""
        if (self.directory / f"{slug}.yaml").is_file():
            return "project"
        return "bundled" if slug in self.bundled_slugs() else None

    def where(self) -> str:
        """The folders a slug is looked for in, for messages."""
        if self.bundled is None:
            return f"in {self.directory}"
        if not self.directory.is_dir():
            return "among the bundled gallery models"
        return f"in {self.directory} or among the bundled gallery models"

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


def _yaml_stems(folder: Path | None) -> list[str]:
    if folder is None or not folder.is_dir():
        return []
    return sorted(p.stem for p in folder.glob("*.yaml"))


def _same_display(result: LoadResult, display: str) -> bool:
    return all(p.file == display for p in result.problems)

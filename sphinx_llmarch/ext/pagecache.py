"""Model pages read once per content: what reading a model page made, kept on disk.

Reading a model page loads and validates its file, computes its figures, its summary and
export record, the specs of its diagram and thumbnail, its social card and its tables:
half the time Sphinx takes to read the page, and the same result every time the file,
the configuration and the code are the same.  After a page is read, its doctree (as
parsed, before Sphinx's transforms), its metadata and what it noted in the domain are
kept in the cache folder under a key of all it was made from; a later build, even from
scratch (``-E``), that reads the same page with the same key takes them from there.

The key is a digest of the file's text, the page's name and path, whether the builder
makes quotes typographic, every configuration value whose change makes Sphinx read the pages again, the package's files
(code, templates, translations) and the versions of Python, Sphinx and docutils.  A page
whose reading made a warning is not kept: reading it again reports it again.  One file
per page, replaced when its key changes, so the folder holds one entry per model page.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
from collections.abc import Callable, Sequence
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import docutils
import sphinx
from docutils import nodes

if TYPE_CHECKING:
    from sphinx.config import Config
    from sphinx.domains import Domain
    from sphinx.environment import BuildEnvironment

T = TypeVar("T")

_PACKAGE = Path(__file__).resolve().parent.parent
#: the document's attributes that belong to the build reading it, not to the page
_LIVE = ("settings", "reporter", "transformer", "_document")
#: what unpickling a damaged entry (or one of classes since renamed) raises
_DAMAGED = (pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError)
#: what pickling something that cannot be kept raises
_UNPICKLABLE = (pickle.PicklingError, TypeError, AttributeError)
#: the domain's data noted per page (see ``LlmarchDomain.merge_domaindata``)
_PER_PAGE = ("shown", "refs", "aggregates", "reported")


class PageCache:
    """The cache folder's model pages, for one build: ``folder`` holds one entry per page,
    and the values kept beside them (:meth:`kept`)."""

    def __init__(self, folder: Path, config: Config) -> None:
        self.folder = folder
        self._config = config

    @cached_property
    def base(self) -> str:
        """What every key holds: the settings, the package's files and the versions (made
        once per build, and only by a build that reads a model page)."""
        parts = (_config_text(self._config), _package_digest(), sys.version)
        return _digest(*parts, sphinx.__version__, docutils.__version__)

    def key(self, env: BuildEnvironment, text: str, *context: str) -> str:
        """The digest of everything reading the model page being read, of ``text``,
        depends on; ``context``: what else the parser's result depends on (whether the
        builder makes quotes typographic)."""
        docname = env.docname
        # where the file is too: its nodes name it, for the locations of later warnings
        return _digest(self.base, text, docname, str(env.doc2path(docname)), *context)

    def restore(
        self, env: BuildEnvironment, domain: Domain, document: nodes.document, key: str
    ) -> bool:
        """Fill ``document`` (and the environment, and ``domain``) from the entry kept for
        its page under ``key``; False when there is none, or another key's."""
        docname = env.docname
        body = _read(_path(self.folder, docname), key)
        if body is None:
            return False
        try:
            kept, metadata, noted = pickle.loads(body)
        except _DAMAGED:  # read the page instead
            return False
        vars(document).update({k: v for k, v in vars(kept).items() if k not in _LIVE})
        for node in document.findall():
            if getattr(node, "_document", None) is kept:
                node.document = document
        for child in document.children:
            child.parent = document
        env.metadata[docname].update(metadata)
        domain.merge_domaindata({docname}, noted)
        return True

    def keep(
        self, env: BuildEnvironment, domain: Domain, document: nodes.document, key: str
    ) -> None:
        """Keep what reading the page made (its doctree as parsed, metadata, what it noted
        in ``domain``)."""
        docname = env.docname
        noted: dict[str, Any] = {
            name: {d: v for d, v in domain.data[name].items() if d == docname} for name in _PER_PAGE
        }
        pages, records = domain.data["pages"], domain.data["records"]
        noted["pages"] = {s: e for s, e in pages.items() if e[0] == docname}
        noted["records"] = {s: records[s] for s in noted["pages"]}
        live = {name: getattr(document, name) for name in _LIVE[:3]}
        try:
            for name in live:
                setattr(document, name, None)
            body = pickle.dumps(
                (document, dict(env.metadata[docname]), noted), pickle.HIGHEST_PROTOCOL
            )
        except _UNPICKLABLE:
            return  # something on the page cannot be kept: it is read every time
        finally:
            for name, value in live.items():
                setattr(document, name, value)
        _write(_path(self.folder, docname), key, body)

    def kept(self, name: str, inputs: Sequence[str], make: Callable[[], T]) -> T:
        """``make()``, a value made from ``inputs`` (texts of files) by the package's code,
        kept under ``name`` (one entry per name) and made again when they change."""
        key = _digest(self.base, *inputs)
        path = self.folder / "kept" / f"{_digest(name)[:32]}.pickle"
        body = _read(path, key)
        if body is not None:
            try:
                value: T = pickle.loads(body)
                return value
            except _DAMAGED:
                pass
        value = make()
        with contextlib.suppress(*_UNPICKLABLE):  # not kept: made again next time
            _write(path, key, pickle.dumps(value, pickle.HIGHEST_PROTOCOL))
        return value

    def kept_text(self, name: str, key: str, make: Callable[[], str]) -> str:
        """:meth:`kept` for a text made from one ``key`` (a poster's band, say)."""
        return self.kept(name, [key], make)


def _digest(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode() + b"\0")
    return digest.hexdigest()


def _read(path: Path, key: str) -> bytes | None:
    """The body of the entry at ``path`` if it was kept under ``key``."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    head, _, body = data.partition(b"\n")
    return body if head == key.encode() else None


def _write(path: Path, key: str, body: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        partial.write_bytes(key.encode() + b"\n" + body)
        partial.replace(path)  # readers see the whole entry or none
    except OSError:
        pass  # not kept: made again next time


def _path(folder: Path, docname: str) -> Path:
    return folder / f"{hashlib.sha256(docname.encode()).hexdigest()[:32]}.page"


def _config_text(config: Config) -> str:
    """The values of every setting whose change makes Sphinx read all pages again."""
    return repr(sorted((c.name, _stable(c.value)) for c in config.filter(frozenset({"env"}))))


def _stable(value: object) -> object:
    """``value`` in a form whose ``repr`` is the same in every process (sets in order)."""
    if isinstance(value, dict):
        return sorted((repr(k), _stable(v)) for k, v in value.items())
    if isinstance(value, set | frozenset):
        return sorted(repr(_stable(v)) for v in value)
    if isinstance(value, list | tuple):
        return [_stable(v) for v in value]
    return value


@cache
def _package_digest() -> str:
    """Changes with any file of the package: its code, templates and translations."""
    digest = hashlib.sha256()
    files = (p for p in _PACKAGE.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    for path in sorted(files):
        digest.update(path.relative_to(_PACKAGE).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()

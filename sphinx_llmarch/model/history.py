"""When each model file was added and when it changed, read from the project's git history.

The first commit that adds a model file is the day it was added; every later commit that
touches it changed its facts, and its subject says how.  Dates are the commits' own
(committer dates), so the same history always reads the same: a build does not depend on
the day it runs.  A copy without that history (a release archive, a shallow clone, a
machine without git) reads as no history, with the reason.  Pure: no Sphinx.
"""

from __future__ import annotations

import hashlib
import itertools
import subprocess
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path

#: what a shallow clone lacks, and how to get it
SHALLOW = (
    "this copy of the project is a shallow clone, which lacks the model files' history "
    "(git fetch --unshallow brings it)"
)
NO_GIT = "git is not installed here"
NO_REPOSITORY = (
    "this copy of the project has no git history (a release archive, for example), "
    "so when each model was added or changed is not known"
)
UNTRACKED = "no commit in this repository adds the model files"
#: separators of git's output: records, fields
_RECORD, _FIELD = "\x1e", "\x1f"


@dataclass(frozen=True)
class Change:
    """One commit's changes to the model files."""

    commit: str
    #: the committer's date, ISO 8601 with its offset
    date: str
    subject: str
    #: models added by it, and models whose file it changed (slugs, sorted)
    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()

    @property
    def day(self) -> str:
        return self.date[:10]

    @property
    def slugs(self) -> tuple[str, ...]:
        return self.added + self.changed


@dataclass(frozen=True)
class History:
    """The changes, newest first; ``missing`` says why there are none to read ('' if
    the history was read)."""

    changes: tuple[Change, ...] = ()
    missing: str = ""

    @property
    def updated(self) -> str | None:
        """The date of the newest change."""
        return self.changes[0].date if self.changes else None

    def added_on(self) -> dict[str, str]:
        """Each model's date of addition."""
        return {slug: c.date for c in reversed(self.changes) for slug in c.added}

    def digest(self) -> str:
        """A key of everything the history says."""
        return hashlib.sha256(repr(self).encode()).hexdigest()[:24]


@dataclass
class _Commit:
    commit: str
    date: str
    subject: str
    files: list[tuple[str, str, str]] = field(default_factory=list)  # status, old, new


def read_history(models_dir: Path, slugs: Collection[str] | None = None) -> History:
    """The history of the model files in ``models_dir``; only the models ``slugs`` (by
    default those there now) are named."""
    folder = Path(models_dir)
    current = set(slugs) if slugs is not None else {p.stem for p in folder.glob("*.yaml")}
    try:
        shallow = _git(folder, "rev-parse", "--is-shallow-repository")
        if shallow is None:
            return History(missing=NO_REPOSITORY)
        if shallow.strip() == "true":
            return History(missing=SHALLOW)
        log = _git(
            folder,
            "log",
            "--reverse",
            "--relative",
            "-M",
            "--name-status",
            "-z",
            f"--format={_RECORD}%H{_FIELD}%cI{_FIELD}%s",
            "--",
            ".",
        )
    except FileNotFoundError:
        return History(missing=NO_GIT)
    if log is None:
        return History(missing=NO_REPOSITORY)
    changes = list(_changes(_commits(log), current))
    if not changes:
        return History(missing=UNTRACKED)
    return History(tuple(reversed(changes)))


def _git(folder: Path, *args: str) -> str | None:
    """git's output, run in ``folder``; None where it fails (not a repository)."""
    run = subprocess.run(
        ["git", "-c", "core.quotepath=false", "-c", "log.showSignature=false", *args],
        cwd=folder,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        check=False,
    )
    return run.stdout if run.returncode == 0 else None


def _commits(log: str) -> Iterator[_Commit]:
    """The commits of ``git log -z --name-status``, oldest first."""
    for record in log.split(_RECORD)[1:]:
        head, _, rest = record.partition("\0")
        commit, date, subject = head.split(_FIELD, 2)
        entry = _Commit(commit, date, subject.strip())
        words = [w for w in rest.lstrip("\n").split("\0") if w]
        i = 0
        while i < len(words):
            status = words[i]
            if status[:1] in "RC" and i + 2 < len(words):
                entry.files.append((status[0], words[i + 1], words[i + 2]))
                i += 3
            else:
                entry.files.append((status[0], words[i + 1], words[i + 1]))
                i += 2
        yield entry


def _slug(path: str) -> str | None:
    """The model a path of the models folder is the file of, if any."""
    return path.removesuffix(".yaml") if path.endswith(".yaml") and "/" not in path else None


def _changes(commits: Iterator[_Commit], current: set[str]) -> Iterator[Change]:
    """Each commit's models added and changed, of the models in ``current``, named as
    they are now: a renamed file is the same model, added when its first name was."""
    alive: dict[str, int] = {}  # slug -> the file's identity
    identities = itertools.count()
    found: list[tuple[_Commit, set[int], set[int]]] = []
    for c in commits:
        added: set[int] = set()
        changed: set[int] = set()
        for status, old, new in c.files:
            before, slug = _slug(old), _slug(new)
            ident = alive.pop(before, None) if status in "RD" and before else None
            if status == "D" or slug is None:
                continue
            if status != "R":
                ident = alive.get(slug)
            if ident is None:
                ident = next(identities)
                added.add(ident)
            else:
                changed.add(ident)
            alive[slug] = ident
        found.append((c, added, changed))
    now = {ident: slug for slug, ident in alive.items() if slug in current}
    for c, added, changed in found:
        born = tuple(sorted(now[i] for i in added if i in now))
        touched = tuple(sorted(now[i] for i in changed - added if i in now))
        if born or touched:
            yield Change(c.commit, c.date, c.subject, born, touched)

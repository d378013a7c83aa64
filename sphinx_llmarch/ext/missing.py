"""What to say about a model a page names but cannot use: one message for every directive
and role, naming the cause (no such file, with the likely slug; or the file's first
problem) rather than a bare "unknown"."""

from __future__ import annotations

from ..model.loader import LoadedModel
from ..model.store import ModelStore, did_you_mean


def usable(store: ModelStore, slug: str) -> LoadedModel | None:
    """The model ``slug`` when the store holds a valid file of it."""
    if store.origin(slug) is None:
        return None
    return store.load(slug).model


def cannot_use(store: ModelStore, slug: str) -> str:
    path = store.path(slug)
    if not path.is_file():
        hint = did_you_mean(slug, store.slugs())
        return f"unknown model '{slug}': there is no {path.name} {store.where()}{hint}"
    result = store.load(slug)
    if result.model is None or not result.problems:
        count = len(result.problems)
        if not count:
            return f"model '{slug}' has no page or diagram in this project to link to"
        first = result.problems[0]
        more = f", {count - 1} more" if count > 1 else ""
        return f"model '{slug}' is invalid (see {first.file}:{first.line}{more})"
    return f"model '{slug}' is an unfinished draft"

"""Loading the model a directive or role names: one place notes the dependency and warns."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from docutils import nodes

from ..model.loader import LoadResult
from .domain import domain_of
from .missing import cannot_use
from .state import state_of
from .warnings import warn, warn_problems

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment

Location = str | tuple[str | None, int | None] | nodes.Node | None


def has_page(env: BuildEnvironment, path: Path) -> bool:
    """Whether the model file is itself a page of this project (and reports its own problems)."""
    docname = env.path2doc(str(path))
    return docname is not None and docname in env.found_docs


def load_model(
    env: BuildEnvironment, slug: str, location: Location, consequence: str
) -> LoadResult | None:
    """The model file ``slug`` for the current page, or None when there is none.

    Notes the dependency first (a page naming a missing file is read again once it
    appears) and the mention (for backlinks).  A missing or invalid file gets one warning
    at ``location`` saying ``consequence``, once per page and model; the file's own
    problems are reported too (once) when it is not a page of this project, which would
    report them itself.
    """
    store = state_of(env).store
    path = store.path(slug)
    env.note_dependency(str(path))
    result = store.load(slug) if path.is_file() else None
    if result is not None and result.model is not None:
        domain_of(env).note_reference(env.docname, slug)
        return result
    if domain_of(env).first_report(env.docname, slug):
        warn(f"{cannot_use(store, slug)}; {consequence}", "model", location)
    if result is not None and not has_page(env, path):
        state = state_of(env)
        if path not in state.reported:  # a file of no page: its problems, once per build
            state.reported.add(path)
            warn_problems(result.problems, path)
    return result


def unavailable(slug: str, result: LoadResult | None) -> nodes.admonition:
    """What the page shows instead of a model it cannot show."""
    if result is None:
        return placeholder(f"Unknown model '{slug}'", [])
    return placeholder(f"Model '{slug}' is invalid", [str(p) for p in result.problems])


def placeholder(title: str, lines: list[str]) -> nodes.admonition:
    box = nodes.admonition(classes=["llmarch-missing"])
    box += nodes.title("", title)
    if lines:
        items = nodes.bullet_list()
        for text in lines:
            items += nodes.list_item("", nodes.paragraph("", text))
        box += items
    return box

"""The family tree chart on a page: which model follows the architecture of which, each
edge saying what changed, its words in the build's language."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from ..describe.changes import changes
from ..draw import charts
from ..draw.compose import inline_graph
from ..mechanisms.words import N_
from .i18n import words_of
from .state import state_of

if TYPE_CHECKING:
    from sphinx.application import Sphinx

Summaries = Mapping[str, Mapping[str, Any]]

#: what a page without the drawing shows
UNAVAILABLE = N_("[family tree unavailable]")


def family_tree_html(
    app: Sphinx, summaries: Summaries, page: Callable[[str], str | None], compare: str | None
) -> str:
    """The family tree of ``summaries``' models, in a frame that scrolls sideways; its
    boxes link each model's ``page``, its edges ``compare`` where given.  Raises what
    drawing it raises."""
    words = words_of(app.config)
    urls = {slug: page(slug) for slug in summaries}
    dot = charts.family_tree_dot(summaries, urls, _family_changes(app, summaries), compare, words)
    raw = state_of(app.env).renderer.cache.get(dot)
    svg = inline_graph(
        raw,
        "llmarch-family-tree",
        words(N_("Family tree")),
        words(N_("Which model follows the architecture of which.")),
    )
    # it scrolls sideways: a region the keyboard can reach and scroll
    name = words(N_("Family tree, scrolls sideways")).replace('"', "&quot;")
    frame = '<div class="llmarch-diagram llmarch-tree" tabindex="0" role="region" '
    frame += f'aria-label="{name}">'
    return f"{frame}{svg}</div>"


def _family_changes(app: Sphinx, summaries: Summaries) -> dict[str, list[str]]:
    """What changed from each model's base to it, for the family tree's edges."""
    state = state_of(app.env)
    found = {}
    for slug, summary in summaries.items():
        pair = (summary["based_on"], slug)
        if pair[0] in summaries and pair not in state.family_changes:
            base, model = state.store.load(pair[0]).model, state.store.load(slug).model
            if base is not None and model is not None:
                state.family_changes[pair] = changes(base, model)
        if pair in state.family_changes:
            found[slug] = state.family_changes[pair]
    return found

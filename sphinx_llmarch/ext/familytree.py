"""The family tree chart on a page: which model follows the architecture of which, each
edge saying what changed, its words in the build's language."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from ..describe.changes import changes
from ..draw import charts
from ..draw.compose import inline_graph
from ..mechanisms.words import N_
from .domain import domain_of
from .i18n import words_of
from .state import BuildState, state_of

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

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
    """What changed from each model's base to it, for the family tree's edges: kept in the
    environment for models with pages (see :func:`note_family_changes`), made once per
    build for the others."""
    state, kept = state_of(app.env), domain_of(app.env).family
    found = {}
    for slug, summary in summaries.items():
        base = summary["based_on"]
        if base not in summaries:
            continue
        if slug in kept and kept[slug][0] == base:
            found[slug] = kept[slug][1]
            continue
        pair = (base, slug)
        if pair not in state.family_changes:
            made = _changes(state, base, slug)
            if made is None:
                continue
            state.family_changes[pair] = made
        found[slug] = state.family_changes[pair]
    return found


def note_family_changes(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-updated``: what changed to each model whose base has a page too, made when
    either page was read again (reading one drops what was kept, see ``clear_doc``), and
    kept with the environment: a family tree then loads no model file that did not
    change (at 400 models, loading them all took a second of every edit's build)."""
    domain = domain_of(env)
    if ("chart", "family-tree") not in {k for shown in domain.aggregates.values() for k in shown}:
        return  # no page shows a tree
    pages, kept = domain.pages, domain.family
    state = state_of(env)
    for slug, page in pages.items():
        base = page[3]["based_on"]
        if base in pages and base != slug and slug not in kept:
            made = _changes(state, base, slug)
            if made is not None:
                kept[slug] = (base, made)


def _changes(state: BuildState, base: str, slug: str) -> list[str] | None:
    """What changed from ``base`` to ``slug``, if both load; kept in the cache folder by
    the two files' texts, since a build from scratch whose model pages come from there
    would load both files again for it."""
    store = state.store

    def make() -> list[str] | None:
        old, new = store.load(base).model, store.load(slug).model
        return changes(old, new) if old is not None and new is not None else None

    if state.page_cache is None:
        return make()
    try:
        texts = [store.path(s).read_text(encoding="utf-8") for s in (base, slug)]
    except (OSError, UnicodeDecodeError):
        return make()
    return state.page_cache.kept(f"family {base} {slug}", texts, make)


def setup_family_tree(app: Sphinx) -> None:
    app.connect("env-updated", note_family_changes)

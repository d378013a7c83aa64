"""A model page's "Compare with…": a model to pick as B, and links to its most similar
models, opening the site's compare page (the page holding ``llmarch-compare-app``) with this
model as A.

The page itself names only its similar models; the picker's full list comes from one
script of every model's name (:data:`.export.NAMES_SCRIPT`), shared by all model pages.
Listing every model in every page made each page depend on every model's name: renaming
one model rewrote all model pages, and the site grew with the square of the models. The
placeholder depends on where the compare page is and on the similar models' names (see
:func:`.aggregates.add_kind`).
"""

from __future__ import annotations

from docutils import nodes

from ..describe.similarity import all_similar
from .aggregates import Page, add_kind, first_page_showing
from .domain import LlmarchDomain
from .export import NAMES_SCRIPT
from .html import compare_with_html
from .nodes import llmarch_aggregate

KIND = "compare-with"
#: how many similar models are linked directly
SIMILAR = 3


def _compare_page(domain: LlmarchDomain) -> str | None:
    """The docname of the page with the compare view, if the site has one."""
    return first_page_showing(domain, "compare-app")


def _similar(domain: LlmarchDomain, slug: str) -> list[str] | None:
    """The models linked directly, as the page's "Similar models" list last computed them."""
    similar = domain.snapshot.get("pages", {}).get(slug, {}).get("similar")
    return None if similar is None else list(similar[:SIMILAR])


def _shows(domain: LlmarchDomain, slug: str) -> object:
    """What the control shows: the compare page, and its similar models' slugs and names."""
    similar = _similar(domain, slug) or []
    names = [(s, domain.pages[s][2]) for s in similar if s in domain.pages]
    return _compare_page(domain), names


def compare_with_node(domain: LlmarchDomain, docname: str, slug: str) -> nodes.Element:
    """The placeholder for ``slug``'s page, noted so the page follows the other models."""
    domain.note_aggregate(docname, KIND, slug)
    return llmarch_aggregate(kind=KIND, arg=slug)


def _fill(p: Page, node: nodes.Element, slug: str) -> list[nodes.Node]:
    target = _compare_page(p.domain)
    action = p.uri(target) if target else None
    if not p.html or action is None or slug not in p.summaries:
        return []
    similar = _similar(p.domain, slug)
    if similar is None:
        similar = all_similar(p.summaries)[slug][:SIMILAR]
    html = compare_with_html(slug, p.summaries, action, similar, p.static(NAMES_SCRIPT))
    return [nodes.raw("", html, format="html")]


add_kind(KIND, _fill, _shows)

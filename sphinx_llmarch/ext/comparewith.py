"""A model page's "Compare with…": every other model to pick as B, and links to its most
similar models, opening the site's compare page (the page holding ``llmarch-compare-app``)
with this model as A.

The placeholder depends on the other models' names and on where the compare page is, so
the model page is rewritten when those change (see :func:`.aggregates.add_kind`); its
similar models are followed like the page's own "Similar models" list.
"""

from __future__ import annotations

from docutils import nodes

from ..describe.similarity import all_similar
from .aggregates import Page, add_kind
from .domain import LlmarchDomain
from .html import compare_with_html
from .nodes import llmarch_aggregate

KIND = "compare-with"
#: how many similar models are linked directly
SIMILAR = 3


def _compare_page(domain: LlmarchDomain) -> str | None:
    """The docname of the page with the compare view, if the site has one."""
    pages = [
        d for d, shown in domain.aggregates.items() if any(k == "compare-app" for k, _ in shown)
    ]
    return min(pages, default=None)


def _shows(domain: LlmarchDomain, slug: str) -> object:
    """What the control shows: the compare page, and every model's slug and name."""
    return _compare_page(domain), [(s, page[2]) for s, page in sorted(domain.pages.items())]


def compare_with_node(domain: LlmarchDomain, docname: str, slug: str) -> nodes.Element:
    """The placeholder for ``slug``'s page, noted so the page follows the other models."""
    domain.note_aggregate(docname, KIND, slug)
    return llmarch_aggregate(kind=KIND, arg=slug)


def _fill(p: Page, node: nodes.Element, slug: str) -> list[nodes.Node]:
    target = _compare_page(p.domain)
    action = p.uri(target) if target else None
    if not p.html or action is None or slug not in p.summaries:
        return []
    similar = p.domain.snapshot.get("pages", {}).get(slug, {}).get("similar")
    if similar is None:
        similar = all_similar(p.summaries)[slug]
    html = compare_with_html(slug, p.summaries, action, similar[:SIMILAR])
    return [nodes.raw("", html, format="html")]


add_kind(KIND, _fill, _shows)

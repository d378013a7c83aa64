"""A model page's way on: the models before and after it in the gallery's order (newest
first), and the way back to its card in the gallery.

The placeholder depends on the two neighbours and on where the gallery is, so a model page
is rewritten only when those change (see :func:`.aggregates.add_kind`), not each time any
model is added.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from docutils import nodes

from .aggregates import Page, add_kind, first_page_showing
from .domain import LlmarchDomain
from .nodes import llmarch_aggregate
from .state import after_reading

KIND = "neighbours"


def card_id(slug: str) -> str:
    """The id of a model's card in the gallery."""
    return f"llmarch-card-{slug}"


def _order(summaries: Mapping[str, Mapping[str, Any]]) -> tuple[str, ...]:
    """The gallery's order: newest first (undated last), then by slug."""
    dated = sorted((s["release_date"] or "", s["slug"]) for s in summaries.values())
    return tuple(slug for _, slug in reversed(dated))


def _around(order: tuple[str, ...], slug: str) -> tuple[str | None, str | None]:
    """The newer and the older neighbour of ``slug``."""
    if slug not in order:
        return None, None
    at = order.index(slug)
    return (order[at - 1] if at else None), (order[at + 1] if at + 1 < len(order) else None)


def _gallery_page(domain: LlmarchDomain) -> str | None:
    return first_page_showing(domain, "gallery")


def _shows(domain: LlmarchDomain, slug: str) -> object:
    order = after_reading(domain.env, "order-of-pages", lambda: _order(domain.summaries()))
    newer, older = _around(order, slug)
    names = {s: domain.pages[s][2] for s in (newer, older) if s and s in domain.pages}
    return _gallery_page(domain), newer, older, names


def neighbours_node(domain: LlmarchDomain, docname: str, slug: str) -> nodes.Element:
    """The placeholder for ``slug``'s page, noted so the page follows its neighbours."""
    domain.note_aggregate(docname, KIND, slug)
    return llmarch_aggregate(kind=KIND, arg=slug)


def _link(p: Page, slug: str, rel: str, text: str) -> str:
    """``text`` with the model's name in place of ``{}``: a link to its page, if it has one."""
    words = html.escape(text.format(p.summaries[slug]["name"]))
    uri = p.page(slug)
    if uri is None:
        return f'<span class="llmarch-{rel}">{words}</span>'
    return f'<a class="llmarch-{rel}" rel="{rel}" href="{html.escape(uri)}">{words}</a>'


def _fill(p: Page, node: nodes.Element, slug: str) -> list[nodes.Node]:
    if not p.html or slug not in p.summaries:
        return []
    order = after_reading(p.app.env, "order-of-views", lambda: _order(p.summaries))
    newer, older = _around(order, slug)
    parts = []
    if newer:
        parts.append(_link(p, newer, "prev", "← Newer: {}"))
    gallery = _gallery_page(p.domain)
    uri = p.uri(gallery) if gallery else None
    if uri is not None:
        back = html.escape(f"{uri}#{card_id(slug)}")
        parts.append(f'<a class="llmarch-to-gallery" href="{back}">Back to the gallery</a>')
    if older:
        parts.append(_link(p, older, "next", "Older: {} →"))
    if not parts:
        return []
    body = "".join(parts)
    text = f'<nav class="llmarch-neighbours" aria-label="Other models">{body}</nav>'
    return [nodes.raw("", text, format="html")]


add_kind(KIND, _fill, _shows)

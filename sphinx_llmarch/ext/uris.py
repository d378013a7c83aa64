"""Addresses of pages in outputs that hold only some of them.

LaTeX and Texinfo hold the pages of the toctree (their builders raise ``NoUri`` for the
others); the single-page HTML holds them too, but answers ``#document-<page>`` for any
page, an anchor that exists only for pages of the toctree. Model pages are orphans, so in
those outputs a link to one has no target: callers show the text alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sphinx.errors import NoUri

if TYPE_CHECKING:
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment


def _toctree_pages(env: BuildEnvironment) -> set[str]:
    """The root page and every page its toctrees reach, directly or not."""
    seen, todo = set(), [env.config.root_doc]
    while todo:
        docname = todo.pop()
        if docname not in seen:
            seen.add(docname)
            todo.extend(env.toctree_includes.get(docname, ()))
    return seen


def in_output(builder: Builder, docname: str) -> bool:
    """Whether the output has a place for ``docname`` that a link can reach."""
    if builder.name != "singlehtml":
        return True
    # the set is fixed once reading ends; kept on the builder, which lives for one build
    pages: set[str] | None = getattr(builder, "_llmarch_toctree_pages", None)
    if pages is None:
        pages = _toctree_pages(builder.env)
        builder._llmarch_toctree_pages = pages  # type: ignore[attr-defined]
    return docname in pages


def relative_page_uri(builder: Builder, fromdoc: str, todoc: str) -> str | None:
    """The address of ``todoc`` from ``fromdoc``, or None where the output lacks that page."""
    if not in_output(builder, todoc):
        return None
    try:
        return builder.get_relative_uri(fromdoc, todoc)
    except NoUri:
        return None


def anchor_uri(builder: Builder, fromdoc: str, todoc: str, anchor: str) -> str | None:
    """The address of ``anchor`` on ``todoc``: on the single HTML page every id is unique
    and the page's own address is already a fragment, so the anchor stands alone."""
    uri = relative_page_uri(builder, fromdoc, todoc)
    if uri is None or not anchor:
        return uri
    return f"#{anchor}" if builder.name == "singlehtml" else f"{uri}#{anchor}"


def takes_query(builder: Builder) -> bool:
    """Whether a page's address can carry a query (``compare.html?a=…``): not where it is a
    fragment of the single HTML page."""
    return builder.name != "singlehtml"

"""Long pages made light: diagrams drawn as they come into view, fact tables folded.

A page with many diagrams (the long articles) keeps its first diagrams inline; each later
one is written beside the page as a small script holding its SVG exactly as the page
would have inlined it (marks, concept links relative to the page), and the page holds a
box of the diagram's size in its place. ``llmarch-lazy.js`` loads the script when the box
nears the window and puts the diagram in; without scripts the box shows the diagram's
standalone SVG files (:mod:`.diagramfiles`). A script rather than a file to read, because
a page opened from a file may load a script but not read another file. Model fact tables
on such a page are folded under a summary line, closed.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from docutils import nodes

from .i18n import N_, label
from .nodes import llmarch_diagram

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: a page with more diagrams than this is long; its first diagrams stay inline
LONG_PAGE = 4
INLINE_FIRST = 2
#: the builders whose pages run the page's scripts (an e-book's need not)
LAZY_BUILDERS = frozenset({"html", "dirhtml"})


def lighten(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``: on a long page, the later diagrams load lazily and the model
    fact tables fold."""
    if app.builder.name not in LAZY_BUILDERS:
        return
    diagrams = list(doctree.findall(llmarch_diagram))
    if len(diagrams) <= LONG_PAGE:
        return
    stem = docname.replace("/", "--")
    for i, diagram in enumerate(diagrams[INLINE_FIRST:], start=INLINE_FIRST + 1):
        diagram["lazy"] = f"{stem}-{i}"
    for view in list(doctree.findall(nodes.container)):
        if "llmarch" in view["classes"]:
            # the table, or the wrapper a theme's transform put it in
            tables = [t for t in view.children if isinstance(t, nodes.Element)]
            for table in tables:
                if "llmarch-facts" in table["classes"]:
                    fold(table, str(view.get("model", "")))


def fold(table: nodes.Element, name: str) -> None:
    """``table`` in a ``<details>`` element, closed, under a line that names it (HTML only:
    the raw nodes are for the HTML writer)."""
    text = label(N_("Facts of %(name)s")) % {"name": name} if name else label(N_("Facts"))
    opening = nodes.raw(
        "",
        f'<details class="llmarch-fold"><summary>{html.escape(text)}</summary>\n',
        format="html",
    )
    parent = table.parent
    at = parent.index(table)
    parent.insert(at, opening)
    parent.insert(at + 2, nodes.raw("", "</details>\n", format="html"))

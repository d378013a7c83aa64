"""The fact table of a model, and plain tables, as docutils nodes (work for every builder).

A page holds them inside a :class:`llmarch_table`, beside its tree rather than in it, while
it is read: every transform of reading walks every node of a page, and a model page's fact
and memory tables were two thirds of its nodes (a comparison's table, half of an article's
nodes).  They hold text and links only, which no transform of reading has to see; they
join the tree when it is resolved: tables with links to other pages (``linked``) first,
for those links to be resolved, the others after everything that resolves references,
images and code (none of which they need).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from ..describe.rows import Link, Part, Row
from .i18n import label

if TYPE_CHECKING:
    from sphinx.application import Sphinx


class llmarch_table(nodes.General, nodes.Element):  # noqa: N801 - docutils style
    """A table (``node['table']``) kept out of the tree until the page is resolved."""


def held(table: nodes.table, *, linked: bool = False) -> llmarch_table:
    """``table`` held out of the tree; ``linked``: it holds references to resolve."""
    return llmarch_table(table=table, linked=linked)


def expand_tables(doctree: nodes.Node, *, linked_only: bool = False) -> None:
    """Put each held table (``linked_only``: each with references) in the tree, in its
    holder's place."""
    for holder in list(doctree.findall(llmarch_table)):
        if holder.get("linked") or not linked_only:
            table = holder["table"]
            # a copy of the tree (docutils copies attributes, not the nodes they hold)
            # shares the table with the original: the second to expand it takes a copy
            holder.replace_self(table if table.parent is None else table.deepcopy())


class ExpandLinkedTables(SphinxPostTransform):
    """Before references are resolved (Sphinx's resolver, at 10)."""

    default_priority = 5

    def run(self, **kwargs: object) -> None:
        expand_tables(self.document, linked_only=True)


class ExpandTables(SphinxPostTransform):
    """After the post-transforms that resolve references, images and code (none of which
    a held table without references needs), before the theme wraps tables in a frame that
    scrolls (furo, at 500) and the link checker collects its links (800)."""

    default_priority = 499

    def run(self, **kwargs: object) -> None:
        expand_tables(self.document)


def setup_tables(app: Sphinx) -> None:
    app.add_node(llmarch_table)
    app.add_post_transform(ExpandLinkedTables)
    app.add_post_transform(ExpandTables)
    # the tables of the views of many models, filled in once the page is resolved
    app.connect("doctree-resolved", lambda app, doctree, docname: expand_tables(doctree), 550)


def cell(parts: Sequence[Part]) -> list[nodes.Node]:
    """Text and links of a row's cell, as inline nodes."""
    return [
        nodes.reference("", p.text, refuri=p.url, internal=False)
        if isinstance(p, Link)
        else nodes.Text(p)
        for p in parts
    ]


def fact_table(rows: Sequence[Row], classes: list[str] | None = None) -> llmarch_table:
    table = nodes.table(classes=["llmarch-facts", *(classes or [])])
    group = nodes.tgroup(cols=2)
    table += group
    group += nodes.colspec(colwidth=28, stub=1)
    group += nodes.colspec(colwidth=72)
    body = nodes.tbody()
    group += body
    for row in rows:
        line = nodes.row()
        line += nodes.entry("", nodes.paragraph("", label(row.label)))
        line += nodes.entry("", nodes.paragraph("", "", *cell(row.parts)))
        body += line
    return held(table)


def plain_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[Sequence[nodes.Node]]],
    widths: Sequence[int],
    classes: list[str],
    *,
    stub: bool = False,
) -> nodes.table:
    """A table with a header row, of text and inline nodes; ``stub``: its first column
    names the rows."""
    out = nodes.table(classes=classes)
    group = nodes.tgroup(cols=len(headers))
    out += group
    for i, width in enumerate(widths):
        group += nodes.colspec(colwidth=width, stub=int(stub and i == 0))
    head = nodes.thead()
    row = nodes.row()
    for text in headers:
        row += nodes.entry("", nodes.paragraph("", text))
    head += row
    group += head
    body = nodes.tbody()
    for cells in rows:
        row = nodes.row()
        for cell in cells:
            row += nodes.entry("", nodes.paragraph("", "", *cell))
        body += row
    group += body
    return out

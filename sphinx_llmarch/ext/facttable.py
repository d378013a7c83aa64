"""The fact table of a model, and plain tables, as docutils nodes (work for every builder)."""

from __future__ import annotations

from collections.abc import Sequence

from docutils import nodes

from ..describe.rows import Link, Part, Row
from .i18n import label


def cell(parts: Sequence[Part]) -> list[nodes.Node]:
    """Text and links of a row's cell, as inline nodes."""
    return [
        nodes.reference("", p.text, refuri=p.url, internal=False)
        if isinstance(p, Link)
        else nodes.Text(p)
        for p in parts
    ]


def fact_table(rows: Sequence[Row], classes: list[str] | None = None) -> nodes.table:
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
    return table


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

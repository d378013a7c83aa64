"""The fact table of a model, as plain docutils nodes (works for every builder)."""

from __future__ import annotations

from collections.abc import Sequence

from docutils import nodes

from ..describe.rows import Link, Part, Row


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
        line += nodes.entry("", nodes.paragraph("", row.label))
        line += nodes.entry("", nodes.paragraph("", "", *cell(row.parts)))
        body += line
    return table

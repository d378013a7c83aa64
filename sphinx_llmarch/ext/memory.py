"""Memory on the site: the calculator of every model page, and the memory chart's parts.

Both are complete without a script: a table at the standard contexts (every builder gets
it).  In HTML the table's wrapper carries, as JSON, the coefficients that
:mod:`..model.memory` computes with, and ``llmarch.js`` builds the calculator from them,
so the browser's numbers are Python's.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from docutils import nodes

from ..describe import fmt
from ..describe.memory import context_label, memory_table, sequence_bytes, table_caption
from ..draw.memorychart import MAX_SHOWN
from ..mechanisms.words import ENGLISH, N_, Language
from ..model.memory import STANDARD_CONTEXTS, Coefficients, settings
from .facttable import held, llmarch_table, plain_table

if TYPE_CHECKING:
    from sphinx.writers.html5 import HTML5Translator


class llmarch_memory(nodes.General, nodes.Element):  # noqa: N801 - docutils style
    """A memory table, with ``node['data']`` for the calculator built on it in HTML."""


def visit_memory_html(self: HTML5Translator, node: llmarch_memory) -> None:
    attributes = {"data-llmarch-" + node["role"]: node["data"]}
    self.body.append(self.starttag(node, "div", CLASS=f"llmarch-{node['role']}", **attributes))


def depart_memory_html(self: HTML5Translator, node: llmarch_memory) -> None:
    self.body.append("</div>\n")


def pass_through(self: object, node: nodes.Node) -> None:
    """Other builders show the table alone."""


def _json(data: object) -> str:
    return json.dumps(data, separators=(",", ":"), sort_keys=True)


def _table(
    header: Sequence[str], rows: Sequence[Sequence[str]], classes: list[str]
) -> llmarch_table:
    cells = [[[nodes.Text(text)] for text in row] for row in rows]
    widths = [30, *([15] * (len(header) - 1))]
    return held(plain_table(header, cells, widths, ["llmarch-memory-table", *classes], stub=True))


def memory_section(
    slug: str, name: str, c: Coefficients, source: str, words: Language = ENGLISH
) -> nodes.section:
    """The "Memory" section of a model page, in ``words``' language."""
    section = nodes.section(ids=[f"llmarch-memory-{slug}"], names=["memory"])
    section += nodes.title("", words(N_("Memory")))
    data = {"settings": settings(), "models": [{"slug": slug, "name": name, **c.as_dict()}]}
    holder = llmarch_memory(role="memory", data=_json(data))
    holder.source, holder.line = source, 1
    holder += nodes.paragraph("", table_caption(c, words), classes=["llmarch-memory-caption"])
    header, rows = memory_table(c, words)
    holder += _table(header, rows, [])
    section += holder
    return section


# --------------------------------------------------------------------------- the chart


def chart_table(
    summaries: Mapping[str, Mapping[str, Any]], words: Language = ENGLISH
) -> llmarch_table:
    """Every model's KV cache plus state at the standard contexts, where it allows them."""
    contexts = [context_label(n) for n in STANDARD_CONTEXTS]
    header = [words(N_("Model")), *contexts, words(N_("Native context"))]
    rows = []
    for s in sorted(summaries.values(), key=lambda s: str(s["name"]).lower()):
        c = Coefficients.from_dict(s["memory"])
        cells = [
            fmt.bytes_iec(sequence_bytes(c, n)) if n <= c.maximum else "–"
            for n in STANDARD_CONTEXTS
        ]
        rows.append([str(s["name"]), *cells, fmt.tokens(c.maximum)])
    return _table(header, rows, ["llmarch-memory-all"])


def chart_holder(
    summaries: Mapping[str, Mapping[str, Any]], shown: Sequence[str], svg: str
) -> llmarch_memory:
    """The chart's wrapper: its data (names, the lines shown first), the SVG, the legend."""
    data = {
        "shown": list(shown),
        "names": {slug: s["name"] for slug, s in sorted(summaries.items())},
        "max": MAX_SHOWN,
    }
    holder = llmarch_memory(role="memory-chart", data=_json(data))
    holder += nodes.raw("", f'<div class="llmarch-chart-scroll">{svg}</div>', format="html")
    legend = "".join(
        f'<li><span class="llmarch-swatch llmarch-series-{i}"></span>'
        f"{html.escape(str(summaries[slug]['name']))}</li>"
        for i, slug in enumerate(shown)
    )
    holder += nodes.raw("", f'<ul class="llmarch-legend">{legend}</ul>', format="html")
    return holder

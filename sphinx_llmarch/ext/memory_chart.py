"""``llmarch-memory-chart``: memory against context for every model, the chosen ones
shown, and every model's memory at the standard contexts (see :mod:`.memory`)."""

from __future__ import annotations

from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

from ..draw.memorychart import MAX_SHOWN, memory_chart
from . import memory
from .aggregates import Page, add_kind, aggregate_node
from .domain import domain_of
from .i18n import words_of
from .missing import cannot_use
from .state import state_of
from .warnings import warn


class MemoryChartDirective(SphinxDirective):
    """``.. llmarch-memory-chart::`` — memory against context, with ``:models: a, b, c``
    shown first (at most 8), and every model's memory at the standard contexts."""

    option_spec: ClassVar[dict[str, Any]] = {"models": directives.unchanged_required}

    def run(self) -> list[nodes.Node]:
        shown = [s.strip() for s in self.options.get("models", "").split(",") if s.strip()]
        for slug in shown:  # models the page names: shown by the views of used models
            domain_of(self.env).note_reference(self.env.docname, slug)
        return aggregate_node(self, "memory-chart", ",".join(shown))


def fill_memory_chart(p: Page, node: nodes.Element, arg: str) -> list[nodes.Node]:
    asked = list(dict.fromkeys(slug for slug in arg.split(",") if slug))
    if len(asked) > MAX_SHOWN:
        warn(
            f"llmarch-memory-chart shows at most {MAX_SHOWN} models at once; "
            f"{', '.join(asked[MAX_SHOWN:])} left out",
            "ref",
            node,
        )
        asked = asked[:MAX_SHOWN]
    unknown = [slug for slug in asked if slug not in p.summaries]
    if unknown:
        store = state_of(p.app.env).store
        reasons = "; ".join(cannot_use(store, slug) for slug in unknown)
        warn(f"llmarch-memory-chart leaves out models: {reasons}", "ref", node)
    shown = [slug for slug in asked if slug in p.summaries]
    words = words_of(p.app.config)
    table = memory.chart_table(p.summaries, words)
    if not p.html:
        return [table]
    return [
        memory.chart_holder(p.summaries, shown, memory_chart(p.summaries, shown, words=words)),
        table,
    ]


add_kind("memory-chart", fill_memory_chart)

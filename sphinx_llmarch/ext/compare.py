"""``llmarch-compare``: models side by side, and one table with their differences marked.

The directive draws each model's diagram and one table with a column per model; cells of
a row whose values differ carry the class ``llmarch-differs``.  ``:rows:`` chooses the
rows, ``:only-differences:`` keeps the rows that differ.  ``llmarch-compare-app`` is the
"compare any two models" page, drawn in the browser from the export.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.util.docutils import SphinxDirective

from ..describe.rows import COMPARE_LABELS, COMPARISON, Row, rows_of
from ..draw.figure import figure_spec
from ..model.loader import LoadedModel
from .aggregates import aggregate_node
from .directives import caption_of, chosen_show, show_option
from .loading import load_model, unavailable
from .nodes import llmarch_diagram
from .state import state_of
from .warnings import warn


def _rows(arg: str | None) -> list[str]:
    keys = [k.strip() for k in (arg or "").split(",") if k.strip()]
    unknown = [k for k in keys if k not in COMPARE_LABELS]
    if unknown:
        raise ValueError(
            f"unknown rows {', '.join(unknown)}; rows are: " + ", ".join(COMPARE_LABELS)
        )
    return keys


def _header(models: Sequence[LoadedModel]) -> nodes.thead:
    head = nodes.thead()
    header = nodes.row()
    header += nodes.entry("", nodes.paragraph("", ""))
    for m in models:
        ref = addnodes.pending_xref(
            "",
            nodes.inline(m.spec.name, m.spec.name),
            refdomain="llmarch",
            reftype="model",
            reftarget=m.slug,
            refexplicit=True,
        )
        header += nodes.entry("", nodes.paragraph("", "", ref))
    head += header
    return head


def difference_table(
    models: Sequence[LoadedModel],
    rows: Sequence[dict[str, Row]],
    keys: Sequence[str] = (),
    only_differences: bool = False,
) -> nodes.table:
    """One column per model; the cells of rows whose values differ are marked."""
    table = nodes.table(classes=["llmarch-compare-table"])
    group = nodes.tgroup(cols=len(models) + 1)
    table += group
    group += nodes.colspec(colwidth=20, stub=1)
    for _ in models:
        group += nodes.colspec(colwidth=40)
    group += _header(models)
    body = nodes.tbody()
    group += body
    for key in keys or COMPARISON:
        cells = [r[key].value for r in rows]
        differs = len(set(cells)) > 1
        if only_differences and not differs:
            continue
        row = nodes.row(classes=["llmarch-differs"] if differs else [])
        row += nodes.entry("", nodes.paragraph("", COMPARE_LABELS[key]))
        for text in cells:
            marked = ["llmarch-differs"] if differs else []
            row += nodes.entry("", nodes.paragraph("", text), classes=marked)
        body += row
    return table


class CompareDirective(SphinxDirective):
    """``.. llmarch-compare:: <slug> <slug> [...]``."""

    required_arguments = 2
    optional_arguments = 4
    option_spec: ClassVar[dict[str, Any]] = {
        "rows": directives.unchanged,
        "only-differences": directives.flag,
        "show": show_option,
        "caption": directives.unchanged,
    }

    def run(self) -> list[nodes.Node]:
        try:
            keys = _rows(self.options.get("rows"))
        except ValueError as exc:
            warn(str(exc), "ref", self.get_location())
            keys = []
        models: list[LoadedModel] = []
        out: list[nodes.Node] = []
        consequence = "it is left out of the comparison"
        for slug in self.arguments:
            result = load_model(self.env, slug, self.get_location(), consequence)
            if result is None or result.model is None:
                out.append(unavailable(slug, result))
            else:
                models.append(result.model)
        if len(models) < 2:
            return out
        return [*out, self._view(models, keys)]

    def _view(self, models: list[LoadedModel], keys: list[str]) -> nodes.container:
        store = state_of(self.env).store
        view = nodes.container(classes=["llmarch-compare"])
        self.set_source_info(view)
        show = chosen_show(self)
        if show in ("both", "diagram"):
            grid = nodes.container(classes=["llmarch-compare-diagrams"])
            for m in models:
                diagram = llmarch_diagram(spec=figure_spec(m, store.figures(m)))
                self.set_source_info(diagram)
                grid += diagram
            view += grid
        if caption := caption_of(self):
            view += nodes.paragraph("", "", *caption, classes=["llmarch-caption"])
        if show in ("both", "table"):
            rows = [rows_of(m, store.figures(m)) for m in models]
            only = "only-differences" in self.options
            view += difference_table(models, rows, keys, only)
        return view


class CompareAppDirective(SphinxDirective):
    """``.. llmarch-compare-app::`` — pick any two models; the choice is kept in the URL."""

    def run(self) -> list[nodes.Node]:
        return aggregate_node(self, "compare-app")

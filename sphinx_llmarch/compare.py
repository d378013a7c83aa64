"""``llmarch-compare``: models side by side, and one table with their differences marked.

The directive draws each model's diagram and one table with a column per model; cells of
a row whose values differ carry the class ``llmarch-differs``.  ``:rows:`` chooses the
rows, ``:only-differences:`` keeps the rows that differ.  ``llmarch-compare-app`` is the
"compare any two models" page, drawn in the browser from the export.
"""

from __future__ import annotations

from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.util.docutils import SphinxDirective

from .aggregates import placeholder
from .diagram import figure_spec
from .directives import placeholder as missing_box
from .envdata import domain_of, model_store
from .loader import LoadedModel
from .nodes import llmarch_diagram
from .records import COMPARE_LABELS, compare_fields
from .store import figures_of
from .warnings import warn


def _rows(arg: str | None) -> list[str]:
    keys = [k.strip() for k in (arg or "").split(",") if k.strip()]
    unknown = [k for k in keys if k not in COMPARE_LABELS]
    if unknown:
        raise ValueError(
            f"unknown rows {', '.join(unknown)}; rows are: " + ", ".join(COMPARE_LABELS)
        )
    return keys


def difference_table(
    models: list[LoadedModel], rows: list[str] | None = None, only_differences: bool = False
) -> nodes.table:
    """One column per model; the cells of rows whose values differ are marked."""
    values = [{k: v for k, _, v in compare_fields(m, figures_of(m))} for m in models]
    keys = rows or list(COMPARE_LABELS)
    table = nodes.table(classes=["llmarch-compare-table"])
    group = nodes.tgroup(cols=len(models) + 1)
    table += group
    group += nodes.colspec(colwidth=20, stub=1)
    for _ in models:
        group += nodes.colspec(colwidth=40)
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
    group += head
    body = nodes.tbody()
    group += body
    for key in keys:
        cells = [v[key] for v in values]
        differs = len(set(cells)) > 1
        if only_differences and not differs:
            continue
        row = nodes.row(classes=["llmarch-differs"] if differs else [])
        row += nodes.entry("", nodes.paragraph("", COMPARE_LABELS[key]))
        for cell in cells:
            row += nodes.entry(
                "", nodes.paragraph("", cell), classes=["llmarch-differs"] if differs else []
            )
        body += row
    return table


class CompareDirective(SphinxDirective):
    """``.. llmarch-compare:: <slug> <slug> [...]``."""

    required_arguments = 2
    optional_arguments = 4
    option_spec: ClassVar[dict[str, Any]] = {
        "rows": directives.unchanged,
        "only-differences": directives.flag,
        "show": lambda arg: directives.choice(arg, ("both", "diagrams", "table")),
        "caption": directives.unchanged,
    }

    def run(self) -> list[nodes.Node]:
        try:
            rows = _rows(self.options.get("rows"))
        except ValueError as exc:
            warn(str(exc), "ref", self.get_location())
            rows = []
        store = model_store(self.env)
        domain = domain_of(self.env)
        models: list[LoadedModel] = []
        out: list[nodes.Node] = []
        for slug in self.arguments:
            path = store.path(slug)
            self.env.note_dependency(str(path))
            result = store.load(slug) if path.is_file() else None
            if result is None or result.model is None:
                warn(
                    f"cannot compare '{slug}': "
                    + (
                        "no such model"
                        if result is None
                        else f"{len(result.problems)} problem(s) in {path.name}"
                    ),
                    "model",
                    self.get_location(),
                )
                out.append(missing_box(f"Model '{slug}' unavailable", []))
                continue
            domain.note_reference(self.env.docname, slug)
            models.append(result.model)
        if len(models) < 2:
            return out
        view = nodes.container(classes=["llmarch-compare"])
        self.set_source_info(view)
        show = self.options.get("show", "both")
        if show in ("both", "diagrams"):
            grid = nodes.container(classes=["llmarch-compare-diagrams"])
            for m in models:
                diagram = llmarch_diagram(spec=figure_spec(m, figures_of(m)))
                self.set_source_info(diagram)
                grid += diagram
            view += grid
        if self.options.get("caption"):
            view += nodes.paragraph("", self.options["caption"], classes=["llmarch-caption"])
        if show in ("both", "table"):
            view += difference_table(models, rows, "only-differences" in self.options)
        return [*out, view]


class CompareAppDirective(SphinxDirective):
    """``.. llmarch-compare-app::`` — pick any two models; the choice is kept in the URL."""

    def run(self) -> list[nodes.Node]:
        return placeholder(self, "compare-app")

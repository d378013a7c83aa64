"""``llmarch-compare``: models one above the other, what differs marked, and one table.

The directive says in one line what differs in the architectures, draws each model's
diagram with the blocks and side panels that differ from the other models' marked
(class ``llmarch-changed``, with a key), and one table with a column per model; cells
of a row whose values differ carry the class ``llmarch-differs``, and a switch shows only
those rows (at first) or all.  ``:rows:`` chooses the rows, ``:only-differences:``
keeps only the rows that differ.  ``llmarch-compare-app`` is the "compare any two
models" page, drawn in the browser from the export.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

from ..describe.changes import aspect_changes, aspects, summary
from ..describe.rows import COMPARE_LABELS, COMPARISON, rows_of
from ..draw.changed import differing, signatures
from ..draw.figure import FigureSpec, figure_spec
from ..mechanisms.words import ENGLISH, N_, Language
from ..model.loader import LoadedModel
from ..model.store import did_you_mean
from .aggregates import aggregate_node
from .comparetable import difference_table, differing_count, row_notes, rows_switch
from .directives import caption_of, chosen_show, show_option
from .facttable import held
from .i18n import words_of
from .loading import load_model, unavailable
from .nodes import llmarch_diagram
from .state import state_of
from .warnings import warn


def _rows(arg: str | None) -> list[str]:
    keys = [k.strip() for k in (arg or "").split(",") if k.strip()]
    unknown = [k for k in keys if k not in COMPARE_LABELS]
    if unknown:
        hint = did_you_mean(unknown[0], list(COMPARE_LABELS)) if len(unknown) == 1 else ""
        raise ValueError(
            f"unknown rows {', '.join(unknown)}{hint} (rows: " + ", ".join(COMPARE_LABELS) + ")"
        )
    return keys


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
        words = words_of(self.config)
        view += summary_lines(models, words)
        show = chosen_show(self)
        if show in ("both", "diagram"):
            specs = marked_specs([figure_spec(m, store.figures(m), words=words) for m in models])
            if any(s.changed for s in specs):
                view += legend(words)
            grid = nodes.container(classes=["llmarch-compare-diagrams"])
            for spec in specs:
                diagram = llmarch_diagram(spec=spec, min_scale=MIN_SCALE)
                self.set_source_info(diagram)
                grid += diagram
            view += grid
        if caption := caption_of(self):
            view += nodes.paragraph("", "", *caption, classes=["llmarch-caption"])
        if show in ("both", "table"):
            view += self._table(models, keys, store.slugs())
        return view

    def _table(self, models: list[LoadedModel], keys: list[str], known: list[str]) -> nodes.Node:
        store = state_of(self.env).store
        rows = [rows_of(m, store.figures(m)) for m in models]
        only = "only-differences" in self.options
        box = nodes.container(classes=["llmarch-compare-rows"])
        differing, total = differing_count(rows, keys), len(keys or COMPARISON)
        if not only and differing < total:  # a switch only where it would hide a row
            ident = f"llmarch-rows-{self.env.new_serialno('llmarch-rows')}"
            box += rows_switch(ident, differing, total)
        box += held(difference_table(models, rows, keys, only, known), linked=True)
        box += row_notes(keys)
        return box


#: the smallest scale of a compared diagram: a narrower column scrolls it sideways
MIN_SCALE = 0.75


def summary_lines(models: Sequence[LoadedModel], words: Language = ENGLISH) -> nodes.container:
    """What differs in the architectures: one line for two models; for more, one line
    per model after the first, from the one before it."""
    box = nodes.container(classes=["llmarch-compare-summary"])
    named = [aspects(m) for m in models]
    for i in range(1, len(models)):
        text = summary(aspect_changes(named[i - 1], named[i]), words)
        if len(models) > 2:
            text = f"{models[i - 1].spec.name} → {models[i].spec.name}: {text}"
        box += nodes.paragraph("", text)
    return box


def marked_specs(specs: Sequence[FigureSpec]) -> list[FigureSpec]:
    """Each diagram with the blocks marked that differ from any other diagram's, and its
    side panels in rows by the part they explain (the same rows in each)."""
    sigs = [signatures(s) for s in specs]
    out = []
    for i, spec in enumerate(specs):
        found: set[str] = set()
        for j, other in enumerate(sigs):
            if j != i:
                found |= differing(sigs[i], other)
        out.append(dataclasses.replace(spec, changed=tuple(sorted(found)), compared=True))
    return out


def legend(words: Language = ENGLISH) -> nodes.paragraph:
    """The key to the mark."""
    key = N_(
        "Outlined: the boxes and side panels that differ between the diagrams "
        "(another mechanism, other sizes, or in one model only)."
    )
    return nodes.paragraph(
        "",
        "",
        nodes.inline("", "", classes=["llmarch-changed-key"]),
        nodes.Text(" " + words(key)),
        classes=["llmarch-compare-legend"],
    )


class CompareAppDirective(SphinxDirective):
    """``.. llmarch-compare-app::`` — pick any two models; the choice is kept in the URL."""

    def run(self) -> list[nodes.Node]:
        return aggregate_node(self, "compare-app")

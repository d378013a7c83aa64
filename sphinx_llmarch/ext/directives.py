"""The ``llmarch`` directive: the diagram and the fact table of one model."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

from ..describe.rows import rows_of, table_rows
from ..draw.figure import figure_spec
from ..mechanisms.words import ENGLISH, Language
from ..model.figures import Figures
from ..model.loader import LoadedModel
from ..model.store import did_you_mean
from .domain import domain_of
from .facttable import fact_table
from .i18n import words_of
from .loading import load_model, unavailable
from .nodes import llmarch_diagram
from .state import state_of
from .warnings import warn

SHOW = ("both", "diagram", "table")
#: spellings of ``:show:`` that earlier versions took, and the one to write now
OLD_SHOW = {"diagrams": "diagram"}


def show_option(arg: str | None) -> str:
    value = (arg or "").strip()
    if value in OLD_SHOW:
        return value
    try:
        return directives.choice(value, SHOW)
    except ValueError as exc:
        raise ValueError(f"{exc}{did_you_mean(value, SHOW)}") from None


def chosen_show(directive: SphinxDirective) -> str:
    """The directive's ``:show:``, an old spelling accepted with a warning."""
    show: str = directive.options.get("show", "both")
    if show in OLD_SHOW:
        new = OLD_SHOW[show]
        warn(
            f":show: {show} is an old spelling; write :show: {new}",
            "deprecated",
            directive.get_location(),
        )
        return new
    return show


def caption_of(directive: SphinxDirective) -> list[nodes.Node]:
    """The ``:caption:`` option, parsed as inline markup (links, emphasis, roles)."""
    text = directive.options.get("caption")
    if not text:
        return []
    found, messages = directive.parse_inline(text, lineno=directive.lineno)
    return [*found, *messages]


def model_view(
    model: LoadedModel,
    figures: Figures,
    *,
    show: str = "both",
    caption: list[nodes.Node] | None = None,
    anchor: str,
    source: str,
    line: int,
    words: Language = ENGLISH,
) -> nodes.container:
    """The nodes of one model's diagram and fact table."""
    view = nodes.container(ids=[anchor], classes=["llmarch"])
    view["model"] = model.spec.name  # the name a folded fact table is shown under
    view.source, view.line = source, line
    if show in ("both", "diagram"):
        figure = nodes.figure(classes=["llmarch-figure"])
        diagram = llmarch_diagram(spec=figure_spec(model, figures, words=words))
        diagram.source, diagram.line = source, line
        figure += diagram
        if caption:
            figure += nodes.caption("", "", *caption)
        view += figure
    elif caption:
        view += nodes.paragraph("", "", *caption, classes=["llmarch-caption"])
    if show in ("both", "table"):
        view += fact_table(table_rows(rows_of(model, figures)))
    return view


class LlmarchDirective(SphinxDirective):
    """``.. llmarch:: <slug>`` — the diagram and fact table of one model."""

    required_arguments = 1
    has_content = False
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {
        "show": show_option,
        "caption": directives.unchanged,
    }

    def run(self) -> list[nodes.Node]:
        slug = self.arguments[0].strip()
        result = load_model(self.env, slug, self.get_location(), "it is not shown")
        if result is None or result.model is None:
            return [unavailable(slug, result)]
        model = result.model
        anchor = domain_of(self.env).note_shown(self.env.docname, slug, model.spec.name)
        source, line = self.get_source_info()
        view = model_view(
            model,
            state_of(self.env).store.figures(model),
            show=chosen_show(self),
            caption=caption_of(self),
            anchor=anchor,
            source=source,
            line=line or self.lineno,
            words=words_of(self.config),
        )
        return [view]

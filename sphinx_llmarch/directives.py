"""The ``llmarch`` directive (diagram + fact table of one model) and ``llmarch-models``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

from .diagram import figure_spec
from .envdata import domain_of, has_page, model_store
from .loader import LoadedModel, LoadResult
from .nodes import llmarch_diagram
from .store import figures_of
from .tables import fact_rows, fact_table
from .warnings import warn

SHOW = ("both", "diagram", "table")


def model_view(
    model: LoadedModel,
    *,
    show: str = "both",
    caption: str | None = None,
    anchor: str,
    source: str,
    line: int,
) -> nodes.container:
    """The nodes of one model's diagram and fact table."""
    figures = figures_of(model)
    view = nodes.container(ids=[anchor], classes=["llmarch"])
    view.source, view.line = source, line
    if show in ("both", "diagram"):
        figure = nodes.figure(classes=["llmarch-figure"])
        diagram = llmarch_diagram(spec=figure_spec(model, figures))
        diagram.source, diagram.line = source, line
        figure += diagram
        if caption:
            figure += nodes.caption("", caption)
        view += figure
    elif caption:
        view += nodes.paragraph("", caption, classes=["llmarch-caption"])
    if show in ("both", "table"):
        view += fact_table(fact_rows(model, figures))
    return view


def placeholder(title: str, lines: list[str]) -> nodes.admonition:
    box = nodes.admonition(classes=["llmarch-missing"])
    box += nodes.title("", title)
    if lines:
        items = nodes.bullet_list()
        for text in lines:
            items += nodes.list_item("", nodes.paragraph("", text))
        box += items
    return box


class LlmarchDirective(SphinxDirective):
    """``.. llmarch:: <slug>`` — the diagram and fact table of one model."""

    required_arguments = 1
    has_content = False
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {
        "show": lambda arg: directives.choice(arg, SHOW),
        "caption": directives.unchanged,
    }

    def run(self) -> list[nodes.Node]:
        slug = self.arguments[0].strip()
        store = model_store(self.env)
        path = store.path(slug)
        # before reading: a page naming a missing file is re-read once the file appears
        self.env.note_dependency(str(path))
        if not path.is_file():
            warn(
                f"unknown model '{slug}': there is no {path.name} in {store.directory}",
                "model",
                self.get_location(),
            )
            return [placeholder(f"Unknown model '{slug}'", [])]
        result = store.load(slug)
        if result.model is None:
            return [self._invalid(slug, path, result)]
        domain = domain_of(self.env)
        anchor = domain.note_shown(self.env.docname, slug, result.model.spec.name)
        source, line = self.get_source_info()
        view = model_view(
            result.model,
            show=self.options.get("show", "both"),
            caption=self.options.get("caption"),
            anchor=anchor,
            source=source,
            line=line or self.lineno,
        )
        return [view]

    def _invalid(self, slug: str, path: Path, result: LoadResult) -> nodes.Node:
        count = len(result.problems)
        warn(
            f"model '{slug}' has {count} problem{'s' if count != 1 else ''} in {path.name}; "
            "it is not shown",
            "model",
            self.get_location(),
        )
        if not has_page(self.env, path):
            # nobody else reports them: the file is not a page of this project
            for p in result.problems:
                warn(
                    f"{p.field}: {p.message}" if p.field else p.message,
                    p.subtype,
                    f"{path}:{p.line}",
                )
        return placeholder(f"Model '{slug}' is invalid", [str(p) for p in result.problems])

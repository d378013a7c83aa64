"""Content built from every model's data: gallery, overview, charts, concept lists, links.

Directives leave an :class:`~.nodes.llmarch_aggregate` placeholder; once every page has
been read, :func:`fill` replaces it from the domain's summaries (``doctree-resolved``).
Pages holding placeholders are rewritten whenever a model changes; model pages, whose
"similar models" and "mentioned in" lists depend on other pages, are rewritten when those
lists change (see :func:`changed_model_pages`).
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective
from sphinx.util.osutil import relative_uri

from . import charts
from .compose import ComposeError, inline_graph
from .concepts import CONCEPTS
from .envdata import domain_of
from .gallery import gallery_html, overview_html
from .nodes import RENDERER, llmarch_aggregate
from .records import all_similar
from .render import RenderError
from .warnings import warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from .domain import LlmarchDomain

#: kinds that read other pages' data, and so make their page an aggregate page
_PAGE_KINDS = ("models", "gallery", "chart", "concept-models", "compare-app")


def placeholder(directive: SphinxDirective, kind: str, arg: str = "") -> list[nodes.Node]:
    node = llmarch_aggregate(kind=kind, arg=arg)
    directive.set_source_info(node)
    if kind in _PAGE_KINDS:
        domain_of(directive.env).note_aggregate(directive.env.docname)
    return [node]


class ModelsDirective(SphinxDirective):
    """``.. llmarch-models::`` — every model in one sortable table."""

    def run(self) -> list[nodes.Node]:
        return placeholder(self, "models")


class GalleryDirective(SphinxDirective):
    """``.. llmarch-gallery::`` — a card per model, to sort, filter and search."""

    option_spec: ClassVar[dict[str, Any]] = {"compare": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        return placeholder(self, "gallery", self.options.get("compare", ""))


class ChartDirective(SphinxDirective):
    """``.. llmarch-chart:: timeline|active-share|kv-cache|family-tree``."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        name = self.arguments[0].strip()
        if name not in charts.CHARTS:
            warn(
                f"unknown chart '{name}' (charts: {', '.join(charts.CHARTS)})",
                "ref",
                self.get_location(),
            )
            return []
        return placeholder(self, "chart", name)


class ConceptModelsDirective(SphinxDirective):
    """``.. llmarch-concept-models:: <key>`` — the models that use a concept."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        key = self.arguments[0].strip()
        if key not in CONCEPTS:
            warn(
                f"unknown concept '{key}' (concepts: {', '.join(CONCEPTS)})",
                "ref",
                self.get_location(),
            )
            return []
        return placeholder(self, "concept-models", key)


# --------------------------------------------------------------------------- filling


def _links(app: Sphinx, docname: str, domain: LlmarchDomain, slugs: list[str]) -> nodes.Node:
    items = nodes.bullet_list(classes=["llmarch-model-list"])
    for slug in slugs:
        page = domain.pages.get(slug)
        if page is None:
            continue
        ref = nodes.reference(
            "", page[2], internal=True, refuri=app.builder.get_relative_uri(docname, page[0])
        )
        items += nodes.list_item("", nodes.paragraph("", "", ref))
    return items


def _raw(text: str) -> nodes.raw:
    return nodes.raw("", text, format="html")


def fill(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    domain = domain_of(app.env)
    summaries = domain.summaries()
    is_html = app.builder.format == "html"

    def page(slug: str) -> str:
        return app.builder.get_relative_uri(docname, domain.pages[slug][0])

    def static(path: str) -> str:
        return relative_uri(app.builder.get_target_uri(docname), path)

    for node in list(doctree.findall(llmarch_aggregate)):
        kind, arg = node["kind"], node["arg"]
        new: list[nodes.Node] = []
        if kind == "models":
            new = (
                [_raw(overview_html(summaries, page))]
                if is_html
                else [_links(app, docname, domain, list(summaries))]
            )
        elif kind == "gallery":
            compare = _docuri(app, docname, arg) if arg else None
            new = (
                [_raw(gallery_html(summaries, page, static, compare))]
                if is_html
                else [_links(app, docname, domain, list(summaries))]
            )
        elif kind == "chart":
            new = (
                _chart(app, node, arg, summaries, page)
                if is_html
                else [nodes.paragraph("", f"[Chart: {arg}]")]
            )
        elif kind == "concept-models":
            users = [slug for slug, s in summaries.items() if arg in s["concepts"]]
            new = (
                [_links(app, docname, domain, users)]
                if users
                else [nodes.paragraph("", "No model in the gallery uses it yet.")]
            )
        elif kind == "similar" and arg in summaries:
            similar = domain.snapshot.get("pages", {}).get(arg, {}).get("similar")
            if similar is None:
                similar = all_similar(summaries)[arg]
            new = [_links(app, docname, domain, similar)]
        elif kind == "backlinks":
            new = [_mentions(app, docname, domain.backlinks().get(arg, []))]
        elif kind == "concepts-of" and arg in summaries:
            new = [_concepts(app, docname, summaries[arg]["concepts"])]
        elif kind == "compare-app":
            new = (
                [_raw(compare_app_html(summaries, static))]
                if is_html
                else [nodes.paragraph("", "The comparison needs a web browser.")]
            )
        for item in new:
            item.source, item.line = node.source, node.line
        node.replace_self(new or [nodes.paragraph("", "")])


def _docuri(app: Sphinx, docname: str, target: str) -> str:
    target = target.removesuffix(".md").removesuffix(".rst").lstrip("/")
    return app.builder.get_relative_uri(docname, target)


def _mentions(app: Sphinx, docname: str, docnames: list[str]) -> nodes.Node:
    if not docnames:
        return nodes.paragraph("", "No article mentions it yet.", classes=["llmarch-empty"])
    items = nodes.bullet_list()
    for other in docnames:
        title = app.env.titles[other].astext() if other in app.env.titles else other
        ref = nodes.reference(
            "", title, internal=True, refuri=app.builder.get_relative_uri(docname, other)
        )
        items += nodes.list_item("", nodes.paragraph("", "", ref))
    return items


def _concepts(app: Sphinx, docname: str, keys: list[str]) -> nodes.Node:
    """Concept names, linked where the docs explain them."""
    labels = app.env.domains["std"].labels
    para = nodes.paragraph(classes=["llmarch-concepts"])
    for i, key in enumerate(keys):
        if i:
            para += nodes.Text(" · ")
        target = labels.get(f"llmarch-concept-{key}")
        if target:
            uri = app.builder.get_relative_uri(docname, target[0]) + f"#{target[1]}"
            para += nodes.reference("", CONCEPTS[key], internal=True, refuri=uri)
        else:
            para += nodes.Text(CONCEPTS[key])
    return para


def _chart(
    app: Sphinx, node: nodes.Element, name: str, summaries: Mapping[str, Any], page: Any
) -> list[nodes.Node]:
    values = list(summaries.values())
    if name == "timeline":
        return [_raw(charts.timeline(values))]
    if name == "active-share":
        return [_raw(charts.active_share(values))]
    if name == "kv-cache":
        return [_raw(charts.kv_cache(values))]
    dot = charts.family_tree_dot(summaries, {slug: page(slug) for slug in summaries})
    try:
        svg = inline_graph(
            RENDERER.cache.get(dot),
            "llmarch-family-tree",
            "Family tree",
            "Which model follows the architecture of which.",
        )
    except (RenderError, ComposeError) as exc:
        warn(f"cannot draw the family tree: {exc}", "render", node)
        return [nodes.paragraph("", "[family tree unavailable]")]
    return [_raw(f'<div class="llmarch-diagram">{svg}</div>')]


def compare_app_html(summaries: Mapping[str, Any], static: Any) -> str:
    """Two pickers, the diagrams and the difference table; ``llmarch.js`` fills them."""
    options = "".join(
        f'<option value="{html.escape(slug)}">{html.escape(s["name"])}</option>'
        for slug, s in sorted(summaries.items(), key=lambda i: i[1]["name"])
    )
    data = html.escape(static("_static/llmarch-data.js"), quote=True)
    return (
        '<div class="llmarch-compare-app" data-llmarch-compare>'
        '<form class="llmarch-compare-pick" method="get">'
        f'<label>Model A <select name="a"><option value=""></option>{options}</select></label> '
        f'<label>Model B <select name="b"><option value=""></option>{options}</select></label> '
        '<button type="submit">Compare</button></form>'
        "<noscript><p>The comparison is drawn by a script; each model page shows its own "
        "diagram and facts.</p></noscript>"
        '<div class="llmarch-compare-result"></div>'
        f'<script src="{data}"></script></div>'
    )


# --------------------------------------------------------------------------- rewriting


def changed_model_pages(env: BuildEnvironment) -> list[str]:
    """Model pages whose similar-models or mentioned-in lists changed since last written."""
    domain = domain_of(env)
    summaries = domain.summaries()
    backlinks = domain.backlinks()
    similar = all_similar(summaries)
    current = {
        slug: {"similar": similar[slug], "backlinks": backlinks.get(slug, [])} for slug in summaries
    }
    previous = domain.snapshot.get("pages", {})
    changed = [
        domain.pages[slug][0] for slug, state in current.items() if previous.get(slug) != state
    ]
    domain.snapshot["pages"] = current
    return changed

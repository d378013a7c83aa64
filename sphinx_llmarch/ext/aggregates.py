"""Content built from every model's data: gallery, overview, charts, concept lists, links.

Directives leave an :class:`~.nodes.llmarch_aggregate` placeholder; once every page has
been read, :func:`fill` replaces it from the domain's summaries (``doctree-resolved``).
Pages holding placeholders are rewritten whenever a model changes; model pages, whose
"similar models" and "mentioned in" lists depend on other pages, are rewritten when those
lists change (see :func:`changed_model_pages`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective
from sphinx.util.osutil import relative_uri

from ..describe.concepts import all_concepts
from ..describe.similarity import all_similar
from ..draw import charts
from ..draw.compose import ComposeError, inline_graph
from ..draw.engine import RenderError
from ..draw.memorychart import MAX_SHOWN, memory_chart
from . import memory
from .domain import LlmarchDomain, domain_of
from .html import compare_app_html, gallery_html, overview_html
from .nodes import llmarch_aggregate
from .state import state_of
from .warnings import warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

#: what a placeholder shows of the models' data, as plain data: its page is rewritten
#: when this changes
Shows = Callable[[LlmarchDomain, str], object]


def _everything(domain: LlmarchDomain, arg: str) -> object:
    """Every model's page, title and summary."""
    return [(slug, page[0], page[2], page[3]) for slug, page in sorted(domain.pages.items())]


def _users(domain: LlmarchDomain, concept: str) -> object:
    """The pages and titles of the models using ``concept``."""
    return [
        (slug, page[0], page[2])
        for slug, page in sorted(domain.pages.items())
        if concept in page[3]["concepts"]
    ]


#: kinds that read other pages' data, and so make their page an aggregate page
_PAGE_KINDS: dict[str, Shows] = {
    "models": _everything,
    "gallery": _everything,
    "chart": _everything,
    "concept-models": _users,
    "compare-app": _everything,
    "memory-chart": _everything,
}


def aggregate_node(directive: SphinxDirective, kind: str, arg: str = "") -> list[nodes.Node]:
    node = llmarch_aggregate(kind=kind, arg=arg)
    directive.set_source_info(node)
    if kind in _PAGE_KINDS:
        domain_of(directive.env).note_aggregate(directive.env.docname, kind, arg)
    return [node]


class ModelsDirective(SphinxDirective):
    """``.. llmarch-models::`` — every model in one sortable table."""

    def run(self) -> list[nodes.Node]:
        return aggregate_node(self, "models")


class GalleryDirective(SphinxDirective):
    """``.. llmarch-gallery::`` — a card per model, to sort, filter and search."""

    option_spec: ClassVar[dict[str, Any]] = {"compare": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        return aggregate_node(self, "gallery", self.options.get("compare", ""))


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
        return aggregate_node(self, "chart", name)


class MemoryChartDirective(SphinxDirective):
    """``.. llmarch-memory-chart::`` — memory against context, with ``:models: a, b, c``
    shown first (at most 8), and every model's memory at the standard contexts."""

    option_spec: ClassVar[dict[str, Any]] = {"models": directives.unchanged_required}

    def run(self) -> list[nodes.Node]:
        shown = [s.strip() for s in self.options.get("models", "").split(",") if s.strip()]
        return aggregate_node(self, "memory-chart", ",".join(shown))


class ConceptModelsDirective(SphinxDirective):
    """``.. llmarch-concept-models:: <key>`` — the models that use a concept."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        key = self.arguments[0].strip()
        concepts = all_concepts()
        if key not in concepts:
            warn(
                f"unknown concept '{key}' (concepts: {', '.join(concepts)})",
                "ref",
                self.get_location(),
            )
            return []
        return aggregate_node(self, "concept-models", key)


# --------------------------------------------------------------------------- filling


@dataclass
class Page:
    """The page being written, and what filling its placeholders needs."""

    app: Sphinx
    docname: str
    domain: LlmarchDomain
    summaries: dict[str, dict[str, Any]]

    @property
    def html(self) -> bool:
        return self.app.builder.format == "html"

    def page(self, slug: str) -> str:
        return self.app.builder.get_relative_uri(self.docname, self.domain.pages[slug][0])

    def static(self, path: str) -> str:
        return relative_uri(self.app.builder.get_target_uri(self.docname), path)

    def uri(self, docname: str) -> str:
        return self.app.builder.get_relative_uri(self.docname, docname)

    def links(self, slugs: list[str]) -> nodes.Node:
        items = nodes.bullet_list(classes=["llmarch-model-list"])
        for slug in slugs:
            page = self.domain.pages.get(slug)
            if page is not None:
                ref = nodes.reference("", page[2], internal=True, refuri=self.uri(page[0]))
                items += nodes.list_item("", nodes.paragraph("", "", ref))
        return items


Filler = Callable[[Page, nodes.Element, str], list[nodes.Node]]


def _raw(text: str) -> nodes.raw:
    return nodes.raw("", text, format="html")


def _models(p: Page, node: nodes.Element, arg: str) -> list[nodes.Node]:
    if not p.html:
        return [p.links(list(p.summaries))]
    return [_raw(overview_html(p.summaries, p.page))]


def _gallery(p: Page, node: nodes.Element, arg: str) -> list[nodes.Node]:
    if not p.html:
        return [p.links(list(p.summaries))]
    compare = p.uri(arg.removesuffix(".md").removesuffix(".rst").lstrip("/")) if arg else None
    return [_raw(gallery_html(p.summaries, p.page, p.static, compare))]


def _concept_models(p: Page, node: nodes.Element, arg: str) -> list[nodes.Node]:
    users = [slug for slug, s in p.summaries.items() if arg in s["concepts"]]
    if not users:
        return [nodes.paragraph("", "No model in the gallery uses it yet.")]
    return [p.links(users)]


def _similar(p: Page, node: nodes.Element, arg: str) -> list[nodes.Node]:
    if arg not in p.summaries:
        return []
    similar = p.domain.snapshot.get("pages", {}).get(arg, {}).get("similar")
    return [p.links(similar if similar is not None else all_similar(p.summaries)[arg])]


def _backlinks(p: Page, node: nodes.Element, arg: str) -> list[nodes.Node]:
    docnames = p.domain.backlinks().get(arg, [])
    if not docnames:
        return [nodes.paragraph("", "No article mentions it yet.", classes=["llmarch-empty"])]
    titles = p.app.env.titles
    items = nodes.bullet_list()
    for other in docnames:
        title = titles[other].astext() if other in titles else other
        ref = nodes.reference("", title, internal=True, refuri=p.uri(other))
        items += nodes.list_item("", nodes.paragraph("", "", ref))
    return [items]


def _concepts_of(p: Page, node: nodes.Element, arg: str) -> list[nodes.Node]:
    """Concept names, linked where the docs explain them."""
    if arg not in p.summaries:
        return []
    labels = p.app.env.domains["std"].labels
    titles = all_concepts()
    para = nodes.paragraph(classes=["llmarch-concepts"])
    for i, key in enumerate(p.summaries[arg]["concepts"]):
        if i:
            para += nodes.Text(" · ")
        target = labels.get(f"llmarch-concept-{key}")
        if target:
            uri = p.uri(target[0]) + f"#{target[1]}"
            para += nodes.reference("", titles[key], internal=True, refuri=uri)
        else:
            para += nodes.Text(titles[key])
    return [para]


def _compare_app(p: Page, node: nodes.Element, arg: str) -> list[nodes.Node]:
    if not p.html:
        return [nodes.paragraph("", "The comparison needs a web browser.")]
    return [_raw(compare_app_html(p.summaries, p.static))]


def _chart(p: Page, node: nodes.Element, name: str) -> list[nodes.Node]:
    if not p.html:
        return [nodes.paragraph("", f"[Chart: {name}]")]
    values = list(p.summaries.values())
    drawn = {"timeline": charts.timeline, "active-share": charts.active_share}
    drawn["kv-cache"] = charts.kv_cache
    if name in drawn:
        return [_raw(drawn[name](values))]
    urls = {slug: p.page(slug) for slug in p.summaries}
    dot = charts.family_tree_dot(p.summaries, urls)
    try:
        raw = state_of(p.app.env).renderer.cache.get(dot)
        svg = inline_graph(
            raw,
            "llmarch-family-tree",
            "Family tree",
            "Which model follows the architecture of which.",
        )
    except (RenderError, ComposeError) as exc:
        warn(f"cannot draw the family tree: {exc}", "render", node)
        return [nodes.paragraph("", "[family tree unavailable]")]
    return [_raw(f'<div class="llmarch-diagram">{svg}</div>')]


def _memory_chart(p: Page, node: nodes.Element, arg: str) -> list[nodes.Node]:
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
        warn(f"llmarch-memory-chart: unknown model(s) {', '.join(unknown)}", "ref", node)
    shown = [slug for slug in asked if slug in p.summaries]
    table = memory.chart_table(p.summaries)
    if not p.html:
        return [table]
    return [memory.chart_holder(p.summaries, shown, memory_chart(p.summaries, shown)), table]


_FILLERS: dict[str, Filler] = {
    "models": _models,
    "gallery": _gallery,
    "chart": _chart,
    "concept-models": _concept_models,
    "similar": _similar,
    "backlinks": _backlinks,
    "concepts-of": _concepts_of,
    "compare-app": _compare_app,
    "memory-chart": _memory_chart,
}


def add_kind(kind: str, filler: Filler, shows: Shows = _everything) -> None:
    """A placeholder kind built from every model's data, and what of it the kind shows."""
    _FILLERS[kind] = filler
    _PAGE_KINDS[kind] = shows


def fill(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    domain = domain_of(app.env)
    page = Page(app, docname, domain, domain.summaries())
    for node in list(doctree.findall(llmarch_aggregate)):
        new = _FILLERS[node["kind"]](page, node, node["arg"])
        for item in new:
            item.source, item.line = node.source, node.line
        node.replace_self(new or [nodes.paragraph("", "")])


# --------------------------------------------------------------------------- rewriting


def changed_aggregate_pages(env: BuildEnvironment) -> list[str]:
    """Pages built from every model's data whose data changed since they were last written."""
    domain = domain_of(env)
    memo: dict[tuple[str, str], str] = {}

    def digest(kind: str, arg: str) -> str:
        shows = _PAGE_KINDS[kind]
        key = ("", "") if shows is _everything else (kind, arg)
        if key not in memo:
            memo[key] = hashlib.sha256(repr(shows(domain, arg)).encode()).hexdigest()
        return memo[key]

    current = {
        docname: [digest(kind, arg) for kind, arg in shown]
        for docname, shown in domain.aggregates.items()
    }
    previous = domain.snapshot.get("aggregates", {})
    domain.snapshot["aggregates"] = current
    return sorted(docname for docname, shown in current.items() if previous.get(docname) != shown)


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

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
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective
from sphinx.util.osutil import relative_uri

from ..describe.concepts import all_concepts
from ..describe.similarity import all_similar
from ..draw import charts
from ..draw.compose import ComposeError
from ..draw.engine import RenderError
from ..draw.postersvg import poster_svg
from ..model.store import did_you_mean
from .domain import LlmarchDomain, domain_of
from .export import POSTER_FILES
from .familytree import UNAVAILABLE, family_tree_html
from .html import compare_app_html, gallery_html, overview_html, poster_html
from .i18n import words_of
from .nodes import llmarch_aggregate
from .scope import (
    empty_view,
    everything,
    poster_entries,
    scoped_summaries,
    users,
    write_images,
)
from .state import after_reading, state_of
from .uris import anchor_uri, relative_page_uri, takes_query
from .warnings import warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

#: what a placeholder shows of the models' data, as plain data: its page is rewritten
#: when this changes
Shows = Callable[[LlmarchDomain, str], object]


#: kinds that read other pages' data, and so make their page an aggregate page
_PAGE_KINDS: dict[str, Shows] = {
    "models": everything,
    "gallery": everything,
    "chart": everything,
    "concept-models": users,
    "compare-app": everything,
    "poster": everything,
}


def aggregate_node(
    directive: SphinxDirective, kind: str, arg: str = "", **extra: str
) -> list[nodes.Node]:
    node = llmarch_aggregate(kind=kind, arg=arg, **extra)
    directive.set_source_info(node)
    if kind in _PAGE_KINDS:
        domain_of(directive.env).note_aggregate(directive.env.docname, kind, arg)
        node["view"] = True  # a view of many models: never empty in silence
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
    """``.. llmarch-chart:: timeline|active-share|kv-cache|family-tree``; ``:compare:`` names
    the compare page the family tree's edges link to."""

    required_arguments = 1
    option_spec: ClassVar[dict[str, Any]] = {"compare": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        name = self.arguments[0].strip()
        if name not in charts.CHARTS:
            warn(
                f"unknown chart '{name}'{did_you_mean(name, list(charts.CHARTS))} "
                f"(charts: {', '.join(charts.CHARTS)})",
                "ref",
                self.get_location(),
            )
            return []
        return aggregate_node(self, "chart", name, compare=self.options.get("compare", ""))


class PosterDirective(SphinxDirective):
    """``.. llmarch-poster::`` — every model to one scale, to pan and zoom, with its files."""

    def run(self) -> list[nodes.Node]:
        return aggregate_node(self, "poster")


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

    def page(self, slug: str) -> str | None:
        """The address of the model's page, else of its first diagram; None where there is
        neither (a bundled model a page only quotes) or the output leaves them out."""
        place = self.domain.locate(slug)
        if place is None:
            return None
        return anchor_uri(self.app.builder, self.docname, place.docname, place.anchor)

    def static(self, path: str) -> str:
        return relative_uri(self.app.builder.get_target_uri(self.docname), path)

    def uri(self, docname: str) -> str | None:
        """The address of ``docname`` from this page; None where the output leaves that
        page out (LaTeX, Texinfo and the single HTML page hold only the toctree's pages)."""
        return relative_page_uri(self.app.builder, self.docname, docname)

    def link(self, text: str, docname: str, anchor: str = "") -> nodes.Node:
        """A link to ``docname``, or the text alone where the output has no such page."""
        target = anchor_uri(self.app.builder, self.docname, docname, anchor)
        if target is None:
            return nodes.Text(text)
        return nodes.reference("", text, internal=True, refuri=target)

    def doc_uri(self, path: str) -> str | None:
        """The address of the compare page given as an option (``compare``, suffix allowed),
        which links add a query to; None where an address cannot take one."""
        if not takes_query(self.app.builder):
            return None
        return self.uri(path.removesuffix(".md").removesuffix(".rst").lstrip("/"))

    def links(self, slugs: list[str]) -> nodes.Node:
        items = nodes.bullet_list(classes=["llmarch-model-list"])
        for slug in slugs:
            place = self.domain.locate(slug)
            if place is not None or slug in self.summaries:
                ref = (
                    self.link(place.title, place.docname, place.anchor)
                    if place
                    else nodes.Text(self.summaries[slug]["name"])
                )
                items += nodes.list_item("", nodes.paragraph("", "", ref))
        return items


Filler = Callable[[Page, nodes.Element, str], list[nodes.Node]]


def _raw(text: str) -> nodes.raw:
    """HTML built from every model's data, kept out of the site search's index: its words
    (cards, table cells, the text of charts) are the model pages' own, and would make
    every list a hit for every model's name and mechanism."""
    return nodes.raw("", text, format="html", classes=["no-search"])


def _models(p: Page, node: nodes.Element, arg: str) -> list[nodes.Node]:
    if not p.html:
        return [p.links(list(p.summaries))]
    return [_raw(overview_html(p.summaries, p.page))]


def _gallery(p: Page, node: nodes.Element, arg: str) -> list[nodes.Node]:
    if not p.html:
        return [p.links(list(p.summaries))]
    write_images(p.app.env, Path(p.app.outdir), p.summaries)
    compare = p.doc_uri(arg) if arg else None
    return [_raw(gallery_html(p.summaries, p.page, p.static, compare))]


def _concept_models(p: Page, node: nodes.Element, arg: str) -> list[nodes.Node]:
    using = [slug for slug, s in p.summaries.items() if arg in s["concepts"]]
    if not using:
        return [nodes.paragraph("", "No model in the gallery uses it yet.")]
    return [p.links(using)]


def _similar(p: Page, node: nodes.Element, arg: str) -> list[nodes.Node]:
    if arg not in p.summaries:
        return []
    similar = p.domain.snapshot.get("pages", {}).get(arg, {}).get("similar")
    return [p.links(similar if similar is not None else all_similar(p.summaries)[arg])]


def _backlinks(p: Page, node: nodes.Element, arg: str) -> list[nodes.Node]:
    # every model page asks, and each answer walks every page's mentions
    docnames = after_reading(p.app.env, "backlinks", p.domain.backlinks).get(arg, [])
    if not docnames:
        return [nodes.paragraph("", "No article mentions it yet.", classes=["llmarch-empty"])]
    titles = p.app.env.titles
    items = nodes.bullet_list()
    for other in docnames:
        title = titles[other].astext() if other in titles else other
        ref = p.link(title, other)
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
        para += p.link(titles[key], target[0], target[1]) if target else nodes.Text(titles[key])
    return [para]


def _compare_app(p: Page, node: nodes.Element, arg: str) -> list[nodes.Node]:
    if not p.html:
        return [nodes.paragraph("", "The comparison needs a web browser.")]
    write_images(p.app.env, Path(p.app.outdir), p.summaries)
    return [_raw(compare_app_html(p.summaries, p.static))]


def _chart(p: Page, node: nodes.Element, name: str) -> list[nodes.Node]:
    if not p.html:
        return [nodes.paragraph("", f"[Chart: {name}]")]
    values = list(p.summaries.values())
    drawn: dict[str, Callable[..., str]] = {"timeline": charts.timeline}
    drawn |= {"active-share": charts.active_share, "kv-cache": charts.kv_cache}
    if name in drawn:
        return [_raw(drawn[name](values, p.page, words=words_of(p.app.config)))]
    compare = p.doc_uri(node["compare"]) if node.get("compare") else None
    try:
        return [_raw(family_tree_html(p.app, p.summaries, p.page, compare))]
    except (RenderError, ComposeError) as exc:
        warn(f"cannot draw the family tree: {exc}", "render", node)
        return [nodes.paragraph("", words_of(p.app.config)(UNAVAILABLE))]


def _poster(p: Page, node: nodes.Element, arg: str) -> list[nodes.Node]:
    state = state_of(p.app.env)
    state.poster = True  # its files are written once the build ends
    files = {key: p.static(name) for key, name in POSTER_FILES.items()}
    if not p.html:
        return [nodes.paragraph("", "[Poster: every model to scale]")]
    memo = state.page_cache.kept_text if state.page_cache else None
    words = words_of(p.app.config)
    svg = poster_svg(poster_entries(p.summaries), "page", p.page, words, memo)
    return [_raw(poster_html(svg, files))]


_FILLERS: dict[str, Filler] = {
    "models": _models,
    "gallery": _gallery,
    "chart": _chart,
    "concept-models": _concept_models,
    "similar": _similar,
    "backlinks": _backlinks,
    "concepts-of": _concepts_of,
    "compare-app": _compare_app,
    "poster": _poster,
}


def first_page_showing(domain: LlmarchDomain, kind: str) -> str | None:
    """The first page (by docname) holding a view of ``kind``, if any: where model pages
    link to the gallery or the compare page."""

    def find() -> str | None:
        shown = domain.aggregates.items()
        return min((d for d, kinds in shown if any(k == kind for k, _ in kinds)), default=None)

    return after_reading(domain.env, f"first-page-showing-{kind}", find)


def add_kind(kind: str, filler: Filler, shows: Shows = everything) -> None:
    """A placeholder kind built from every model's data, and what of it the kind shows."""
    _FILLERS[kind] = filler
    _PAGE_KINDS[kind] = shows


def fill(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    holders = list(doctree.findall(llmarch_aggregate))
    if not holders:
        return
    domain = domain_of(app.env)
    pages: dict[bool, Page] = {}  # views of many models show the scoped set
    for node in holders:
        many = node["kind"] in _PAGE_KINDS
        if many not in pages:
            summaries = (
                scoped_summaries(app.env)
                if many
                else after_reading(app.env, "page-summaries", domain.summaries)
            )
            pages[many] = Page(app, docname, domain, summaries)
        page = pages[many]
        if node.get("view") and not page.summaries:
            new = empty_view(app.env, node)
        else:
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
        key = ("", "") if shows is everything else (kind, arg)
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
    # the last build's lists: only the rows an edited model can enter or leave change
    similar = all_similar(summaries, last=domain.snapshot.get("similar"))
    domain.snapshot["similar"] = similar
    current = {
        slug: {"similar": similar[slug], "backlinks": backlinks.get(slug, [])} for slug in summaries
    }
    previous = domain.snapshot.get("pages", {})
    changed = [
        domain.pages[slug][0] for slug, state in current.items() if previous.get(slug) != state
    ]
    domain.snapshot["pages"] = current
    return changed

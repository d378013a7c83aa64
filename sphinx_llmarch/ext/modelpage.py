"""Every model file is a page: a source parser for ``models/<slug>.yaml``.

Registering ``.yaml`` as a source suffix makes Sphinx discover, read, rebuild
and remove model pages like any other document, with no generated files in the
source tree (which would make sphinx-autobuild loop).  The page shows the
diagram, the fact table and the recorded notes; a broken file gives located
warnings and a placeholder page, and the rest of the build goes on.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.parsers import Parser

from ..describe.concepts import search_names
from ..describe.records import record_of
from ..draw.figure import figure_spec
from ..mechanisms.words import Language
from ..model.figures import Figures
from ..model.memory import Coefficients
from ..model.schema import ModelSpec, Note
from .cards import prepare_card
from .comparewith import compare_with_node
from .directives import model_view
from .domain import domain_of
from .i18n import words_of
from .loading import placeholder
from .memory import memory_section
from .neighbours import neighbours_node
from .nodes import llmarch_aggregate, llmarch_diagram
from .scope import summary_for
from .state import state_of
from .typography import educate_page, skip_smartquotes, smartquotes_on
from .warnings import warn, warn_problems, warnings_made

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment


class ModelPageParser(Parser):
    """Parse a model YAML file into the model's page."""

    supported = ("llmarch-model",)

    def parse(self, inputstring: str, document: nodes.document) -> None:
        env, domain = document.settings.env, domain_of(document.settings.env)
        cache = state_of(env).page_cache
        key = cache.key(env, inputstring, str(smartquotes_on(document))) if cache else ""
        if cache and cache.restore(env, domain, document, key):
            skip_smartquotes(document)
            return
        before = warnings_made()
        self._page(document)
        educate_page(document)
        if cache and warnings_made() == before and not any(document.findall(nodes.system_message)):
            cache.keep(env, domain, document, key)

    def _page(self, document: nodes.document) -> None:
        env = document.settings.env
        docname = env.docname
        path = Path(env.doc2path(docname)).resolve()
        source = str(path)
        store = state_of(env).store
        # model pages are reached from the gallery and the overview, not the sidebar
        env.metadata[docname]["orphan"] = True
        if path.parent != store.directory:
            warn(
                f"{path.name} is a .yaml source outside llmarch_models_dir ({store.directory}); "
                "exclude it with exclude_patterns",
                "config",
                (docname, None),
            )
            return
        # the file as loaded (and cached) for the gallery, the roles and other pages, rather
        # than a second parse of the same text
        result = store.load_path(path, source)
        section = nodes.section(ids=[f"llmarch-page-{path.stem}"], names=[path.stem])
        section.source, section.line = source, 1
        document += section
        if result.model is None:
            warn_problems(result.problems, source)
            section += nodes.title("", path.stem)
            section += placeholder(
                f"{path.name} has {len(result.problems)} problem(s)",
                [str(p).removeprefix(source + ":").lstrip() for p in result.problems],
            )
            return
        model = result.model
        spec = model.spec
        figures = store.figures(model)
        section += nodes.title("", spec.name)
        if result.problems:  # a draft: shown, marked, and reported
            warn_problems(result.problems, source)
            section += _draft_banner(spec)
        summary, record = summary_for(model, figures), record_of(model, figures)
        domain_of(env).note_page(spec.slug, docname, spec.name, summary, record)
        section += concept_index(summary["concepts"], section["ids"][0])
        if spec.editorial and spec.editorial.summary:
            section += nodes.paragraph("", spec.editorial.summary, classes=["llmarch-summary"])
            # what a shared link and a search result show of the page (OpenGraph readers)
            env.metadata[docname]["og:description"] = spec.editorial.summary
        section += _at(compare_with_node(domain_of(env), docname, spec.slug), source)
        words = words_of(env.config)
        anchor = f"llmarch-{spec.slug}"
        view = model_view(model, figures, anchor=anchor, source=source, line=1, words=words)
        for diagram in view.findall(llmarch_diagram):
            # the page's diagram also provides the gallery's thumbnail and the compare page's
            # images, as standalone files
            diagram["export"] = True
            diagram["thumb"] = figure_spec(model, figures, "thumb", words)
            if env.config.llmarch_social_cards:
                diagram["card"] = prepare_card(model, figures, env.metadata[docname])
        section += view
        section += _sections(spec, figures, source, words)
        if spec.notes:
            section += _notes(spec.slug, spec.notes)
        section += _at(neighbours_node(domain_of(env), docname, spec.slug), source)


def _at(node: nodes.Element, source: str) -> nodes.Element:
    """A placeholder of the page, placed at the model file's start (for its warnings)."""
    node.source, node.line = source, 1
    return node


def concept_index(concepts: list[str], target: str) -> addnodes.index:
    """Index entries for the names of the concepts the model uses: the general index lists
    the model under 'MLA', 'SWA'…, and the site search finds it by them."""
    names = search_names()
    entries = sorted({n for key in concepts for n in names.get(key, ())}, key=str.lower)
    return addnodes.index(entries=[("single", n, target, "main", None) for n in entries])


def _sections(spec: ModelSpec, figures: Figures, source: str, words: Language) -> list[nodes.Node]:
    """What follows the diagram and facts: memory, concepts, similar models, mentions."""
    c = Coefficients.of(
        figures, maximum=spec.context.native, state=spec.architecture.state_precision
    )
    out: list[nodes.Node] = [memory_section(spec.slug, spec.name, c, source, words)]
    for title, kind in (
        ("Concepts", "concepts-of"),
        ("Similar models", "similar"),
        ("Mentioned in", "backlinks"),
    ):
        part = nodes.section(ids=[f"llmarch-{kind}-{spec.slug}"], names=[title.lower()])
        part += nodes.title("", title)
        holder = llmarch_aggregate(kind=kind, arg=spec.slug)
        holder.source, holder.line = source, 1
        part += holder
        out.append(part)
    return out


def _notes(slug: str, notes: list[Note]) -> nodes.section:
    part = nodes.section(ids=[f"llmarch-notes-{slug}"], names=["notes on the sources"])
    part += nodes.title("", "Notes on the sources")
    items = nodes.bullet_list()
    for note in notes:
        para = nodes.paragraph()
        if note.field:
            para += nodes.literal("", note.field)
            para += nodes.Text(": ")
        para += nodes.Text(note.text + " ")
        if note.source:
            para += nodes.reference("", "(source)", refuri=note.source)
        items += nodes.list_item("", para)
    part += items
    return part


def readable_model_page(env: BuildEnvironment, docname: str) -> bool:
    """False for a model file that Sphinx cannot decode as text (it would stop the build)."""
    path = Path(env.doc2path(docname))
    if path.suffix != ".yaml":
        return True
    try:
        path.read_bytes().decode(env.config.source_encoding)
    except (OSError, LookupError, UnicodeDecodeError):
        return False
    return True


def _draft_banner(spec: ModelSpec) -> nodes.Node:
    """What a draft's page says above the model: the config keys nobody has resolved yet."""
    return placeholder("Unfinished draft", [f"{d.key} = {d.value}: {d.reason}" for d in spec.draft])


def describe_model_page(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """A model page's meta description is its summary (search results, shared links);
    written before other handlers, which then keep it rather than guess from the text."""
    summary = app.env.metadata.get(pagename, {}).get("og:description")
    if summary and "metatags" in context and pagename in _model_docnames(app.env):
        text = html.escape(str(summary), quote=True)
        context["metatags"] += f'<meta name="description" content="{text}" />\n'


def _model_docnames(env: BuildEnvironment) -> set[str]:
    return {page[0] for page in domain_of(env).pages.values()}

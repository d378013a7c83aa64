"""Which models the views of many models show: ``llmarch_aggregate_models``.

The gallery, the overview table, the charts, the poster, the concept lists, the compare
page and the export show the same set of models:

* ``'used'`` (the default): the project's own models and every other model that one of
  its pages draws, compares, quotes or links;
* ``'all'``: every model the project can load, bundled and its own;
* ``'project'``: the models of the project's own folder only;
* a list of slugs: those models.

Models with a page of their own give the summary made when the page was read; the others
(bundled models in another project) are summarised here, once per build.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes

from ..describe.records import Summary, record_of, summary_of
from ..draw.figure import figure_spec
from ..draw.poster import Entry, entry_of
from ..model.figures import Figures
from ..model.loader import LoadedModel
from ..model.store import did_you_mean
from .diagramfiles import write_diagram_script
from .domain import LlmarchDomain, Place, domain_of
from .i18n import words_of
from .nodes import export_files
from .state import after_reading, state_of
from .warnings import logger, warn

if TYPE_CHECKING:
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

USED, ALL, PROJECT = "used", "all", "project"
SCOPES = (USED, ALL, PROJECT)


def check_scope(config: Config) -> None:
    """Warn about a value that is neither a scope nor a list of slugs; use the default."""
    value = config.llmarch_aggregate_models
    if isinstance(value, str):
        if value not in SCOPES:
            hint = did_you_mean(value, SCOPES)
            warn(
                f"llmarch_aggregate_models: unknown value '{value}'{hint} (values: 'used', "
                "'all', 'project' or a list of slugs); using 'used'",
                "config",
                None,
            )
            config.llmarch_aggregate_models = USED
        return
    if not all(isinstance(slug, str) for slug in value):
        warn("llmarch_aggregate_models: a list holds slugs (strings); using 'used'", "config", None)
        config.llmarch_aggregate_models = USED
        return
    config.llmarch_aggregate_models = [slug.strip() for slug in value]


def check_listed(env: BuildEnvironment) -> None:
    """A listed slug that names no model, reported once per build."""
    value = env.config.llmarch_aggregate_models
    if isinstance(value, str):
        return
    store = state_of(env).store
    known = store.slugs()
    for slug in value:
        if store.origin(slug) is None:
            warn(
                f"llmarch_aggregate_models: unknown model '{slug}'{did_you_mean(slug, known)}",
                "config",
                None,
            )


def log_sources(env: BuildEnvironment) -> None:
    """One line of the build's log: where the models come from, and which of the project's
    files replace bundled ones (``llmarch validate --sources`` lists every slug)."""
    store = state_of(env).store
    own, bundled = store.project_slugs(), store.bundled_slugs()
    replaced = sorted(set(own) & set(bundled))
    text = f"llmarch: {len(own)} model(s) in {store.directory}, {len(bundled)} bundled"
    if replaced:
        text += f"; the project's file replaces the bundled one for {', '.join(replaced)}"
    logger.info(text)


def uses_pages(env: BuildEnvironment) -> bool:
    """Whether the set depends on what the pages name (it changes when a page does)."""
    return bool(env.config.llmarch_aggregate_models == USED)


def scoped_slugs(env: BuildEnvironment) -> list[str]:
    """The slugs of the valid models the views show, sorted."""
    store, domain = state_of(env).store, domain_of(env)
    value = env.config.llmarch_aggregate_models
    if value == ALL:
        candidates = set(store.slugs())
    elif value == PROJECT:
        candidates = set(store.project_slugs())
    elif value == USED:
        named = {slug for slugs in domain.refs.values() for slug in slugs}
        candidates = {*store.project_slugs(), *domain.pages, *named}
    else:
        candidates = set(value)
    return sorted(s for s in candidates if s in domain.pages or _valid(env, s))


def _valid(env: BuildEnvironment, slug: str) -> bool:
    store = state_of(env).store
    return store.origin(slug) is not None and store.load(slug).model is not None


def summary_for(model: LoadedModel, figures: Figures) -> Summary:
    """The model's summary, with its stack as the poster and the cards draw it (``poster``),
    so that no view of many models loads every model file again."""
    return {**summary_of(model, figures), "poster": entry_of(model, figures)}


def poster_entries(summaries: Mapping[str, Summary]) -> list[Entry]:
    """The stacks of the models of ``summaries``, by slug, as the poster draws them."""
    return [summaries[slug]["poster"] for slug in sorted(summaries)]


def scoped_summaries(env: BuildEnvironment) -> dict[str, Summary]:
    """The summaries of the models the views show, by slug; made once per build after
    reading (every model page asks, and making them is linear in the models)."""
    return after_reading(env, "scoped-summaries", lambda: _scoped_summaries(env))


def _scoped_summaries(env: BuildEnvironment) -> dict[str, Summary]:
    domain, state = domain_of(env), state_of(env)
    out: dict[str, Summary] = {}
    for slug in scoped_slugs(env):
        page = domain.pages.get(slug)
        if page is not None:
            out[slug] = page[3]
            continue
        if slug not in state.summaries:
            model = state.store.load(slug).model
            assert model is not None  # scoped_slugs keeps valid models only
            state.summaries[slug] = summary_for(model, state.store.figures(model))
        out[slug] = state.summaries[slug]
    return out


def scoped_records(env: BuildEnvironment) -> dict[str, dict[str, Any]]:
    """The export records of the models the views show, by slug."""
    domain, store = domain_of(env), state_of(env).store
    out: dict[str, dict[str, Any]] = {}
    for slug in scoped_slugs(env):
        record = domain.records.get(slug)
        if record is None:
            model = store.load(slug).model
            assert model is not None
            record = record_of(model, store.figures(model))
        out[slug] = record
    return out


def shown(env: BuildEnvironment) -> list[tuple[str, Place | None, Summary]]:
    """What the views show, as plain data: their pages are rewritten when it changes."""
    domain = domain_of(env)
    return [(slug, domain.locate(slug), s) for slug, s in scoped_summaries(env).items()]


def write_images(env: BuildEnvironment, outdir: Path, slugs: Iterable[str]) -> None:
    """The standalone diagrams (thumbnail and full) of shown models without a page of their
    own, which model pages write for theirs: for the gallery's cards and the compare page."""
    state, pages = state_of(env), domain_of(env).pages
    for slug in slugs:
        if slug in pages or slug in state.images:
            continue
        state.images.add(slug)
        model = state.store.load(slug).model
        if model is not None:
            figures = state.store.figures(model)
            words = words_of(env.config)
            spec = figure_spec(model, figures, words=words)
            thumb = figure_spec(model, figures, "thumb", words)
            export_files(outdir, state.renderer, spec, thumb)
            write_diagram_script(outdir, state.renderer, spec)


def empty_view(env: BuildEnvironment, node: nodes.Element) -> list[nodes.Node]:
    """A view of many models with no model to show: a warning and a note, never silence."""
    why = why_empty(env)
    warn(f"llmarch-{node['kind']} shows no model: {why}", "empty", node)
    return [nodes.paragraph("", f"No model to show: {why}.", classes=["llmarch-empty"])]


def everything(domain: LlmarchDomain, arg: str) -> object:
    """Every shown model's place and summary (what most views show)."""
    return shown(domain.env)


def users(domain: LlmarchDomain, concept: str) -> object:
    """The places and names of the shown models using ``concept``."""
    return [
        (s, place, summary["name"])
        for s, place, summary in shown(domain.env)
        if concept in summary["concepts"]
    ]


def why_empty(env: BuildEnvironment) -> str:
    """Why the views would show no model, and what to do about it."""
    value = env.config.llmarch_aggregate_models
    store = state_of(env).store
    if value == USED:
        return (
            "no page of this project draws, compares, quotes or links a model, and it has no "
            f"models of its own in {store.directory}; name models on its pages, or set "
            "llmarch_aggregate_models = 'all' for every bundled model"
        )
    if value == PROJECT:
        return (
            f"llmarch_aggregate_models is 'project' and {store.directory} holds no valid "
            "model; set it to 'used' or 'all' to show bundled models"
        )
    if value == ALL:
        return "there is no valid model, bundled or in the project"
    return "none of the models llmarch_aggregate_models lists is a valid model"

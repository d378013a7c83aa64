"""Docutils nodes of the extension and their HTML rendering.

``llmarch_diagram`` carries a :class:`~..draw.figure.FigureSpec` (plain data, made at
read time).  The HTML visitor renders it with Graphviz (cached) and inlines the SVG, its
concept links pointing at the concept pages; other builders get the diagram's text
description instead (see :func:`replace_with_descriptions`).
"""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes

from ..draw.card import WIDTH as CARD_WIDTH
from ..draw.compose import ComposeError
from ..draw.engine import RenderError, standalone_svg
from ..draw.raster import RasterError, png
from ..draw.svg import Resolve
from ..draw.theme import diagram_css
from .state import state_of
from .warnings import warn

if TYPE_CHECKING:
    from sphinx.writers.html5 import HTML5Translator

    from ..draw.figure import FigureSpec
    from ..draw.renderer import FigureRenderer


class llmarch_diagram(nodes.General, nodes.Element):  # noqa: N801 - docutils style
    """A model diagram; ``node['spec']`` is its FigureSpec; ``node['min_scale']``, if set,
    the smallest scale it may be shown at."""


_SVG_WIDTH = re.compile(r'<svg [^>]*?\bwidth="([\d.]+)"')


class llmarch_aggregate(nodes.General, nodes.Element):  # noqa: N801
    """Placeholder for content built from every model's data, filled once all pages are read.

    ``node['kind']`` says what (``models``, ``gallery``, ``chart``, ``similar``, ...);
    ``node['arg']`` is its argument (a chart's name, a concept's key, a model's slug).
    """


def _concept_resolver(translator: HTML5Translator) -> Resolve:
    builder = translator.builder
    labels = builder.env.domains["std"].labels
    current = builder.current_docname

    def resolve(key: str) -> str | None:
        target = labels.get(f"llmarch-concept-{key}")
        if target is None:
            return None
        docname, anchor, _ = target
        return builder.get_relative_uri(current, docname) + (f"#{anchor}" if anchor else "")

    return resolve


def visit_diagram_html(self: HTML5Translator, node: llmarch_diagram) -> None:
    spec: FigureSpec = node["spec"]
    renderer = state_of(self.builder.env).renderer
    try:
        svg = renderer.figure(spec).svg(_concept_resolver(self))
    except (RenderError, ComposeError) as exc:
        warn(f"cannot draw the diagram of '{spec.slug}': {exc}", "render", node)
        self.body.append(self.starttag(node, "div", CLASS="llmarch-diagram llmarch-missing"))
        self.body.append(self.encode(f"[diagram of {spec.slug} unavailable]") + "</div>\n")
        raise nodes.SkipNode from None
    css = f"llmarch-diagram llmarch-{spec.variant}"
    if node.get("min_scale") and (width := _SVG_WIDTH.search(svg)):
        # a floor to its size (a narrower column scrolls it sideways): a comparison's
        # diagrams stay readable on a phone
        least = round(float(width[1]) * node["min_scale"])
        self.body.append(
            self.starttag(node, "div", CLASS=css, style=f"--llmarch-min-width: {least}px")
        )
    else:
        self.body.append(self.starttag(node, "div", CLASS=css))
    self.body.append(svg)
    self.body.append("</div>\n")
    if node.get("export"):
        _export_files(Path(self.builder.outdir), renderer, spec, node["thumb"])
    if node.get("card"):
        write_card(Path(self.builder.outdir), spec.slug, node["card"], node)
    raise nodes.SkipNode


#: standalone diagrams of every model page, for the gallery's thumbnails and the compare page
IMAGES = "_images/llmarch"


def image_name(slug: str, variant: str, theme: str) -> str:
    return f"{IMAGES}/{slug}-{variant}-{theme}.svg"


def diagram_script_name(slug: str) -> str:
    """A model's diagram as a script, for the compare page to draw inline (a page opened
    from a file may load a script, not read another file)."""
    return f"{IMAGES}/{slug}-full.js"


def script_of(target: str, value: Any) -> str:
    """``target = <value as JSON>;``, inert even if the script is ever inlined into a page:
    <, > and & only occur inside JSON strings, where their escapes mean the same."""
    text = json.dumps(value, separators=(",", ":"))
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escape)
    return f"{target} = {text};\n"


def _export_files(
    outdir: Path, renderer: FigureRenderer, spec: FigureSpec, thumb: FigureSpec
) -> None:
    for figure in (spec, thumb):
        try:
            inline = renderer.figure(figure).svg()
        except (RenderError, ComposeError):
            continue  # the page's own diagram has already reported the failure
        for theme in ("light", "dark"):
            path = outdir / image_name(figure.slug, figure.variant, theme)
            _write_changed(path, standalone_svg(inline, diagram_css(theme)))
    _write_diagram_script(outdir, renderer, spec)


def _write_diagram_script(outdir: Path, renderer: FigureRenderer, spec: FigureSpec) -> None:
    """The compare page's copy of the diagram, drawn as comparisons draw it, with every
    block's identity and signature (the page marks the blocks that differ)."""
    try:
        inline = renderer.figure(dataclasses.replace(spec, compared=True, signed=True)).svg()
    except (RenderError, ComposeError):
        return
    store = "(window.LLMARCH_DIAGRAMS = window.LLMARCH_DIAGRAMS || {})"
    target = f"{store}[{json.dumps(spec.slug)}]"
    _write_changed(outdir / diagram_script_name(spec.slug), script_of(target, inline))


def _write_changed(path: Path, text: str) -> None:
    """Write ``text`` unless the file holds it already: an unchanged image keeps its date."""
    try:
        if path.read_text(encoding="utf-8") == text:
            return
    except (OSError, UnicodeDecodeError):
        path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def card_name(slug: str, suffix: str) -> str:
    return f"{IMAGES}/{slug}-card{suffix}"


def write_card(outdir: Path, slug: str, svg: str, location: nodes.Node) -> None:
    """A model's social card, SVG and PNG; the PNG is drawn again only when the SVG
    differs from the one written with it last time."""
    vector, raster = outdir / card_name(slug, ".svg"), outdir / card_name(slug, ".png")
    try:
        if raster.is_file() and vector.read_text(encoding="utf-8") == svg:
            return
    except (OSError, UnicodeDecodeError):
        pass
    try:
        data = png(svg, CARD_WIDTH)
    except RasterError as exc:
        warn(f"cannot draw the social card of '{slug}': {exc}", "render", location)
        return
    vector.parent.mkdir(parents=True, exist_ok=True)
    raster.write_bytes(data)
    vector.write_text(svg, encoding="utf-8")


def skip_node(self: object, node: nodes.Node) -> None:
    raise nodes.SkipNode


def replace_with_descriptions(doctree: nodes.Node) -> None:
    """For builders that cannot show inline SVG: each diagram's text description instead."""
    for node in list(doctree.findall(llmarch_diagram)):
        spec: FigureSpec = node["spec"]
        para = nodes.paragraph("", f"[Diagram: {spec.description}]")
        para.source, para.line = node.source, node.line
        node.replace_self(para)

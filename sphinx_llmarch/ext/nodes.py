"""Docutils nodes of the extension and their HTML rendering.

``llmarch_diagram`` carries a :class:`~..draw.figure.FigureSpec` (plain data, made at
read time).  The HTML visitor renders it with Graphviz (cached) and inlines the SVG, its
concept links pointing at the concept pages; documents get a picture of it
(:mod:`.docimages`), text builders its text description (:func:`replace_with_descriptions`).
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.util.osutil import relative_uri

from ..draw.card import WIDTH as CARD_WIDTH
from ..draw.compose import ComposeError
from ..draw.engine import RenderError
from ..draw.svg import Resolve
from .diagramfiles import IMAGES, lazy_html, toolbar_html, write_diagram_script, write_svgs
from .pngjobs import PngJobs
from .state import state_of
from .uris import anchor_uri
from .warnings import warn

if TYPE_CHECKING:
    from sphinx.writers.html5 import HTML5Translator

    from ..draw.figure import FigureSpec
    from ..draw.renderer import FigureRenderer


class llmarch_diagram(nodes.General, nodes.Element):  # noqa: N801 - docutils style
    """A model diagram; ``node['spec']`` is its FigureSpec; ``node['min_scale']``, if set,
    the smallest scale it may be shown at; ``node['lazy']``, if set, the key of the script
    it is drawn from once it nears the window (:mod:`.lazy`)."""


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
        return anchor_uri(builder, current, docname, anchor)

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
    outdir = Path(self.builder.outdir)
    # a compared diagram (marks, panels in rows) shares its files with the model's own
    # diagram: the download is the model's diagram, and a file name holds one drawing
    plain = dataclasses.replace(spec, changed=(), compared=False, signed=False)
    write_svgs(outdir, spec, renderer.figure(plain).svg())
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
    page = self.builder.get_target_uri(self.builder.current_docname)

    def link(path: str) -> str:
        return relative_uri(page, path)

    self.body.append(toolbar_html(spec, link))
    # a long page's later diagram: a box of its size, drawn when it nears the window
    self.body.append(lazy_html(outdir, node["lazy"], spec, svg, link) if node.get("lazy") else svg)
    self.body.append("</div>\n")
    if node.get("export"):
        _export_thumb(outdir, renderer, node["thumb"])
        write_diagram_script(outdir, renderer, spec)
    if node.get("card"):
        write_card(outdir, spec.slug, node["card"], node, state_of(self.builder.env).pngs)
    raise nodes.SkipNode


def _export_thumb(outdir: Path, renderer: FigureRenderer, thumb: FigureSpec) -> None:
    """The gallery's thumbnail of a model page's diagram."""
    export_files(outdir, renderer, thumb)


def export_files(outdir: Path, renderer: FigureRenderer, *specs: FigureSpec) -> None:
    """Standalone SVGs of diagrams no page shows inline (thumbnails; the diagrams of a
    model without a page of its own, for the gallery and the compare page)."""
    for spec in specs:
        try:
            inline = renderer.figure(spec).svg()
        except (RenderError, ComposeError):
            continue  # the page's own diagram has already reported the failure
        write_svgs(outdir, spec, inline)


def card_name(slug: str, suffix: str) -> str:
    return f"{IMAGES}/{slug}-card{suffix}"


def write_card(
    outdir: Path, slug: str, svg: str, location: nodes.Node | None, jobs: PngJobs
) -> None:
    """A model's social card, SVG and PNG; the PNG is drawn again only when the SVG
    differs from the one written with it last time (the SVG is written after it)."""
    vector, raster = outdir / card_name(slug, ".svg"), outdir / card_name(slug, ".png")
    try:
        if raster.is_file() and vector.read_text(encoding="utf-8") == svg:
            return
    except (OSError, UnicodeDecodeError):
        pass
    what = f"the social card of '{slug}'"
    error = jobs.submit(raster, svg, CARD_WIDTH, what, location, source=vector)
    if error is not None:
        warn(f"cannot draw {what}: {error}", "render", location)


def skip_node(self: object, node: nodes.Node) -> None:
    raise nodes.SkipNode


def description_of(node: llmarch_diagram) -> nodes.paragraph:
    """The diagram's text description, as a paragraph at its place."""
    spec: FigureSpec = node["spec"]
    para = nodes.paragraph("", f"[Diagram: {spec.description}]")
    para.source, para.line = node.source, node.line
    return para


def replace_with_descriptions(doctree: nodes.Node) -> None:
    """For text builders: each diagram's text description instead."""
    for node in list(doctree.findall(llmarch_diagram)):
        node.replace_self(description_of(node))

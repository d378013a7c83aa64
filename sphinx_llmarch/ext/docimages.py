"""Diagrams as pictures in documents: LaTeX (and so PDF), EPUB and Texinfo.

These outputs cannot show the inline SVG of an HTML page, so each diagram becomes a
docutils ``image`` of a PNG drawn at build time by resvg (:mod:`..draw.diagrampng`), on the
light background, with the diagram's text description as its alternative text; a
directive's caption stays the figure's caption.  The PNGs are kept in the doctree folder,
named by the diagram and a key of what it is drawn from, so an unchanged diagram is never
drawn again; the older drawings of a diagram drawn anew are deleted when the build ends.

The images are made when a page's references are resolved, which Sphinx does in the main
process, parallel build or not: each is entered in the environment's image list there, so
that the builder picks it up with the page's other images (``post_process_images``) and
copies it into its output (EPUB's manifest lists it).  The environment was saved before
writing began, so these entries last for this build only.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from docutils import nodes

from ..draw.compose import ComposeError
from ..draw.diagrampng import png_file
from ..draw.engine import RenderError
from ..draw.raster import RasterError
from .diagramfiles import write_svgs
from .nodes import description_of, export_files, llmarch_diagram
from .state import state_of
from .warnings import warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from ..draw.figure import FigureSpec
    from ..draw.renderer import FigureRenderer

#: the builders whose diagrams are pictures; other builders but HTML get the description
PICTURE_BUILDERS = frozenset({"latex", "epub", "texinfo"})
#: the folder of the PNGs, in the doctree folder
FOLDER = "llmarch-png"
#: the theme the pictures are drawn in: documents are read on paper or a light page
THEME = "light"
_DRAWN = re.compile(r"(?P<stem>.+)-[0-9a-f]{16}\.png")


def stem_of(spec: FigureSpec) -> str:
    """The picture's name without its key: a compared diagram (its marks, its panels in
    rows) is another drawing than the model's own diagram, and so is one in another
    language (whose drawings are kept apart from the English ones)."""
    compared = "-compared" if spec.compared else ""
    language = f"-{spec.language}" if spec.language else ""
    return f"{spec.slug}-{spec.variant}{compared}{language}"


def replace_with_pictures(app: Sphinx, doctree: nodes.Node, docname: str) -> None:
    """Each diagram of the page as an image of its PNG (its description where it cannot
    be drawn, with a warning at its place)."""
    state = state_of(app.env)
    folder = Path(app.doctreedir) / FOLDER
    for node in list(doctree.findall(llmarch_diagram)):
        spec: FigureSpec = node["spec"]
        try:
            inline = state.renderer.figure(spec).svg()
            path = png_file(inline, THEME, spec.accent, folder, stem_of(spec))
        except (RenderError, ComposeError, RasterError) as exc:
            warn(f"cannot draw the diagram of '{spec.slug}': {exc}", "render", node)
            node.replace_self(description_of(node))
            continue
        state.pictures.setdefault(stem_of(spec), set()).add(path)
        uri = str(path)
        app.env.images.add_file(docname, uri)
        image = nodes.image(uri=uri, candidates={"*": uri}, alt=spec.description)
        image["classes"].append("llmarch-picture")
        image.source, image.line = node.source, node.line
        if app.builder.format == "html":
            _html_files(Path(app.outdir), state.renderer, node, inline)
        node.replace_self(image)


def _html_files(outdir: Path, renderer: FigureRenderer, node: llmarch_diagram, inline: str) -> None:
    """What the pages of an EPUB show beside the pictures: the standalone SVGs, which the
    compare page's data names, and the gallery's thumbnails."""
    write_svgs(outdir, node["spec"], inline)
    if node.get("export"):
        export_files(outdir, renderer, node["thumb"])


def prune_pictures(app: Sphinx) -> None:
    """Delete the older drawings of every diagram this build drew."""
    drawn = state_of(app.env).pictures
    folder = Path(app.doctreedir) / FOLDER
    for path in folder.glob("*.png") if drawn else ():
        found = _DRAWN.fullmatch(path.name)
        if found and path not in drawn.get(found["stem"], {path}):
            path.unlink(missing_ok=True)
    drawn.clear()

"""A diagram's files in the built site, and the links that download them.

Every diagram an HTML page shows is also written as a standalone SVG in each theme, each
file only when its content changed: an edit that leaves a diagram as it was costs nothing.
The links are plain ``<a download>`` in the HTML, so they work without scripts;
``llmarch-viewer.js`` adds the button that opens the diagram large and the one that makes
a PNG of the light SVG in the reader's browser (the build draws none).
"""

from __future__ import annotations

import dataclasses
import glob
import hashlib
import html
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..draw.compose import ComposeError
from ..draw.engine import RenderError, standalone_svg
from ..draw.figure import FigureSpec
from ..draw.svg import number, root_size
from ..draw.theme import diagram_css

if TYPE_CHECKING:
    from ..draw.renderer import FigureRenderer

#: standalone diagrams: every diagram a page shows, the gallery's thumbnails, the compare page's
IMAGES = "_images/llmarch"
THEMES = ("light", "dark")


def image_name(slug: str, variant: str, theme: str) -> str:
    return f"{IMAGES}/{slug}-{variant}-{theme}.svg"


def write_changed(path: Path, text: str) -> bool:
    """Write ``text`` unless the file holds it already (an unchanged image keeps its
    date); True when it was written."""
    try:
        if path.read_text(encoding="utf-8") == text:
            return False
    except (OSError, UnicodeDecodeError):
        path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return True


def write_svgs(outdir: Path, spec: FigureSpec, inline: str) -> None:
    """The diagram's standalone SVG in every theme (``inline`` is its SVG without page
    links)."""
    for theme in THEMES:
        write_changed(
            outdir / image_name(spec.slug, spec.variant, theme),
            standalone_svg(inline, diagram_css(theme)),
        )


def toolbar_html(spec: FigureSpec, link: Callable[[str], str]) -> str:
    """The diagram's download links (the SVG in the page's theme); ``link`` makes a site
    path relative to the page."""
    name = html.escape(spec.title)
    files = [(theme, image_name(spec.slug, spec.variant, theme)) for theme in THEMES]
    links = "".join(
        f'<a class="llmarch-tool llmarch-only-{theme}" href="{html.escape(link(path))}" '
        f'download="{html.escape(path.rpartition("/")[2])}" '
        f'aria-label="Download the diagram of {name} as SVG ({theme} background)">SVG</a>'
        for theme, path in files
    )
    return (
        f'<div class="llmarch-tools" role="group" aria-label="Diagram of {name}" '
        f'data-title="{name}">{links}</div>'
    )


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


def write_diagram_script(outdir: Path, renderer: FigureRenderer, spec: FigureSpec) -> None:
    """The compare page's copy of a model's diagram, drawn as comparisons draw it, with
    every block's identity and signature (the page marks the blocks that differ)."""
    try:
        inline = renderer.figure(dataclasses.replace(spec, compared=True, signed=True)).svg()
    except (RenderError, ComposeError):
        return
    store = "(window.LLMARCH_DIAGRAMS = window.LLMARCH_DIAGRAMS || {})"
    target = f"{store}[{json.dumps(spec.slug)}]"
    write_changed(outdir / diagram_script_name(spec.slug), script_of(target, inline))


def lazy_script_name(key: str, svg: str) -> str:
    """The script holding a diagram a long page draws once it nears the window, named by
    its content too: a browser never takes an earlier drawing, kept under the same name,
    for it."""
    digest = hashlib.sha256(svg.encode()).hexdigest()[:10]
    return f"{IMAGES}/lazy/{key}.{digest}.js"


def _drop_earlier(script: Path, key: str) -> None:
    """Delete the earlier drawings of the diagram ``key`` beside ``script``."""
    earlier = re.compile(re.escape(key) + r"\.[0-9a-f]{10}\.js")
    for path in script.parent.glob(f"{glob.escape(key)}.*.js"):
        if path != script and earlier.fullmatch(path.name):
            path.unlink(missing_ok=True)


def lazy_html(
    outdir: Path, key: str, spec: FigureSpec, svg: str, link: Callable[[str], str]
) -> str:
    """The box of the diagram's size that stands in for ``svg`` (as the page would inline
    it) until the page's script draws it, from the script this writes; without scripts, it
    shows the diagram's standalone SVG. ``link`` makes a site path relative to the page."""
    store = "(window.LLMARCH_LAZY = window.LLMARCH_LAZY || {})"
    name = lazy_script_name(key, svg)
    write_changed(outdir / name, script_of(f"{store}[{json.dumps(key)}]", svg))
    _drop_earlier(outdir / name, key)
    size = root_size(svg)
    width, height = (number(size[0]), number(size[1])) if size else ("800", "600")
    picture = html.escape(link(image_name(spec.slug, spec.variant, "light")))
    script = html.escape(link(name))
    alt = html.escape(f"Diagram of {spec.title}")
    return (
        f'<div class="llmarch-lazy-box" data-llmarch-lazy="{script}" '
        f'data-llmarch-key="{html.escape(key)}" '
        f'style="width: {width}px; aspect-ratio: {width} / {height}">'
        f'<noscript><img src="{picture}" alt="{alt}" width="{width}" height="{height}">'
        "</noscript></div>"
    )

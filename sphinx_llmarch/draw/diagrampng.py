"""A model diagram as PNG, for documents (LaTeX/PDF, EPUB, Texinfo): the standalone SVG
with its colours written in, drawn by :mod:`.raster`, and kept in a folder by a key of what
it is drawn from, so that an unchanged diagram is never drawn again.

The diagram's stylesheet names its colours as CSS custom properties, so that a page's
theme can switch them; resvg does not read custom properties, so the stylesheet given to
it has each ``var(...)`` replaced by the colour it stands for in one theme and for the
diagram's accent.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from .engine import standalone_svg
from .posterkey import FONT
from .raster import font_files, png, png_key
from .theme import ACCENTS, DARK, LIGHT, diagram_css, text_accent

#: pixels per unit of the SVG: 1.5 times its size on a page, about 180 pixels an inch
#: across a printed page's text, and about 190 KB a diagram
SCALE = 1.5
#: the widest PNG drawn, whatever the diagram's width (a very wide one is scaled down)
MAX_WIDTH = 4000

_VAR = re.compile(r"var\((--[\w-]+)(?:,\s*([^()]*))?\)")
_WIDTH = re.compile(r'<svg\b[^>]*?\swidth="([\d.]+)')


def palette(theme: str, accent: int) -> dict[str, str]:
    """Every custom property of a diagram in ``theme`` with accent number ``accent``."""
    dark = theme == "dark"
    colours = dict(DARK if dark else LIGHT)
    colour = ACCENTS[accent % len(ACCENTS)][1 if dark else 0]
    colours["--llmarch-accent"] = colour
    colours["--llmarch-accent-ink"] = text_accent(colour, colours["--llmarch-canvas"])
    colours["--llmarch-font"] = FONT
    return colours


def resolved_css(theme: str, accent: int) -> str:
    """The standalone diagram's stylesheet with no ``var(...)`` left."""
    colours = palette(theme, accent)

    def value(match: re.Match[str]) -> str:
        name, fallback = match.group(1), match.group(2)
        return colours.get(name, fallback or "")

    return _VAR.sub(value, diagram_css(theme))


def png_width(inline: str) -> int:
    """The PNG's width in pixels: :data:`SCALE` times the SVG's own width."""
    found = _WIDTH.search(inline)
    width = float(found.group(1)) if found else 800.0
    return min(MAX_WIDTH, max(1, round(width * SCALE)))


def png_file(inline: str, theme: str, accent: int, directory: Path, stem: str) -> Path:
    """The diagram's PNG in ``directory``, named ``<stem>-<key>.png`` by a key of what it
    is drawn from; drawn only when no file of that name is there (raises ``RasterError``)."""
    svg = standalone_svg(inline, resolved_css(theme, accent))
    width, fonts = png_width(inline), font_files()
    path = directory / f"{stem}-{png_key(svg, width, fonts)[:16]}.png"
    if not path.is_file():
        data = png(svg, width, fonts)
        directory.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        partial.write_bytes(data)
        partial.replace(path)  # whole or not at all: a file of that name is a finished PNG
    return path

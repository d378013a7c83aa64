"""A model diagram as PNG, for its download link: the standalone SVG with its colours
written in, drawn by :mod:`.raster`.

The diagram's stylesheet names its colours as CSS custom properties, so that a page's
theme can switch them; resvg does not read custom properties, so the stylesheet given to
it has each ``var(...)`` replaced by the colour it stands for in one theme and for the
diagram's accent.  Pure.
"""

from __future__ import annotations

import re

from .engine import standalone_svg
from .posterkey import FONT
from .raster import png
from .theme import ACCENTS, DARK, LIGHT, diagram_css, text_accent

#: pixels per unit of the SVG: 1.5 times its size on the page, sharp enough for a slide
#: or a document, and about 150 KB a diagram
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


def diagram_png(inline: str, theme: str, accent: int) -> bytes:
    """The diagram (its inline SVG) as PNG bytes in ``theme``; raises ``RasterError``
    when no font can be found or resvg cannot draw it."""
    return png(standalone_svg(inline, resolved_css(theme, accent)), png_width(inline))

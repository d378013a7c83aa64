"""The poster as a PNG: how wide it is drawn, and its horizontal strips.

The poster's PNG is millions of pixels: drawn whole, it takes seconds per theme, and a
change to one model (its name, its layers) would draw all of it again.  So the site draws
it strip by strip, one strip per line of models (and one for the key), each kept in the
PNG cache by its own SVG: after an edit only the strips that changed are drawn, and the
picture is put together from the strips' PNGs (:func:`~.raster.stitched_png`).

A strip is the poster's SVG cut to its band's pixel rows, with only the band's elements:
its root is as many pixels as the strip, its view box the band's units at the PNG's
scale, so its pixels are those the whole poster draws there.  Bands are cut at whole
pixel rows in the empty space between lines, where no element of either side is drawn.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..mechanisms.words import ENGLISH, Language
from .poster import WIDTH, Entry
from .posterkey import Theme
from .postersvg import Composed, Memo, composed, fragment, themed
from .raster import Strip, cached_stitched
from .svg import SVG, element, root_size

#: the PNG's width in pixels: one per unit, the poster's own size (the SVG is for print)
PNG_WIDTH = int(WIDTH)
#: the most pixels a PNG of the poster holds, the area the diagrams' PNGs keep to (the
#: largest a phone's browser draws): a taller poster (of more than about 95 models) is
#: drawn narrower, since drawing time and memory grow with the pixels (at 400 models,
#: 40 million pixels took 7 s per theme, 226 million 23 s and 2 GB); the SVG is for print
PNG_MAX_PIXELS = 16_000_000


def png_width(svg: str) -> int:
    """The width of the poster's PNG: :data:`PNG_WIDTH`, or less where that would make it
    more than :data:`PNG_MAX_PIXELS`."""
    size = root_size(svg)
    if size is None:
        return PNG_WIDTH
    width, height = size
    most = math.sqrt(PNG_MAX_PIXELS * width / height) if height else PNG_WIDTH
    return min(PNG_WIDTH, int(most))


def png_height(poster: Composed, width: int) -> int:
    """The height in pixels of the poster drawn ``width`` pixels wide: as resvg sizes the
    whole poster's PNG (its height rounded up to a whole pixel)."""
    return math.ceil(round(poster.height) * width / round(WIDTH))


def strips(poster: Composed, width: int, bands: list[str], theme: Theme) -> list[Strip]:
    """The strips of ``poster`` drawn ``width`` pixels wide in ``theme``, from its bands'
    texts (:meth:`Composed.band_texts`)."""
    scale = width / WIDTH
    bottom = png_height(poster, width)
    cuts = [0, *(round(start * scale) for start in poster.starts[1:]), bottom]
    # the style sheet and the canvas (the title draws nothing)
    ground = "".join(fragment(e) for e in poster.ground if e.tag != f"{{{SVG}}}title")
    # the style sheet's rules are for the poster's root class
    classes, made = poster.attributes["class"], []
    for top, end, band in zip(cuts, cuts[1:], bands, strict=False):
        if end <= top:
            continue
        box = f"0 {top / scale:.6f} {WIDTH:.6f} {(end - top) / scale:.6f}"
        at = {"class": classes, "width": str(width), "height": str(end - top), "viewBox": box}
        root = element("svg", at)
        head = ET.tostring(root, encoding="unicode", short_empty_elements=False)
        start, close = head.removesuffix("</svg>"), "</svg>"
        made.append(Strip(top, end - top, themed(f"{start}{ground}{band}{close}", theme)))
    return made


@dataclass(frozen=True)
class PosterFile:
    """A poster file in one theme: its SVG text, and its PNG's size and strips."""

    svg: str
    width: int
    height: int
    strips: list[Strip]

    def png(self, cache: Path | None = None) -> bytes:
        """The PNG, stitched from its strips (kept in ``cache`` where given)."""
        return cached_stitched(self.svg, self.strips, self.width, self.height, cache)


def poster_files(
    entries: Iterable[Entry],
    themes: Iterable[Theme],
    words: Language = ENGLISH,
    memo: Memo | None = None,
) -> dict[Theme, PosterFile]:
    """The poster without links in each of ``themes``, composed once (its bands kept by
    ``memo`` where given): the files of two themes differ only in their colours, which
    are all in the style sheet."""
    poster = composed(list(entries), "light", None, words)
    bands = poster.band_texts(memo, "file")
    text = poster.text(bands)
    made = {}
    for theme in themes:
        svg = themed(text, theme)
        width = png_width(svg)
        height = png_height(poster, width)
        made[theme] = PosterFile(svg, width, height, strips(poster, width, bands, theme))
    return made


def poster_file(entries: Iterable[Entry], theme: Theme, suffix: str) -> bytes:
    """The poster as a file's bytes: ``.svg``, or ``.png`` drawn :func:`png_width` wide."""
    made = poster_files(entries, (theme,))[theme]
    return made.png() if suffix == ".png" else made.svg.encode()

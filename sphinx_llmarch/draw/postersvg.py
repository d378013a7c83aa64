"""The poster as SVG text: composed band by band (the key, then each line of models), its
style sheet given last for the theme.

A band's group is built when first asked for, and its text can be kept between builds
(a :data:`Memo`): after an edit only the bands the edit changed are composed again, and
the PNG is drawn from the same bands in strips (:mod:`.posterpng`).  Pure.
"""

from __future__ import annotations

import functools
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from ..mechanisms.words import ENGLISH, Language
from .poster import WIDTH, YEAR_GAP, Entry, Placed, layout, stack
from .posterkey import MARGIN, TITLE, Theme, css, header
from .svg import SVG, element, number


def poster_svg(
    entries: Iterable[Entry],
    theme: Theme = "light",
    link: Callable[[str], str | None] | None = None,
    words: Language = ENGLISH,
    memo: Memo | None = None,
) -> str:
    """The poster as SVG text: ``light`` or ``dark`` colours written in, or ``page`` colours
    from the page's theme (CSS variables); ``link`` gives each model's address, if any; its
    words are in ``words``' language; its bands kept by ``memo`` where given."""
    poster = composed(list(entries), theme, link, words)
    return themed(poster.text(poster.band_texts(memo, theme)), theme)


#: where the style sheet goes (the one text of a poster that differs between themes)
_STYLE = "\ue000llmarch-poster-style\ue000"


def themed(text: str, theme: Theme) -> str:
    """A composed poster's text with the style sheet of ``theme`` in its place."""
    assert theme != "page" or "lp-canvas" not in text  # a page's poster has no canvas
    return text.replace(_STYLE, escape(css(theme)))


#: a band's text kept between builds: ``memo(name, key, make)`` gives the text kept under
#: ``name`` when it was made from ``key``, else ``make()`` (and keeps it)
Memo = Callable[[str, str, Callable[[], str]], str]


@dataclass
class Composed:
    """A poster's drawing: its ground (title, style sheet, canvas) and its bands, top to
    bottom (the key's, then each line's of models), each a group of the root, so that
    its PNG can be drawn in horizontal strips.  A band is built when first asked for,
    and its text is kept between builds by a :data:`Memo` where one is given: an edit
    composes again only the bands it changed."""

    attributes: dict[str, str]
    #: the root's title, style sheet and canvas, which every strip needs too
    ground: list[ET.Element]
    #: where each band starts (the first at 0): nothing of a band is drawn above its start
    #: or below the next band's
    starts: list[float]
    height: float
    #: what each band is made from, as text (its key in a memo), and how it is made
    keys: list[str]
    makers: list[functools.partial[ET.Element]]
    built: dict[int, ET.Element] = field(default_factory=dict)

    def band(self, i: int) -> ET.Element:
        if i not in self.built:
            self.built[i] = self.makers[i]()
        return self.built[i]

    @property
    def bands(self) -> list[ET.Element]:
        return [self.band(i) for i in range(len(self.makers))]

    @property
    def root(self) -> ET.Element:
        root = element("svg", self.attributes)
        root.extend([*self.ground, *self.bands])
        return root

    def band_texts(self, memo: Memo | None = None, variant: str = "") -> list[str]:
        """Each band's group as SVG text (a fragment of the root's); kept by ``memo``
        under the poster's ``variant`` and the band's number where given."""
        if memo is None:
            return [self._text(i) for i in range(len(self.makers))]
        return [
            memo(f"poster {variant} band {i}", key, functools.partial(self._text, i))
            for i, key in enumerate(self.keys)
        ]

    def _text(self, i: int) -> str:
        return fragment(self.band(i))

    def text(self, bands: list[str] | None = None) -> str:
        """The whole poster's SVG text, from the bands' texts where given."""
        outer = element("svg", self.attributes)
        outer.extend(self.ground)
        head = ET.tostring(outer, encoding="unicode", short_empty_elements=True)
        body = "".join(self.band_texts() if bands is None else bands)
        return f"{head.removesuffix('</svg>')}{body}</svg>\n"


def fragment(el: ET.Element) -> str:
    """``el`` as SVG text inside a poster's root (which declares the namespace)."""
    text = ET.tostring(el, encoding="unicode", short_empty_elements=True)
    return text.replace(f' xmlns="{SVG}"', "", 1)


def composed(
    items: list[Entry],
    theme: Theme,
    link: Callable[[str], str | None] | None,
    words: Language,
) -> Composed:
    """The poster's drawing, with :data:`_STYLE` for its style sheet (see :func:`themed`)."""
    plan = layout(items, MARGIN + 130, words)
    width, height = number(WIDTH), number(plan.height)
    attributes = {
        "class": "llmarch-chart llmarch-poster",
        "width": width,
        "height": height,
        "viewBox": f"0 0 {width} {height}",
        "role": "group" if link else "img",
        "aria-labelledby": "llmarch-poster-title",
    }
    ground = [element("title", {"id": "llmarch-poster-title"}, words(TITLE))]
    ground.append(element("style", {}, _STYLE))
    if theme != "page":
        box = {"x": "0", "y": "0", "width": width, "height": height}
        ground.append(element("rect", {"class": "lp-canvas", **box}))
    links = {e.slug: link(e.slug) for e in items} if link else {}
    lines: list[tuple[list[Placed], list[tuple[float, float, str, float, int]]]] = [
        ([], []) for _ in plan.starts
    ]
    for p in plan.placed:
        lines[p.line][0].append(p)
    for heading in plan.headers:
        lines[heading[4]][1].append(heading)
    keys = [repr(("key", len(items), words.code))]
    keys += [
        repr((placed, headings, [links.get(p.entry.slug) for p in placed], words.code))
        for placed, headings in lines
    ]
    makers = [functools.partial(_key_band, len(items), words)]
    makers += [
        functools.partial(_line_band, placed, headings, links, words) for placed, headings in lines
    ]
    return Composed(attributes, ground, [0.0, *plan.starts], plan.height, keys, makers)


def _key_band(count: int, words: Language) -> ET.Element:
    band = element("g", {"class": "lp-band"})
    band.extend(header(count, words))
    return band


def _line_band(
    placed: list[Placed],
    headings: list[tuple[float, float, str, float, int]],
    links: dict[str, str | None],
    words: Language,
) -> ET.Element:
    """A line of models: its years' headings (and the rule before a year that starts in
    the line), then its stacks."""
    band = element("g", {"class": "lp-band"})
    for x, y, text, bottom, _ in headings:
        band.append(element("text", {"x": x, "y": y, "class": "lp-year"}, text))
        if x > MARGIN:  # a year that starts mid-line: a rule before it
            rule = {"x1": x - YEAR_GAP / 2, "x2": x - YEAR_GAP / 2, "y1": y - 22, "y2": bottom}
            band.append(element("line", {"class": "lp-rule", **rule}))
    for p in placed:
        band.append(stack(p, links.get(p.entry.slug), words))
    return band

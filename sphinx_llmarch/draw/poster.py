"""A poster of every model drawn to one scale: each model a stack of its layers.

Height is the number of layers (every layer the same height), width the hidden size;
each layer is split into its token mixer (left) and its feed-forward block (right),
coloured by kind.  Models are grouped by year of release, oldest first.  Pure: the
entries come from loaded models and their figures; the output is SVG text, the same
bytes for the same data (fixed ordering, ids from slugs, numbers rounded).
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from ..describe import fmt
from ..describe.labels import layer_mix, layer_mix_text
from ..mechanisms.words import ENGLISH, N_, Language, Phrase
from ..model.figures import Figures
from ..model.loader import LoadedModel
from ..model.stack import runs
from ..model.store import ModelStore
from .posterkey import (
    LABEL_LINE,
    LAYER_GAP,
    LAYER_HEIGHT,
    MARGIN,
    TITLE,
    UNITS_PER_DIMENSION,
    Theme,
    css,
    header,
)
from .raster import png
from .svg import element, number, root_size

#: the share of a layer's width given to its token mixer (the rest: its feed-forward block)
MIXER_SHARE = 0.62
WIDTH = 4200.0
#: the PNG's width in pixels: one per unit, the poster's own size (the SVG is for print)
PNG_WIDTH = int(WIDTH)
#: the most pixels a PNG of the poster holds, the area the diagrams' PNGs keep to (the
#: largest a phone's browser draws): a taller poster (of more than about 95 models) is
#: drawn narrower, since drawing time and memory grow with the pixels (at 400 models,
#: 40 million pixels took 7 s per theme, 226 million 23 s and 2 GB); the SVG is for print
PNG_MAX_PIXELS = 16_000_000
#: what a poster file may be
SUFFIXES = (".svg", ".png")
COLUMN_GAP = 28.0
#: a font size's average character width, for fitting labels: that of DejaVu Sans, wider
#: than the Noto Sans of the PNG, so that a label fits in a browser that has only DejaVu
CHAR_WIDTH = {"name": 0.64 * 13, "text": 0.58 * 11}

_ROLE_PAINT = {"attention": "attn", "linear": "linear", "state-space": "ssm"}


@dataclass(frozen=True)
class Band:
    """Consecutive layers of one kind, bottom (first) to top: paints of mixer and FFN."""

    count: int
    mixer: str | None
    ffn: str | None


@dataclass(frozen=True)
class Entry:
    """What the poster shows of one model."""

    slug: str
    name: str
    date: str
    layers: int
    hidden: int
    bands: tuple[Band, ...]
    #: '671B official' (the publisher states it) or '1.63B computed' (from the model file)
    size: str
    mix: str

    @property
    def width(self) -> float:
        return self.hidden * UNITS_PER_DIMENSION

    @property
    def height(self) -> float:
        return self.layers * LAYER_HEIGHT


def entry_of(model: LoadedModel, figures: Figures) -> Entry:
    """A model's stack as the poster draws it, from its layers and its mechanisms' roles."""
    arch, spec = model.spec.architecture, model.spec
    bands = []
    for run in runs(model.layers):
        mixer = arch.mixers[run.spec.mixer] if run.spec.mixer else None
        paint = None
        if mixer is not None:
            paint = "local" if mixer.span() is not None else _ROLE_PAINT[mixer.ROLE]
        ffn = arch.ffns[run.spec.ffn] if run.spec.ffn else None
        ffn_paint = None if ffn is None else "routed" if ffn.ROUTED else "ffn"
        bands.append(Band(run.count, paint, ffn_paint))
    stated = spec.official_params
    # a figure only the model's name gives is rounded: the poster shows its own count then
    official = stated.total if stated and stated.basis == "stated" else None
    size = (
        Phrase(N_("%(size)s official"), size=fmt.params(official))
        if official
        else Phrase(N_("%(size)s computed"), size=fmt.params(figures.total_params))
    )
    return Entry(
        slug=spec.slug,
        name=spec.name,
        date=spec.release_date.isoformat() if spec.release_date else "",
        layers=len(model.layers),
        hidden=arch.hidden_size,
        bands=tuple(bands),
        size=size,
        mix=layer_mix_text(layer_mix(model)),
    )


# --------------------------------------------------------------------------- layout


#: the heading of the models without a release date
UNDATED = N_("Release date not given")


def _year(entry: Entry) -> str:
    return entry.date[:4] or UNDATED


def _label_lines(entry: Entry, words: Language = ENGLISH) -> list[tuple[str, str]]:
    """The lines under a stack: its name, size, depth and width, and date."""
    when = entry.date or words(N_("date not given"))
    layers = N_("%(count)s layers × %(hidden)s")
    return [
        ("name", entry.name),
        ("text", words(N_("%(size)s parameters"), size=entry.size)),
        ("text", words(layers, count=entry.layers, hidden=f"{entry.hidden:,}")),
        ("text", when),
    ]


def _column(entry: Entry, words: Language) -> float:
    text = max(len(t) * CHAR_WIDTH[kind] for kind, t in _label_lines(entry, words))
    return max(entry.width, text) + COLUMN_GAP


@dataclass(frozen=True)
class Placed:
    entry: Entry
    x: float
    #: the baseline its stack stands on
    y: float


@dataclass
class Layout:
    placed: list[Placed]
    #: (x, y, text, bottom) of each year's heading, above its first model; ``bottom`` is
    #: the bottom of its line
    headers: list[tuple[float, float, str, float]]
    height: float


#: room above a line for year headings; the space before a year that starts mid-line
HEADING_ROOM = 44.0
YEAR_GAP = 36.0
HEADING_CHAR = 0.66 * 22


def _sorted(entries: Iterable[Entry]) -> list[Entry]:
    return sorted(entries, key=lambda e: (not e.date, e.date, e.name.lower(), e.slug))


def _flow(ordered: Sequence[Entry], words: Language) -> list[list[tuple[float, Entry, str]]]:
    """Models left to right in lines as wide as the poster: (x, entry, heading) where
    ``heading`` is the year's heading at its first model, else ''."""
    counts: dict[str, int] = {}
    for e in ordered:
        counts[_year(e)] = counts.get(_year(e), 0) + 1
    lines: list[list[tuple[float, Entry, str]]] = [[]]
    x, heading_end, year = MARGIN, MARGIN, None
    for e in ordered:
        heading = ""
        if _year(e) != year:
            year = _year(e)
            heading = words.ngettext(
                "%(year)s · %(num)d model",
                "%(year)s · %(num)d models",
                counts[year],
                year=words.label(year),
            )
            if lines[-1]:
                x = max(x + YEAR_GAP, heading_end + YEAR_GAP)
        if lines[-1] and x + _column(e, words) > WIDTH - MARGIN:
            lines.append([])
            x = heading_end = MARGIN
        if heading:
            heading_end = x + len(heading) * HEADING_CHAR
        lines[-1].append((x, e, heading))
        x += _column(e, words)
    return lines


def layout(entries: Iterable[Entry], top: float, words: Language = ENGLISH) -> Layout:
    """Years oldest first (undated last); in a year by date then name; models flow in
    lines as wide as the poster, each stack standing on its line's baseline."""
    placed: list[Placed] = []
    headers: list[tuple[float, float, str, float]] = []
    y = top
    for line in _flow(_sorted(entries), words):
        if not line:  # no model at all
            continue
        y += HEADING_ROOM
        base = y + max(e.height for _, e, _ in line)
        bottom = base + len(_label_lines(line[0][1], words)) * LABEL_LINE
        for x, e, heading in line:
            placed.append(Placed(e, x, base))
            if heading:
                headers.append((x, y - 14, heading, bottom))
        y = bottom + 28
    return Layout(placed, headers, y + MARGIN)


# --------------------------------------------------------------------------- drawing


def layer_cells(e: Entry, x: float, y: float) -> list[ET.Element]:
    """The stack's layers standing on ``(x, y)``, first layer at the bottom, and its outline.

    A band of like layers is one dashed line per part (mixer, feed-forward), a dash per
    layer and the dash's gap the gap between layers (see :data:`DASHES`): at 400 models
    a rectangle per layer part was 80,000 elements, most of the poster's drawing time."""
    cells: list[ET.Element] = []
    mixer_w = e.width * MIXER_SHARE
    below = 0
    for band in e.bands:
        bottom = y - below * LAYER_HEIGHT - LAYER_GAP
        top = y - (below + band.count) * LAYER_HEIGHT
        parts = ((band.mixer, 0.0, mixer_w), (band.ffn, mixer_w, e.width - mixer_w))
        for paint, dx, w in parts:
            if paint is not None:
                middle = x + dx + w / 2
                line = {"x1": middle, "y1": bottom, "x2": middle, "y2": top}
                at = {"stroke-width": w, "data-layers": band.count}
                cells.append(element("line", {"class": f"lp-{paint} lp-layers", **line, **at}))
        below += band.count
    outline = {"x": x, "y": y - e.height, "width": e.width, "height": e.height}
    cells.append(element("rect", {"class": "lp-outline", **outline}))
    return cells


def _stack(p: Placed, link: str | None, words: Language) -> ET.Element:
    e = p.entry
    g = element(
        "g",
        {
            "id": f"llmarch-poster-{e.slug}",
            "class": "lp-model",
            "data-slug": e.slug,
            "data-layers": str(e.layers),
            "data-hidden": str(e.hidden),
        },
    )
    tip = words(
        N_("%(name)s: %(mix)s; %(count)s layers, hidden size %(hidden)s; %(size)s"),
        name=e.name,
        mix=e.mix,
        count=e.layers,
        hidden=f"{e.hidden:,}",
        size=e.size,
    )
    g.append(element("title", {}, tip))
    holder = g
    if link:
        holder = element("a", {"href": link})
        g.append(holder)
    holder.extend(layer_cells(e, p.x, p.y))
    for i, (kind, text) in enumerate(_label_lines(e, words)):
        at = {"x": p.x, "y": p.y + 16 + i * LABEL_LINE}
        holder.append(element("text", {"class": f"lp-{kind}", **at}, text))
    return g


def poster_svg(
    entries: Iterable[Entry],
    theme: Theme = "light",
    link: Callable[[str], str | None] | None = None,
    words: Language = ENGLISH,
) -> str:
    """The poster as SVG text: ``light`` or ``dark`` colours written in, or ``page`` colours
    from the page's theme (CSS variables); ``link`` gives each model's address, if any; its
    words are in ``words``' language."""
    return _composed(list(entries), theme, link, words).replace(_STYLE, escape(css(theme)))


def poster_svgs(
    entries: Iterable[Entry], themes: Iterable[Theme], words: Language = ENGLISH
) -> dict[Theme, str]:
    """:func:`poster_svg` without links in each of ``themes`` (``page`` excepted), composed
    once: the files of two themes differ only in their colours, which are all in the
    style sheet."""
    wanted = list(themes)
    assert "page" not in wanted  # a page's poster has no canvas
    text = _composed(list(entries), wanted[0] if wanted else "light", None, words)
    return {theme: text.replace(_STYLE, escape(css(theme))) for theme in wanted}


#: where the style sheet goes (the one text of a poster that differs between themes)
_STYLE = "\ue000llmarch-poster-style\ue000"


def _composed(
    items: list[Entry],
    theme: Theme,
    link: Callable[[str], str | None] | None,
    words: Language,
) -> str:
    plan = layout(items, MARGIN + 130, words)
    width, height = number(WIDTH), number(plan.height)
    root = element(
        "svg",
        {
            "class": "llmarch-chart llmarch-poster",
            "width": width,
            "height": height,
            "viewBox": f"0 0 {width} {height}",
            "role": "group" if link else "img",
            "aria-labelledby": "llmarch-poster-title",
        },
    )
    root.append(element("title", {"id": "llmarch-poster-title"}, words(TITLE)))
    root.append(element("style", {}, _STYLE))
    if theme != "page":
        box = {"x": "0", "y": "0", "width": width, "height": height}
        root.append(element("rect", {"class": "lp-canvas", **box}))
    root.extend(header(len(items), words))
    for x, y, text, bottom in plan.headers:
        root.append(element("text", {"x": x, "y": y, "class": "lp-year"}, text))
        if x > MARGIN:  # a year that starts mid-line: a rule before it
            rule = {"x1": x - YEAR_GAP / 2, "x2": x - YEAR_GAP / 2, "y1": y - 22, "y2": bottom}
            root.append(element("line", {"class": "lp-rule", **rule}))
    for p in plan.placed:
        root.append(_stack(p, link(p.entry.slug) if link else None, words))
    return ET.tostring(root, encoding="unicode", short_empty_elements=True) + "\n"


def entries_from(store: ModelStore, slugs: Iterable[str]) -> list[Entry]:
    """Entries of the models ``slugs`` of a store (those that load)."""
    models = (store.load(slug).model for slug in sorted(slugs))
    return [entry_of(m, store.figures(m)) for m in models if m is not None]


def png_width(svg: str) -> int:
    """The width of the poster's PNG: :data:`PNG_WIDTH`, or less where that would make it
    more than :data:`PNG_MAX_PIXELS`."""
    size = root_size(svg)
    if size is None:
        return PNG_WIDTH
    width, height = size
    most = math.sqrt(PNG_MAX_PIXELS * width / height) if height else PNG_WIDTH
    return min(PNG_WIDTH, int(most))


def poster_file(entries: Iterable[Entry], theme: Theme, suffix: str) -> bytes:
    """The poster as a file's bytes: ``.svg``, or ``.png`` drawn :func:`png_width` wide."""
    svg = poster_svg(entries, theme)
    if suffix == ".png":
        return png(svg, png_width(svg))
    return svg.encode()

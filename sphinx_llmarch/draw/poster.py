"""A poster of every model drawn to one scale: each model a stack of its layers.

Height is the number of layers (every layer the same height), width the hidden size;
each layer is split into its token mixer (left) and its feed-forward block (right),
coloured by kind.  Models are grouped by year of release, oldest first.  Pure: the
entries come from loaded models and their figures; here are their layout and each
model's stack, and :mod:`.postersvg` makes the SVG text, the same bytes for the same
data (fixed ordering, ids from slugs, numbers rounded).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

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
    UNITS_PER_DIMENSION,
)
from .svg import element

#: the share of a layer's width given to its token mixer (the rest: its feed-forward block)
MIXER_SHARE = 0.62
WIDTH = 4200.0
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
    #: the line it stands in (0: the first)
    line: int = 0


@dataclass
class Layout:
    placed: list[Placed]
    #: (x, y, text, bottom, line) of each year's heading, above its first model;
    #: ``bottom`` is the bottom of its line
    headers: list[tuple[float, float, str, float, int]]
    height: float
    #: where each line's band starts (top to bottom): a line draws nothing outside the
    #: band from its start to the next one's (the last band ends at ``height``)
    starts: list[float]


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
    headers: list[tuple[float, float, str, float, int]] = []
    starts: list[float] = []
    y = top
    for line in _flow(_sorted(entries), words):
        if not line:  # no model at all
            continue
        starts.append(y)
        y += HEADING_ROOM
        base = y + max(e.height for _, e, _ in line)
        bottom = base + len(_label_lines(line[0][1], words)) * LABEL_LINE
        for x, e, heading in line:
            placed.append(Placed(e, x, base, len(starts) - 1))
            if heading:
                headers.append((x, y - 14, heading, bottom, len(starts) - 1))
        y = bottom + 28
    return Layout(placed, headers, y + MARGIN, starts)


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


def stack(p: Placed, link: str | None, words: Language) -> ET.Element:
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


def entries_from(store: ModelStore, slugs: Iterable[str]) -> list[Entry]:
    """Entries of the models ``slugs`` of a store (those that load)."""
    models = (store.load(slug).model for slug in sorted(slugs))
    return [entry_of(m, store.figures(m)) for m in models if m is not None]

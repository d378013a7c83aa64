"""The scatter of release date (x) against total parameters (y, log scale).

Every point links to its model's page and has a tooltip; labels are placed where they
overlap nothing (:mod:`.labelplace`), and a point without room for one keeps its name
in its tooltip. Models years older than the rest (GPT-2, 2019) sit in a bin of their own
left of an axis break, instead of being squeezed onto the edge.  Pure: no Sphinx.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from ..describe import fmt
from ..mechanisms.words import ENGLISH, N_, Language
from .chartsvg import Linker, chart_svg, el, f1, legend, mark
from .labelplace import Box, Placed, Point, place

Summary = Mapping[str, Any]
#: the class of a decoder type's dots
TYPES = {
    "Dense": "llmarch-dense",
    "Sparse MoE": "llmarch-moe",
    "Dense hybrid": "llmarch-hybrid",
    "Sparse hybrid": "llmarch-hybrid",
    # no attention at all: drawn with the hybrids, the other fixed-state models
    "Recurrent": "llmarch-hybrid",
    "Sparse recurrent": "llmarch-hybrid",
}
#: a gap this long (in years) between release dates puts the older models in a bin
BREAK_YEARS = 1.5
#: the early bin's width and the gap of the axis break after it
BIN, BREAK = 44.0, 18.0
DOT, ACTIVE = 5.0, 3.0
#: room after the newest model, in years
PAD_YEARS = 0.12
LEGEND = [
    ("llmarch-dot llmarch-dense", N_("Dense")),
    ("llmarch-dot llmarch-moe", N_("Mixture of experts")),
    ("llmarch-dot llmarch-hybrid", N_("Hybrid or recurrent")),
    ("llmarch-active", N_("Active per token (MoE)")),
]


def when(summary: Summary) -> float | None:
    """The release date as a fractional year; None where it is not known."""
    if not summary["release_date"]:
        return None
    d = date.fromisoformat(summary["release_date"])
    return d.year + (d.timetuple().tm_yday - 1) / 366


def log_ticks(low: float, high: float) -> list[float]:
    start = math.floor(math.log10(low))
    end = max(math.ceil(math.log10(high)), start + 1)  # one power of ten at least
    return [10.0**e for e in range(start, end + 1)]


def tip(s: Summary) -> str:
    """A point's tooltip and accessible name."""
    d = date.fromisoformat(s["release_date"])
    total, active = int(s["total_params"]), int(s["active_params"])
    text = f"{s['name']}, {d.day} {d:%b %Y}: {fmt.params(total)} parameters"
    if active != total:
        text += f", {fmt.params(active)} active per token"
    return text


class Timeline:
    """The scatter's axes: where a date and a parameter count are drawn."""

    left, right, top, bottom = 70, 16, 34, 42

    def __init__(self, times: Sequence[float], values: Sequence[int], size: tuple[int, int]):
        self.width, self.height = size
        ordered = sorted(times)
        gaps = [i for i in range(len(ordered) - 1) if ordered[i + 1] - ordered[i] >= BREAK_YEARS]
        #: the models before the last long gap go into the early bin
        self.early = ordered[: gaps[-1] + 1] if gaps else []
        main = ordered[len(self.early) :]
        self.start = self.left + (BIN + BREAK if self.early else 0)
        # from the first new year to just past the newest model, a little room either side
        self.x0, self.x1 = math.floor(main[0]), main[-1] + PAD_YEARS
        self.ticks = log_ticks(min(values), max(values))
        self.y0, self.y1 = math.log10(self.ticks[0]), math.log10(self.ticks[-1])
        self.floor = self.height - self.bottom

    def x(self, w: float) -> float:
        if self.early and w <= self.early[-1]:
            lo, hi = self.early[0], self.early[-1]
            share = (w - lo) / (hi - lo) if hi > lo else 0.5
            return self.left + 8 + share * (BIN - 16)
        span = self.width - self.start - self.right
        return self.start + (w - self.x0) / (self.x1 - self.x0) * span

    def y(self, v: float) -> float:
        span = self.floor - self.top
        return self.floor - (math.log10(v) - self.y0) / (self.y1 - self.y0) * span

    def frame(self) -> Box:
        return (self.left, self.top, self.width - self.right, self.floor)

    def _grid(self, y: str) -> list[ET.Element]:
        spans: list[tuple[float, float]] = [(self.start, self.width - self.right)]
        if self.early:
            spans.append((self.left, self.left + BIN))
        return [
            el("line", {"class": "llmarch-grid", "x1": a, "x2": b, "y1": y, "y2": y})
            for a, b in spans
        ]

    def axes(self, words: Language = ENGLISH) -> list[ET.Element]:
        body = []
        for t in self.ticks:
            y = f1(self.y(t))
            body += self._grid(y)
            label = {"x": self.left - 6, "y": f1(self.y(t) + 4), "text-anchor": "end"}
            body.append(el("text", {"class": "llmarch-axis", **label}, fmt.params(int(t))))
        below = self.floor + 16
        for year in range(self.x0, math.floor(self.x1) + 1):
            at = {"x": f1(self.x(year)), "y": below, "text-anchor": "middle"}
            body.append(el("text", {"class": "llmarch-axis", **at}, str(year)))
        if self.early:
            years = sorted({int(w) for w in self.early})
            text = str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"
            at = {"x": f1(self.left + BIN / 2), "y": below, "text-anchor": "middle"}
            body.append(el("text", {"class": "llmarch-axis", **at}, text))
            body += self._break()
        mid = (self.top + self.floor) / 2
        turn = {"transform": f"rotate(-90 14 {f1(mid)})", "text-anchor": "middle"}
        title = words(N_("Total parameters (log scale: each line 10× the one below)"))
        body.append(el("text", {"class": "llmarch-axis", "x": 14, "y": f1(mid), **turn}, title))
        at = {"x": f1((self.start + self.width - self.right) / 2), "y": self.height - 4}
        body.append(
            el(
                "text",
                {"class": "llmarch-axis", "text-anchor": "middle", **at},
                words(N_("Release date")),
            )
        )
        return body

    def _break(self) -> list[ET.Element]:
        """Two slanted strokes on the date axis where the early bin ends."""
        x, y = self.left + BIN + BREAK / 2, self.floor
        return [
            el(
                "line",
                {
                    "class": "llmarch-break",
                    "x1": f1(x + dx - 3),
                    "y1": f1(y + 5),
                    "x2": f1(x + dx + 3),
                    "y2": f1(y - 5),
                },
            )
            for dx in (-3, 3)
        ]


def _points(
    chart: Timeline, dated: Sequence[tuple[float, Summary]]
) -> tuple[list[Point], list[Box]]:
    """Each model's labelled point, and the boxes of its active dot. A label may cross the
    dotted stem between the two: it is drawn above every stem, on a halo of background."""
    points, marks = [], []
    for w, s in dated:
        px, py = chart.x(w), chart.y(int(s["total_params"]))
        points.append(Point(px, py, DOT, str(s["name"])))
        if int(s["active_params"]) != int(s["total_params"]):
            ay = chart.y(int(s["active_params"]))
            marks.append((px - ACTIVE - 1, ay - ACTIVE - 1, px + ACTIVE + 1, ay + ACTIVE + 1))
    return points, marks


def _stem(point: Point, active_y: float) -> ET.Element:
    at = {"x1": f1(point.x), "x2": f1(point.x), "y1": f1(point.y), "y2": f1(active_y)}
    return el("line", {"class": "llmarch-stem", **at})


def _model(
    s: Summary, point: Point, active_y: float | None, label: Placed | None, href: str | None
) -> ET.Element:
    kind = TYPES.get(s["decoder_type"], "llmarch-dense")
    group = mark(href, tip(s), "llmarch-point")
    px = f1(point.x)
    if active_y is not None:
        at = {"cx": px, "cy": f1(active_y), "r": ACTIVE}
        group.append(el("circle", {"class": "llmarch-active", **at}))
    dot = {"cx": px, "cy": f1(point.y), "r": DOT}
    group.append(el("circle", {"class": f"llmarch-dot {kind}", **dot}))
    if label is not None:
        at = {"x": f1(label.x), "y": f1(label.baseline), "text-anchor": label.anchor}
        group.append(el("text", {"class": "llmarch-label", **at}, point.text))
    return group


def timeline(
    summaries: Sequence[Summary],
    link: Linker | None = None,
    size: tuple[int, int] = (760, 620),
    words: Language = ENGLISH,
) -> str:
    """Every dated model by release date and size; its titles in ``words``' language."""
    title = words(N_("Release date and size"))
    dated = sorted(
        ((w, s) for s in summaries if (w := when(s)) is not None),
        key=lambda item: (item[0], str(item[1]["name"])),
    )
    if not dated:
        return chart_svg((size[0], 40), title, words(N_("No dated models.")), [], "timeline")
    values = [int(s[k]) for _, s in dated for k in ("total_params", "active_params")]
    chart = Timeline([w for w, _ in dated], values, size)
    points, marks = _points(chart, dated)
    labels = place(points, marks, chart.frame())
    keys = [(css, words(text)) for css, text in LEGEND]
    body = [*chart.axes(words), *legend(chart.left, 6, keys)]
    models = []
    for (_, s), point, label in zip(dated, points, labels, strict=True):
        active = int(s["active_params"])
        active_y = chart.y(active) if active != int(s["total_params"]) else None
        if active_y is not None:
            body.append(_stem(point, active_y))
        models.append(_model(s, point, active_y, label, link(s["slug"]) if link else None))
    body += models
    undated = len(summaries) - len(dated)
    desc = (
        f"{len(dated)} models by release date and total parameters on a logarithmic scale; "
        "for mixtures of experts a small dot below marks the parameters active per token."
    )
    if undated:
        desc += f" {undated} models without a known release date are left out."
    return chart_svg(size, title, desc, body, "timeline")

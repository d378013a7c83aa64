"""Charts drawn from the models' summaries, as themable SVG.  Pure: no Sphinx.

* ``timeline``: release date against total parameters (log scale), active parameters of
  MoE models marked below their total;
* ``active-share``: the share of parameters a token uses, for every sparse model;
* ``kv-cache``: KV cache per token, every model, log scale;
* ``family-tree``: which model follows which (the ``based_on`` relation), via Graphviz.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

from ..describe import fmt
from .dotwriter import box_graph
from .svg import SVG
from .theme import accent_index

Summary = Mapping[str, Any]
CHARTS = ("timeline", "active-share", "kv-cache", "family-tree")
#: the class of a decoder type's dots
_TYPES = {
    "Dense": "llmarch-dense",
    "Sparse MoE": "llmarch-moe",
    "Dense hybrid": "llmarch-hybrid",
    "Sparse hybrid": "llmarch-hybrid",
    # no attention at all: drawn with the hybrids, the other fixed-state models
    "Recurrent": "llmarch-hybrid",
    "Sparse recurrent": "llmarch-hybrid",
}


def _el(tag: str, attrs: Mapping[str, object], text: str | None = None) -> ET.Element:
    el = ET.Element(f"{{{SVG}}}{tag}", {k: str(v) for k, v in attrs.items()})
    el.text = text
    return el


def _titled(tag: str, attrs: Mapping[str, object], tip: str) -> ET.Element:
    """A shape with a tooltip."""
    el = _el(tag, attrs)
    el.append(_el("title", {}, tip))
    return el


def _f(value: float) -> str:
    return f"{value:.1f}"


def _svg(width: int, height: int, title: str, desc: str, body: list[ET.Element], name: str) -> str:
    svg = _el(
        "svg",
        {
            "class": f"llmarch-chart llmarch-chart-{name}",
            "width": width,
            "height": height,
            "viewBox": f"0 0 {width} {height}",
            "role": "img",
            "aria-labelledby": f"llmarch-chart-{name}-title llmarch-chart-{name}-desc",
        },
    )
    svg.append(_el("title", {"id": f"llmarch-chart-{name}-title"}, title))
    svg.append(_el("desc", {"id": f"llmarch-chart-{name}-desc"}, desc))
    svg.extend(body)
    return ET.tostring(svg, encoding="unicode", short_empty_elements=True)


def _log_ticks(low: float, high: float) -> list[float]:
    start, end = math.floor(math.log10(low)), math.ceil(math.log10(high))
    return [10.0**e for e in range(start, end + 1)]


def _when(summary: Summary) -> float | None:
    if not summary["release_date"]:
        return None
    d = date.fromisoformat(summary["release_date"])
    return d.year + (d.timetuple().tm_yday - 1) / 366


class _Timeline:
    """Release date (x) against parameters on a log scale (y)."""

    left, right, top, bottom = 60, 20, 20, 40

    def __init__(self, dated: list[tuple[float, Summary]], width: int, height: int) -> None:
        self.width, self.height = width, height
        times = sorted(w for w, _ in dated)
        # a lone model years older than the rest (GPT-2) would squeeze everyone else into a
        # corner: the axis starts with the others, and it is drawn at the edge with its year
        self.early = times[0] if len(times) > 1 and times[1] - times[0] >= 2 else None
        self.x0 = math.floor(times[1] if self.early is not None else times[0])
        self.x1 = math.floor(times[-1]) + 1
        values = [int(s["total_params"]) for _, s in dated]
        values += [int(s["active_params"]) for _, s in dated]
        self.ticks = _log_ticks(min(values), max(values))
        self.y0, self.y1 = math.log10(self.ticks[0]), math.log10(self.ticks[-1])

    def x(self, w: float) -> float:
        span = self.width - self.left - self.right
        return self.left + (max(w, self.x0) - self.x0) / (self.x1 - self.x0) * span

    def y(self, v: float) -> float:
        span = self.height - self.top - self.bottom
        return self.height - self.bottom - (math.log10(v) - self.y0) / (self.y1 - self.y0) * span

    def axes(self) -> list[ET.Element]:
        body = []
        for t in self.ticks:
            y = _f(self.y(t))
            grid = {"x1": self.left, "x2": self.width - self.right, "y1": y, "y2": y}
            body.append(_el("line", {"class": "llmarch-grid", **grid}))
            label = {"x": self.left - 6, "y": _f(self.y(t) + 4), "text-anchor": "end"}
            body.append(_el("text", {"class": "llmarch-axis", **label}, fmt.params(int(t))))
        for year in range(self.x0, self.x1 + 1):
            at = {"x": _f(self.x(year)), "y": self.height - 14, "text-anchor": "middle"}
            body.append(_el("text", {"class": "llmarch-axis", **at}, str(year)))
        return body

    def dots(self, dated: list[tuple[float, Summary]]) -> list[ET.Element]:
        body: list[ET.Element] = []
        placed: list[tuple[float, float, float, float]] = []
        for w, s in sorted(dated, key=lambda item: -int(item[1]["total_params"])):
            total, active = int(s["total_params"]), int(s["active_params"])
            tip = f"{s['name']}: {fmt.params(total)} total"
            px, py = self.x(w), self.y(total)
            if active != total:
                tip += f", {fmt.params(active)} active"
                stem = {"x1": _f(px), "x2": _f(px), "y1": _f(py), "y2": _f(self.y(active))}
                body.append(_el("line", {"class": "llmarch-stem", **stem}))
                mark = {"cx": _f(px), "cy": _f(self.y(active)), "r": "3"}
                body.append(_titled("circle", {"class": "llmarch-active", **mark}, tip))
            css = f"llmarch-dot {_TYPES.get(s['decoder_type'], 'llmarch-dense')}"
            body.append(
                _titled("circle", {"class": css, "cx": _f(px), "cy": _f(py), "r": "5"}, tip)
            )
            label = str(s["name"])
            if self.early is not None and w == self.early:
                label += f" ({s['release_date'][:4]})"
            box = (px + 7, py - 9, px + 7 + len(label) * 5.6, py + 3)
            if box[2] < self.width and not any(_overlap(box, other) for other in placed):
                placed.append(box)
                at = {"x": _f(box[0]), "y": _f(py + 3)}
                body.append(_el("text", {"class": "llmarch-label", **at}, label))
        return body


def timeline(summaries: Sequence[Summary], width: int = 760, height: int = 460) -> str:
    dated = [(w, s) for s in summaries if (w := _when(s)) is not None]
    if not dated:
        return _svg(width, 40, "Timeline", "No dated models.", [], "timeline")
    chart = _Timeline(dated, width, height)
    legend = [
        ("llmarch-dot llmarch-dense", "Dense"),
        ("llmarch-dot llmarch-moe", "Mixture of experts"),
        ("llmarch-dot llmarch-hybrid", "Hybrid or recurrent"),
        ("llmarch-active", "Active (MoE)"),
    ]
    body = [*chart.axes(), *chart.dots(dated), *_legend(chart.left + 8, chart.top + 4, legend)]
    return _svg(
        width,
        height,
        "Release date and size",
        f"{len(dated)} models by release date and total parameters; for mixtures of "
        "experts a small dot below marks the parameters active per token.",
        body,
        "timeline",
    )


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _legend(x: float, y: float, items: Sequence[tuple[str, str]]) -> list[ET.Element]:
    parts = []
    for i, (css, text) in enumerate(items):
        yy = y + i * 16
        parts.append(_el("circle", {"class": css, "cx": x + 5, "cy": yy + 6, "r": "4"}))
        at = {"x": x + 14, "y": yy + 10}
        parts.append(_el("text", {"class": "llmarch-label", **at}, text))
    return parts


def _bars(
    rows: Sequence[tuple[str, float, str]],
    name: str,
    title: str,
    desc: str,
    scale: Callable[[float], float],
    width: int = 760,
) -> str:
    bar, gap, left, right = 16, 6, 220, 180
    height = len(rows) * (bar + gap) + 20
    body = []
    for i, (label, value, text) in enumerate(rows):
        y = 10 + i * (bar + gap)
        w = max(1.0, scale(value) * (width - left - right))
        at = {"x": left - 8, "y": y + 12, "text-anchor": "end"}
        body.append(_el("text", {"class": "llmarch-label", **at}, label))
        shape = {"x": left, "y": y, "width": _f(w), "height": bar}
        body.append(_titled("rect", {"class": "llmarch-bar", **shape}, f"{label}: {text}"))
        at = {"x": _f(left + w + 6), "y": y + 12}
        body.append(_el("text", {"class": "llmarch-value", **at}, text))
    return _svg(width, height, title, desc, body, name)


def active_share(summaries: Sequence[Summary]) -> str:
    moe = [s for s in summaries if int(s["active_params"]) < int(s["total_params"])]
    rows = sorted(
        (
            (
                s["name"],
                int(s["active_params"]) / int(s["total_params"]),
                (
                    f"{fmt.percent(int(s['active_params']) / int(s['total_params']))} "
                    f"({fmt.params(int(s['active_params']))} of {fmt.params(int(s['total_params']))})"
                ),
            )
            for s in moe
        ),
        key=lambda r: r[1],
    )
    top = max((r[1] for r in rows), default=1.0)
    return _bars(
        rows,
        "active-share",
        "Share of parameters active per token",
        f"{len(rows)} sparse models, sparsest first.",
        lambda v: v / top,
    )


def _kv_text(s: Summary) -> str:
    """The bar's value; a model without a per-token cache says what it keeps instead."""
    kv, state = int(s["kv_cache_bytes_per_token"]), int(s.get("linear_state_bytes", 0))
    if kv == 0 and state:
        return f"none ({fmt.bytes_iec(state)} fixed state)"
    return fmt.bytes_iec(kv)


def kv_cache(summaries: Sequence[Summary]) -> str:
    rows = sorted(
        ((s["name"], int(s["kv_cache_bytes_per_token"]), _kv_text(s)) for s in summaries),
        key=lambda r: -r[1],
    )
    positive = [r[1] for r in rows if r[1] > 0] or [1]
    low, high = math.log10(min(positive)) - 0.3, math.log10(max(positive))
    return _bars(
        rows,
        "kv-cache",
        "KV cache per token (bf16)",
        f"{len(rows)} models, largest first, on a logarithmic scale.",
        lambda v: (math.log10(v) - low) / (high - low) if v > 0 else 0,
    )


#: change lines an edge of the family tree shows; its tooltip and the compare view hold all
EDGE_LINES = 3


#: the font an edge label is measured with (see :func:`family_tree_dot`)
EDGE_METRICS = "Courier"
#: a change longer than this is written on two lines
EDGE_WIDTH = 28


def edge_label(lines: Sequence[str]) -> str:
    """The text on an edge: the first changes, and how many more there are."""
    shown = list(lines[:EDGE_LINES])
    if len(lines) > EDGE_LINES:
        shown[-1] = f"… {len(lines) - EDGE_LINES + 1} more"
    return "\n".join(_broken(line) for line in shown)


def _broken(line: str) -> str:
    """A long change on two lines: after its label ('RoPE + YaRN:'), else after its arrow."""
    if len(line) <= EDGE_WIDTH:
        return line
    return line.replace(": ", ":\n", 1) if ": " in line else line.replace(" → ", " →\n", 1)


def family_tree_dot(
    summaries: Mapping[str, Summary],
    urls: Mapping[str, str | None],
    changes: Mapping[str, Sequence[str]] | None = None,
    compare: str | None = None,
) -> str:
    """DOT of the ``based_on`` relation: an edge from each model to those following it,
    labelled with ``changes[slug]`` (what changed from its base) and linked to ``compare``
    (the compare view, given the pair as ``?a=BASE&b=MODEL``)."""
    g = box_graph("family-tree", "LR", nodesep=0.15, arrowsize=0.5, height=0.3)
    # the page draws every label in its own sans-serif font (theme.py), wider than the
    # metrics Graphviz has for Helvetica: edge labels are measured as Courier, wider still,
    # so that they keep clear of the boxes they lead to
    g.defaults("edge", fontsize=9, fontname=EDGE_METRICS)
    linked = {s["based_on"] for s in summaries.values() if s["based_on"] in summaries}
    linked |= {slug for slug, s in summaries.items() if s["based_on"] in summaries}
    for slug in sorted(linked):
        s = summaries[slug]
        g.node(
            slug,
            id=slug,
            label=s["name"],
            URL=urls.get(slug) or "",
            tooltip=s["name"],
            **{"class": f"llmarch-family llmarch-accent-{accent_index(s['family'])}"},
        )
    for slug in sorted(linked):
        base = summaries[slug]["based_on"]
        if base not in summaries:
            continue
        lines = (changes or {}).get(slug, ())
        pair = f"{summaries[base]['name']} → {summaries[slug]['name']}"
        tip = f"{pair}: {'; '.join(lines)}" if lines else pair
        g.edge(
            base,
            slug,
            id=f"{base}--{slug}",
            label=edge_label(lines) if lines else None,
            URL=f"{compare}?a={base}&b={slug}" if compare else None,
            tooltip=tip,
            labeltooltip=tip,
            **{"class": "llmarch-family-edge"},
        )
    return str(g)

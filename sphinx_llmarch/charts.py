"""Charts drawn from the models' summaries, as themable SVG.  Pure: no Sphinx.

* ``timeline``: release date against total parameters (log scale), active parameters of
  MoE models marked below their total;
* ``active-share``: the share of parameters a token uses, for every sparse model;
* ``kv-cache``: KV cache per token, every model, log scale;
* ``family-tree``: which model follows which (the ``based_on`` relation), via Graphviz.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

from . import fmt
from .dotwriter import DotWriter
from .theme import accent_index

Summary = Mapping[str, Any]
CHARTS = ("timeline", "active-share", "kv-cache", "family-tree")
_TYPES = {
    "Dense": "dense",
    "Sparse MoE": "moe",
    "Dense hybrid": "hybrid",
    "Sparse hybrid": "hybrid",
}


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def _svg(width: int, height: int, title: str, desc: str, body: list[str], name: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="llmarch-chart llmarch-chart-{name}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="llmarch-chart-{name}-title llmarch-chart-{name}-desc">'
        f'<title id="llmarch-chart-{name}-title">{_esc(title)}</title>'
        f'<desc id="llmarch-chart-{name}-desc">{_esc(desc)}</desc>' + "".join(body) + "</svg>"
    )


def _log_ticks(low: float, high: float) -> list[float]:
    start, end = math.floor(math.log10(low)), math.ceil(math.log10(high))
    return [10.0**e for e in range(start, end + 1)]


def _when(summary: Summary) -> float | None:
    if not summary["release_date"]:
        return None
    d = date.fromisoformat(summary["release_date"])
    return d.year + (d.timetuple().tm_yday - 1) / 366


def timeline(summaries: Sequence[Summary], width: int = 760, height: int = 460) -> str:
    dated = [(w, s) for s in summaries if (w := _when(s)) is not None]
    if not dated:
        return _svg(width, 40, "Timeline", "No dated models.", [], "timeline")
    left, right, top, bottom = 60, 20, 20, 40
    times = sorted(w for w, _ in dated)
    # a lone model years older than the rest (GPT-2) would squeeze everyone else into a
    # corner: the axis starts with the others, and it is drawn at the edge with its year
    early = times[0] if len(times) > 1 and times[1] - times[0] >= 2 else None
    x0 = math.floor(times[1] if early is not None else times[0])
    x1 = math.floor(times[-1]) + 1
    values = [int(s["total_params"]) for _, s in dated] + [
        int(s["active_params"]) for _, s in dated
    ]
    ticks = _log_ticks(min(values), max(values))
    y0, y1 = math.log10(ticks[0]), math.log10(ticks[-1])

    def x(w: float) -> float:
        return left + (max(w, x0) - x0) / (x1 - x0) * (width - left - right)

    def y(v: float) -> float:
        return height - bottom - (math.log10(v) - y0) / (y1 - y0) * (height - top - bottom)

    body = []
    for t in ticks:
        body.append(
            f'<line class="llmarch-grid" x1="{left}" x2="{width - right}" '
            f'y1="{y(t):.1f}" y2="{y(t):.1f}"/>'
        )
        body.append(
            f'<text class="llmarch-axis" x="{left - 6}" y="{y(t) + 4:.1f}" '
            f'text-anchor="end">{fmt.params(int(t))}</text>'
        )
    body.extend(
        f'<text class="llmarch-axis" x="{x(year):.1f}" y="{height - 14}" '
        f'text-anchor="middle">{year}</text>'
        for year in range(x0, x1 + 1)
    )
    placed: list[tuple[float, float, float, float]] = []
    for w, s in sorted(dated, key=lambda item: -int(item[1]["total_params"])):
        total, active = int(s["total_params"]), int(s["active_params"])
        cls = _TYPES.get(s["decoder_type"], "dense")
        tip = f"{s['name']}: {fmt.params(total)} total"
        px, py = x(w), y(total)
        if active != total:
            tip += f", {fmt.params(active)} active"
            body.append(
                f'<line class="llmarch-stem" x1="{px:.1f}" x2="{px:.1f}" y1="{py:.1f}" '
                f'y2="{y(active):.1f}"/>'
            )
            body.append(
                f'<circle class="llmarch-active" cx="{px:.1f}" cy="{y(active):.1f}" '
                f'r="3"><title>{_esc(tip)}</title></circle>'
            )
        body.append(
            f'<circle class="llmarch-dot llmarch-{cls}" cx="{px:.1f}" cy="{py:.1f}" r="5">'
            f"<title>{_esc(tip)}</title></circle>"
        )
        label = str(s["name"])
        if early is not None and w == early:
            label += f" ({s['release_date'][:4]})"
        box = (px + 7, py - 9, px + 7 + len(label) * 5.6, py + 3)
        if box[2] < width and not any(_overlap(box, other) for other in placed):
            placed.append(box)
            body.append(
                f'<text class="llmarch-label" x="{box[0]:.1f}" y="{py + 3:.1f}">'
                f"{_esc(label)}</text>"
            )
    body.append(
        _legend(
            left + 8,
            top + 4,
            [
                ("dense", "dense"),
                ("moe", "mixture of experts"),
                ("hybrid", "hybrid"),
                ("active", "active (MoE)"),
            ],
        )
    )
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


def _legend(x: float, y: float, items: Sequence[tuple[str, str]]) -> str:
    parts = []
    for i, (cls, text) in enumerate(items):
        yy = y + i * 16
        shape = "llmarch-active" if cls == "active" else f"llmarch-dot llmarch-{cls}"
        parts.append(
            f'<circle class="{shape}" cx="{x + 5}" cy="{yy + 6}" r="4"/>'
            f'<text class="llmarch-label" x="{x + 14}" y="{yy + 10}">{_esc(text)}</text>'
        )
    return "".join(parts)


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
        body.append(
            f'<text class="llmarch-label" x="{left - 8}" y="{y + 12}" text-anchor="end">'
            f"{_esc(label)}</text>"
        )
        body.append(
            f'<rect class="llmarch-bar" x="{left}" y="{y}" width="{w:.1f}" '
            f'height="{bar}"><title>{_esc(label)}: {_esc(text)}</title></rect>'
        )
        body.append(
            f'<text class="llmarch-value" x="{left + w + 6:.1f}" y="{y + 12}">{_esc(text)}</text>'
        )
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


def kv_cache(summaries: Sequence[Summary]) -> str:
    rows = sorted(
        (
            (
                s["name"],
                int(s["kv_cache_bytes_per_token"]),
                fmt.bytes_iec(int(s["kv_cache_bytes_per_token"])),
            )
            for s in summaries
        ),
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


def family_tree_dot(summaries: Mapping[str, Summary], urls: Mapping[str, str]) -> str:
    """DOT of the ``based_on`` relation: an edge from each model to those following it."""
    g = DotWriter(
        "family-tree",
        rankdir="LR",
        bgcolor="transparent",
        nodesep=0.15,
        ranksep=0.35,
        fontname="Helvetica,Arial,sans-serif",
        **{"class": "llmarch-graph"},
    )
    g.defaults(
        "node",
        shape="box",
        style="rounded,filled",
        fontsize=11,
        height=0.3,
        fontname="Helvetica,Arial,sans-serif",
    )
    g.defaults("edge", arrowsize=0.5)
    linked = {s["based_on"] for s in summaries.values() if s["based_on"] in summaries}
    linked |= {slug for slug, s in summaries.items() if s["based_on"] in summaries}
    for slug in sorted(linked):
        s = summaries[slug]
        g.node(
            slug,
            id=slug,
            label=s["name"],
            URL=urls.get(slug, ""),
            tooltip=s["name"],
            **{"class": f"llmarch-family llmarch-accent-{accent_index(s['family'])}"},
        )
    for slug in sorted(linked):
        base = summaries[slug]["based_on"]
        if base in summaries:
            g.edge(base, slug)
    return str(g)

"""Charts drawn from the models' summaries, as themable SVG.  Pure: no Sphinx.

* ``timeline``: release date against total parameters (log scale), active parameters of
  MoE models marked below their total;
* ``active-share``: the share of parameters a token uses, for every sparse model;
* ``kv-cache``: KV cache per token, every model, linear scale;
* ``family-tree``: which model follows which (the ``based_on`` relation), via Graphviz.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ..describe import fmt
from ..mechanisms.words import ENGLISH, N_, Language
from .chartsvg import Linker, chart_svg, el, f1, mark
from .dotwriter import box_graph
from .text import text_inches, text_width
from .theme import accent_index
from .timeline import timeline

Summary = Mapping[str, Any]
CHARTS = ("timeline", "active-share", "kv-cache", "family-tree")
__all__ = ["CHARTS", "active_share", "family_tree_dot", "kv_cache", "timeline"]


def nice_ticks(high: float, count: int = 4) -> list[float]:
    """Round values from 0 to at least ``high``, about ``count`` steps apart."""
    raw = high / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    return [i * step for i in range(math.ceil(high / step - 1e-9) + 1)]


#: a bar chart's row: slug, label, value, the value written beside the bar
Row = tuple[str, str, float, str]


def _span(rows: Sequence[Row], top: float, room: float) -> float:
    """The width of the scale: as wide as leaves room for each bar's value after it, and
    for half the last tick's label."""
    fits = [
        (room - text_width(text, 11) - 10) * top / value for _, _, value, text in rows if value > 0
    ]
    return min([room - 40, *fits])


def _bars(
    rows: Sequence[Row],
    names: tuple[str, str, str],
    axis: tuple[str, Sequence[float], Callable[[float], str]],
    link: Linker | None,
    width: int = 760,
) -> str:
    """Horizontal bars on a linear scale from zero, with the scale drawn as an axis of
    round values at top and bottom; each row links to its model's page."""
    name, title, desc = names
    caption, ticks, tick_text = axis
    bar, gap, left, top = 16, 6, 220, 40
    span = _span(rows, ticks[-1], width - left)
    height = top + len(rows) * (bar + gap) + 30
    body: list[ET.Element] = []
    at: dict[str, object] = {"x": 8, "y": 12}  # at the left: a phone shows it unscrolled
    body.append(el("text", {"class": "llmarch-axis", **at}, caption))
    for t in ticks:
        x = f1(left + t / ticks[-1] * span)
        body.append(
            el(
                "line",
                {"class": "llmarch-grid", "x1": x, "x2": x, "y1": top - 4, "y2": height - 24},
            )
        )
        for y in (top - 8, height - 10):
            at = {"x": x, "y": y, "text-anchor": "middle"}
            body.append(el("text", {"class": "llmarch-axis", **at}, tick_text(t)))
    for i, (slug, label, value, text) in enumerate(rows):
        y = top + i * (bar + gap)
        w = max(1.0, value / ticks[-1] * span)
        row = mark(link(slug) if link else None, f"{label}: {text}", "llmarch-row")
        at = {"x": left - 8, "y": y + 12, "text-anchor": "end"}
        row.append(el("text", {"class": "llmarch-label", **at}, label))
        shape = {"x": left, "y": y, "width": f1(w), "height": bar}
        row.append(el("rect", {"class": "llmarch-bar", **shape}))
        at = {"x": f1(left + w + 6), "y": y + 12}
        row.append(el("text", {"class": "llmarch-value", **at}, text))
        body.append(row)
    return chart_svg((width, height), title, desc, body, name)


def active_share(
    summaries: Sequence[Summary], link: Linker | None = None, words: Language = ENGLISH
) -> str:
    moe = [s for s in summaries if int(s["active_params"]) < int(s["total_params"])]
    rows = sorted(
        (
            (
                s["slug"],
                s["name"],
                int(s["active_params"]) / int(s["total_params"]),
                (
                    f"{fmt.percent(int(s['active_params']) / int(s['total_params']))} "
                    f"({fmt.params(int(s['active_params']))} of {fmt.params(int(s['total_params']))})"
                ),
            )
            for s in moe
        ),
        key=lambda r: r[2],
    )
    return _bars(
        rows,
        (
            "active-share",
            words(N_("Share of parameters active per token")),
            words(
                N_("%(count)s sparse models, sparsest first, on a linear scale from 0."),
                count=len(rows),
            ),
        ),
        (
            words(N_("Share of parameters active per token (linear scale)")),
            nice_ticks(max((r[2] for r in rows), default=1.0)),
            lambda t: f"{t * 100:g}%",
        ),
        link,
    )


def _kv_text(s: Summary) -> str:
    """The bar's value; a model without a per-token cache says what it keeps instead."""
    kv, state = int(s["kv_cache_bytes_per_token"]), int(s.get("linear_state_bytes", 0))
    if kv == 0 and state:
        return f"none ({fmt.bytes_iec(state)} fixed state)"
    return fmt.bytes_iec(kv)


def kv_cache(
    summaries: Sequence[Summary], link: Linker | None = None, words: Language = ENGLISH
) -> str:
    # a linear scale from zero: readers compare bar lengths, and on a log scale a bar a
    # quarter as long as another looked three quarters as long; the values range over two
    # orders of magnitude only, so the smallest bars are short but still drawn and each
    # bar writes its exact value beside it
    rows = sorted(
        (
            (s["slug"], s["name"], int(s["kv_cache_bytes_per_token"]), _kv_text(s))
            for s in summaries
        ),
        key=lambda r: -r[2],
    )
    return _bars(
        rows,
        (
            "kv-cache",
            words(N_("KV cache per token (bf16)")),
            words(
                N_("%(count)s models, largest first, on a linear scale from 0."), count=len(rows)
            ),
        ),
        (
            words(N_("KV cache per token, bf16 (linear scale)")),
            [t * 1024 for t in nice_ticks(max(r[2] for r in rows) / 1024 or 1.0)],
            lambda t: fmt.bytes_iec(int(t)),
        ),
        link,
    )


#: change lines an edge of the family tree shows; its tooltip and the compare view hold all
EDGE_LINES = 3


#: the font an edge label is measured with (see :func:`family_tree_dot`)
EDGE_METRICS = "Courier"
#: a change longer than this is written on two lines
EDGE_WIDTH = 28


def edge_label(lines: Sequence[str], words: Language = ENGLISH) -> str:
    """The text on an edge: the first changes, and how many more there are."""
    shown = list(lines[:EDGE_LINES])
    if len(lines) > EDGE_LINES:
        shown[-1] = words(N_("… %(count)s more"), count=len(lines) - EDGE_LINES + 1)
    return "\n".join(_broken(line) for line in shown)


def _broken(line: str) -> str:
    """A long change on two lines: after its label ('RoPE + YaRN:'), else after its arrow."""
    if len(line) <= EDGE_WIDTH:
        return line
    return line.replace(": ", ":\n", 1) if ": " in line else line.replace(" → ", " →\n", 1)


#: the family tree's box labels: font size (points) and the space either side (inches)
TREE_SIZE, TREE_MARGIN = 11, 0.1


def family_tree_dot(
    summaries: Mapping[str, Summary],
    urls: Mapping[str, str | None],
    changes: Mapping[str, Sequence[str]] | None = None,
    compare: str | None = None,
    words: Language = ENGLISH,
) -> str:
    """DOT of the ``based_on`` relation: an edge from each model to those following it,
    labelled with ``changes[slug]`` (what changed from its base) and linked to ``compare``
    (the compare view, given the pair as ``?a=BASE&b=MODEL``); its own words in ``words``'
    language (the changes are as given)."""
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
            # wide enough for the name in the page's font, which runs wider than the
            # metrics Graphviz measures with
            width=round(text_inches([str(s["name"])], TREE_SIZE) + 2 * TREE_MARGIN, 2),
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
            label=edge_label(lines, words) if lines else None,
            URL=f"{compare}?a={base}&b={slug}" if compare else None,
            tooltip=tip,
            labeltooltip=tip,
            **{"class": "llmarch-family-edge"},
        )
    return str(g)

"""The chart of memory against context: one line per model, log-log.  Pure: no Sphinx.

Every model of the gallery has its line in the SVG, so the page's script only shows and
hides lines (and never computes a curve of its own); without the script the lines of the
author's chosen models show.  A line plots the KV cache plus the fixed state of one
sequence (:func:`..describe.memory.sequence_bytes`) up to the model's native context,
with a point at every context where a window or chunk fills up.
"""

from __future__ import annotations

import functools
import math
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from typing import Any

from ..describe import fmt
from ..describe.memory import context_label, sequence_bytes
from ..mechanisms.words import ENGLISH, N_, Language
from ..model.memory import Coefficients
from .svg import element
from .theme import ACCENTS

Summary = Mapping[str, Any]
#: lines shown at once: one colour each
MAX_SHOWN = len(ACCENTS)
#: where the context axis starts: below the smallest window (gpt-oss: 128), to show its kink
FIRST_CONTEXT = 64
#: points per doubling of the context, between the kinks of each curve
STEPS_PER_DOUBLING = 4


Attrs = dict[str, str | float]


class _Axes:
    """Context (x, log 2) against bytes (y, log 2)."""

    left, right, top, bottom = 74, 16, 14, 44

    def __init__(self, width: int, height: int, last: int, low: int, high: int) -> None:
        self.width, self.height = width, height
        self.x0, self.x1 = math.log2(FIRST_CONTEXT), math.log2(last)
        # whole powers of 16 bytes bound the axis, so that every tick has a round label
        self.y0 = 4 * math.floor(math.log2(max(low, 1)) / 4)
        self.y1 = 4 * math.ceil(math.log2(max(high, 2)) / 4)

    def x(self, n: float) -> float:
        span = self.width - self.left - self.right
        return self.left + (math.log2(n) - self.x0) / (self.x1 - self.x0) * span

    def y(self, b: float) -> float:
        span = self.height - self.top - self.bottom
        return self.height - self.bottom - (math.log2(b) - self.y0) / (self.y1 - self.y0) * span

    def draw(self, words: Language = ENGLISH) -> list[ET.Element]:
        body = []
        grid: Attrs
        at: Attrs
        for e in range(self.y0, self.y1 + 1, 4):
            y = f"{self.y(2.0**e):.1f}"
            grid = {"x1": self.left, "x2": self.width - self.right, "y1": y, "y2": y}
            body.append(element("line", {"class": "llmarch-grid", **grid}))
            at = {"x": self.left - 6, "y": f"{float(y) + 4:.1f}", "text-anchor": "end"}
            body.append(element("text", {"class": "llmarch-axis", **at}, fmt.bytes_iec(2**e)))
        e = math.ceil(self.x0)
        while e <= self.x1:
            x = f"{self.x(2**e):.1f}"
            grid = {"x1": x, "x2": x, "y1": self.top, "y2": self.height - self.bottom}
            body.append(element("line", {"class": "llmarch-grid", **grid}))
            at = {"x": x, "y": self.height - self.bottom + 16, "text-anchor": "middle"}
            body.append(element("text", {"class": "llmarch-axis", **at}, context_label(2**e)))
            e += 2
        at = {"x": (self.left + self.width - self.right) / 2, "y": self.height - 8}
        label = words(N_("Context (tokens, logarithmic)"))
        body.append(
            element("text", {"class": "llmarch-axis", "text-anchor": "middle", **at}, label)
        )
        return body


def contexts(c: Coefficients) -> list[int]:
    """Where a line is evaluated: evenly on the log scale, every kink, and the maximum."""
    points = {c.maximum, *(p[0] for p in c.curve if FIRST_CONTEXT < p[0] < c.maximum)}
    n = float(FIRST_CONTEXT)
    while n < c.maximum:
        points.add(round(n))
        n *= 2 ** (1 / STEPS_PER_DOUBLING)
    return sorted(p for p in points if p >= FIRST_CONTEXT)


@functools.lru_cache(maxsize=8192)
def line_points(c: Coefficients) -> tuple[tuple[int, int], ...]:
    """A line's points (context, bytes): computed once per process for each model's
    coefficients, not again each time the chart is filled after an edit."""
    return tuple((n, sequence_bytes(c, n)) for n in contexts(c))


def memory_chart(
    summaries: Mapping[str, Summary],
    shown: Sequence[str],
    width: int = 760,
    height: int = 440,
    words: Language = ENGLISH,
) -> str:
    """The SVG: every model's line, those of ``shown`` visible and coloured in that order;
    its title and axis title in ``words``' language."""
    lines = {
        slug: line_points(c)
        for slug, s in sorted(summaries.items())
        for c in (Coefficients.from_dict(s["memory"]),)
        if c.maximum > FIRST_CONTEXT
    }
    values = [b for points in lines.values() for _, b in points] or [1]
    last = max((points[-1][0] for points in lines.values()), default=FIRST_CONTEXT * 2)
    axes = _Axes(width, height, last, min(values), max(values))
    svg = element(
        "svg",
        {
            "class": "llmarch-chart llmarch-chart-memory",
            "width": width,
            "height": height,
            "viewBox": f"0 0 {width} {height}",
            "role": "img",
            "aria-labelledby": "llmarch-chart-memory-title llmarch-chart-memory-desc",
        },
    )
    title = words(N_("Memory against context"))
    svg.append(element("title", {"id": "llmarch-chart-memory-title"}, title))
    description = (
        "KV cache plus fixed state of one sequence in bf16, against the context, both on "
        "logarithmic scales, each line ending at the model's native context. Shown: "
        + ", ".join(str(summaries[s]["name"]) for s in shown if s in lines)
        + "."
    )
    svg.append(element("desc", {"id": "llmarch-chart-memory-desc"}, description))
    svg.extend(axes.draw(words))
    slots = {slug: i for i, slug in enumerate(s for s in shown if s in lines)}
    for slug, points in lines.items():
        d = "M" + " L".join(f"{axes.x(n):.1f},{axes.y(max(b, 1)):.1f}" for n, b in points)
        css = "llmarch-series" + (
            f" llmarch-series-{slots[slug]}" if slug in slots else " llmarch-off"
        )
        line = element("g", {"class": css, "data-slug": slug})
        line.append(element("title", {}, str(summaries[slug]["name"])))
        line.append(element("path", {"d": d}))
        n, b = points[-1]
        end = {"cx": f"{axes.x(n):.1f}", "cy": f"{axes.y(max(b, 1)):.1f}", "r": "3"}
        line.append(element("circle", end))
        svg.append(line)
    return ET.tostring(svg, encoding="unicode", short_empty_elements=True)


def _series(selector: str, dark: bool) -> str:
    return "\n".join(
        f"{selector}.llmarch-series-{i} {{ --llmarch-series: {pair[1 if dark else 0]}; }}"
        for i, pair in enumerate(ACCENTS)
    )


def memory_css() -> str:
    """Each visible line's colour (also the legend's swatches), light and dark as the
    page's theme switches them, and the lines' own rules."""
    unset = 'body:not([data-theme="light"]) '
    dark = "\n".join(_series(f'{root}[data-theme="dark"] ', True) for root in ("body", "html"))
    return "\n".join(
        [
            _series("", False),
            dark,
            f"@media (prefers-color-scheme: dark) {{\n{_series(unset, True)}\n}}",
            (
                ".llmarch-series path { fill: none; stroke: var(--llmarch-series); "
                "stroke-width: 2.2; stroke-linejoin: round; }"
            ),
            ".llmarch-series circle { fill: var(--llmarch-series); }",
            # the second half of the palette is dashed: no two lines differ by hue alone
            ", ".join(f".llmarch-series-{i} path" for i in range(4, MAX_SHOWN))
            + " { stroke-dasharray: 7 3; }",
            ".llmarch-swatch { border-top-color: var(--llmarch-series); }",
            ", ".join(f".llmarch-swatch.llmarch-series-{i}" for i in range(4, MAX_SHOWN))
            + " { border-top-style: dashed; }",
            ".llmarch-chart .llmarch-off { display: none; }",
        ]
    )

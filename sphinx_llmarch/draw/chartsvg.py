"""The SVG pieces every chart is made of: elements, the chart's frame, legends, and marks
that link to their model's page and show a tooltip on hover, tap and keyboard focus
(``static/llmarch-charts.js`` shows the text of their ``data-tip``).  Pure: no Sphinx."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping, Sequence

from .svg import SVG
from .text import text_width

#: the address of a model's page from its slug; None where it has none
Linker = Callable[[str], "str | None"]


def el(tag: str, attrs: Mapping[str, object], text: str | None = None) -> ET.Element:
    node = ET.Element(f"{{{SVG}}}{tag}", {k: str(v) for k, v in attrs.items()})
    node.text = text
    return node


def f1(value: float) -> str:
    return f"{value:.1f}"


def mark(href: str | None, tip: str, css: str) -> ET.Element:
    """A group for one model's marks: a link to its page where it has one, else a
    focusable group; either way named by ``tip``, which its tooltip shows."""
    attrs: dict[str, object] = {"class": css, "aria-label": tip, "data-tip": tip}
    if href:
        return el("a", {"href": href, **attrs})
    return el("g", {"tabindex": 0, "role": "img", **attrs})


def chart_svg(
    size: tuple[int, int], title: str, desc: str, body: Sequence[ET.Element], name: str
) -> str:
    """The chart, with its title and description, in a frame that holds its tooltip and
    scrolls sideways where the screen is narrower than the chart can be read at."""
    width, height = size
    svg = el(
        "svg",
        {
            "class": f"llmarch-chart llmarch-chart-{name}",
            "width": width,
            "height": height,
            "viewBox": f"0 0 {width} {height}",
            "role": "group",
            "aria-labelledby": f"llmarch-chart-{name}-title llmarch-chart-{name}-desc",
        },
    )
    svg.append(el("title", {"id": f"llmarch-chart-{name}-title"}, title))
    svg.append(el("desc", {"id": f"llmarch-chart-{name}-desc"}, desc))
    svg.extend(body)
    drawn = ET.tostring(svg, encoding="unicode", short_empty_elements=True)
    frame = f'<div class="llmarch-chart-frame" style="--llmarch-chart-width: {width}px">'
    return f"{frame}{drawn}</div>"


def legend(x: float, y: float, items: Sequence[tuple[str, str]]) -> list[ET.Element]:
    """A row of legend entries from ``(x, y)``."""
    parts = []
    xx = x
    for css, text in items:
        parts.append(el("circle", {"class": css, "cx": xx + 5, "cy": y + 6, "r": "4"}))
        parts.append(el("text", {"class": "llmarch-key", "x": xx + 14, "y": y + 10}, text))
        xx += 14 + text_width(text, 11) + 16
    return parts

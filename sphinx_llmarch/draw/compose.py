"""Assemble a diagram: Graphviz panels + annotations + title + footer → one SVG.

Graphviz lays out each panel; this module places them and draws what Graphviz
places badly: the numbers beside the boxes (a right-aligned column on the left,
with dotted leader lines, never overlapping), the side-panel frames with their
titles and notes, the title and the footer.  The result is one ``<svg>`` element
with real text, CSS classes and an accessible title and description; the same
input always gives the same bytes.  Concept links are anchors whose targets are
filled in when the figure is written into a page (:meth:`Composed.svg`).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass

from .changed import CHANGED, MAIN, node_id, panel_id, signatures
from .figure import FigureSpec
from .panels import Panel
from .svg import (
    Anchor,
    Box,
    Composed,
    ComposeError,
    Drawing,
    Tag,
    element,
    number,
    parse_drawing,
    translated,
)
from .text import text_width, wrap

__all__ = ["ComposeError", "Composed", "compose", "inline_graph"]

MARGIN = 10.0
GAP = 28.0
TITLE_SIZE = 20.0
NOTE_SIZE = 11.0
NOTE_LEADING = 14.0
NOTE_WRAP = 44  # characters per line of a note
PANEL_PAD = 10.0
PANEL_TITLE = 13.0
PANEL_SPACING = 14.0
MIN_ROW = 800.0  # narrowest row of side panels
FOOTER_SIZE = 12.0

Render = Callable[[str], str]


# --------------------------------------------------------------------------- side panels


@dataclass
class Framed:
    spec: Panel
    drawing: Drawing
    width: float
    height: float
    x: float = 0.0
    y: float = 0.0


def _frame(spec: Panel, drawing: Drawing) -> Framed:
    title_w = text_width(spec.title, PANEL_TITLE) * 1.05
    notes_w = max((text_width(n, NOTE_SIZE) for n in spec.notes), default=0)
    width = max(drawing.width, title_w, notes_w) + 2 * PANEL_PAD
    height = PANEL_TITLE + 8 + drawing.height + len(spec.notes) * NOTE_LEADING + 2 * PANEL_PAD
    return Framed(spec, drawing, width, height)


def _rows(panels: list[Framed], width: float, by_part: bool = False) -> list[list[Framed]]:
    """Panels in reading order, wrapped into rows no wider than ``width``; ``by_part``: a
    panel explaining another part of the main panel than the one before starts a row."""
    rows: list[list[Framed]] = []
    used = width + 1
    for p in panels:
        same_part = not by_part or (rows and rows[-1][-1].spec.anchor == p.spec.anchor)
        if rows and same_part and used + PANEL_SPACING + p.width <= width:
            rows[-1].append(p)
            used += PANEL_SPACING + p.width
        else:
            rows.append([p])
            used = p.width
    return rows


def _draw_panel(p: Framed, anchors: list[Anchor], blocks: _Blocks) -> ET.Element:
    css = f"llmarch-panel llmarch-panel-{p.spec.key}"
    g = element("g", {"class": css, "transform": f"translate({number(p.x)},{number(p.y)})"})
    blocks.tag(panel_id(p.spec.key), g)
    frame = {"x": 0.0, "y": 0.0, "width": p.width, "height": p.height, "rx": 10.0}
    g.append(element("rect", {**frame, "class": "llmarch-panel-frame"}))
    title = element(
        "text",
        {
            "x": PANEL_PAD,
            "y": PANEL_PAD + PANEL_TITLE - 2,
            "font-size": PANEL_TITLE,
            "class": "llmarch-panel-title",
        },
        p.spec.title,
    )
    if p.spec.concept:
        link = element("a", {"class": "llmarch-concept-link"})
        anchors.append(Anchor(link, p.spec.concept, "href", (("class", "llmarch-concept-link"),)))
        link.append(title)
        g.append(link)
    else:
        g.append(title)
    inner_y = PANEL_PAD + PANEL_TITLE + 8
    inner_x = (p.width - p.drawing.width) / 2
    g.append(translated(p.drawing.group, inner_x, inner_y, "llmarch-panel-graph"))
    y = inner_y + p.drawing.height
    for i, line in enumerate(p.spec.notes):
        attrs = {"x": PANEL_PAD, "y": y + (i + 1) * NOTE_LEADING - 2, "font-size": NOTE_SIZE}
        g.append(element("text", {**attrs, "class": "llmarch-note-text"}, line))
    return g


# --------------------------------------------------------------------------- the figure


class _Blocks:
    """Marks the blocks the spec names as changed, with their identity; in a signed
    figure, writes every block's identity and signature."""

    def __init__(self, spec: FigureSpec) -> None:
        self.signatures = signatures(spec) if spec.signed else {}
        self.changed = set(spec.changed)

    def tag(self, block: str, g: ET.Element) -> None:
        if block in self.changed:
            g.set("class", f"{g.get('class', '')} {CHANGED}".strip())
        if block in self.changed or block in self.signatures:
            g.set("data-llmarch-block", block)
        if block in self.signatures:
            g.set("data-llmarch-sig", self.signatures[block])

    def of(self, scope: str) -> Tag:
        """What tags the nodes of the main panel (``main``) or of a side panel."""
        return lambda node, g: self.tag(node_id(scope, node), g)


@dataclass
class _Layout:
    """What is placed so far: the main panel's left edge, and the figure's extent."""

    top: float
    left: float
    bottom: float
    right: float = 0.0


def _notes(spec: FigureSpec, main: Drawing, top: float) -> tuple[ET.Element, _Layout]:
    """The numbers column, right-aligned left of the main panel, with leader lines."""
    targets = sorted(
        ((wrap_all(a.lines), main.boxes[a.node]) for a in spec.annotations if a.node in main.boxes),
        key=lambda pair: pair[1].cy,
    )
    notes_w = max(
        (text_width(line, NOTE_SIZE) for lines, _ in targets for line in lines), default=0
    )
    layout = _Layout(top, MARGIN + (notes_w + GAP if targets else 0), top + main.height)
    notes = element("g", {"class": "llmarch-notes"})
    cursor = -1e9
    above: set[float] = set()  # the rows a leader already reaches from above
    for lines, target in targets:
        height = len(lines) * NOTE_LEADING
        y = max(top + target.cy - height / 2, cursor + 6, top)
        cursor = y + height
        layout.bottom = max(layout.bottom, cursor)
        text_x = MARGIN + notes_w
        start = (text_x + 4, y + height / 2 - 3)
        path = _leader(start, target, main, above)
        points = [(layout.left + px, top + py) for px, py in path]
        leader = "M" + " L".join(f"{number(px)},{number(py)}" for px, py in [start, *points])
        notes.append(element("path", {"class": "llmarch-leader", "d": leader}))
        end = {"cx": points[-1][0], "cy": points[-1][1], "r": 2.0}  # where it points
        notes.append(element("circle", {**end, "class": "llmarch-leader-end"}))
        for i, line in enumerate(lines):
            attrs: dict[str, str | float] = {
                "x": text_x,
                "y": y + (i + 1) * NOTE_LEADING - 3,
                "font-size": NOTE_SIZE,
                "text-anchor": "end",
                "class": "llmarch-note-text",
            }
            notes.append(element("text", attrs, line))
    return notes, layout


def _leader(
    start: tuple[float, float], target: Box, main: Drawing, above: set[float]
) -> list[tuple[float, float]]:
    """Where a leader line runs in the main panel: straight to its box's left edge, or, when
    other boxes stand on that row (the position box beside the mixer, the mixer beside the
    feed-forward block of a parallel block), round them to the box's top edge, or to its
    bottom edge when another leader already comes from above on that row."""
    row = [
        b
        for b in main.boxes.values()
        if b.x1 <= target.x0 + 1 and b.y0 < target.cy < b.y1 and not b.holds(target)
    ]
    if not row:
        return [(target.x0 - 3, target.cy)]
    left = min(b.x0 for b in row) - 8
    x = target.x0 + 10
    if target.cy not in above:
        above.add(target.cy)
        y = min(b.y0 for b in [*row, target]) - 7
        return [(left, y), (x, y), (x, target.y0 - 2)]
    y = max(b.y1 for b in [*row, target]) + 7
    return [(left, y), (x, y), (x, target.y1 + 2)]


def wrap_all(lines: tuple[str, ...]) -> list[str]:
    """Note lines broken at spaces, so the notes column stays narrow."""
    return [part for line in lines for part in wrap(line, NOTE_WRAP, indent="  ")]


def _place_panels(
    framed: list[Framed], layout: _Layout, main: Drawing, by_part: bool = False
) -> None:
    """Side panels in rows under the main panel: the figure stays narrow enough to read at
    the width of a documentation column."""
    layout.right = layout.left + main.width
    row_width = max(layout.right - MARGIN, MIN_ROW)
    y = layout.bottom + GAP
    for row in _rows(framed, row_width, by_part):
        x = MARGIN
        for p in row:
            p.x, p.y = x, y
            x += p.width + PANEL_SPACING
        layout.right = max(layout.right, x - PANEL_SPACING)
        y += max(p.height for p in row) + PANEL_SPACING
        layout.bottom = y - PANEL_SPACING


def _footer(spec: FigureSpec, layout: _Layout) -> ET.Element:
    footer = element("g", {"class": "llmarch-footer"})
    for i, line in enumerate(spec.footer):
        y = layout.bottom + 8 + (i + 1) * (FOOTER_SIZE + 5)
        footer.append(element("text", {"x": MARGIN, "y": y, "font-size": FOOTER_SIZE}, line))
        layout.right = max(layout.right, MARGIN + text_width(line, FOOTER_SIZE))
    return footer


def _root(width: float, height: float, css: str, prefix: str, title: str, desc: str) -> ET.Element:
    svg = element(
        "svg",
        {
            "width": width,
            "height": height,
            "viewBox": f"0 0 {number(width)} {number(height)}",
            "class": css,
            "role": "img",
            "aria-labelledby": f"{prefix}-title {prefix}-desc",
        },
    )
    svg.append(element("title", {"id": f"{prefix}-title"}, title))
    svg.append(element("desc", {"id": f"{prefix}-desc"}, desc))
    return svg


def compose(spec: FigureSpec, render: Render, css_class: str = "llmarch-svg") -> Composed:
    """Render ``spec``'s panels with ``render`` (DOT → raw SVG) and assemble the figure."""
    prefix = f"llmarch-{spec.slug}-{spec.variant}"
    links = {link.node: (link.concept, link.tooltip) for link in spec.links}
    blocks = _Blocks(spec)
    main = parse_drawing(render(spec.main), f"{prefix}-main", links, blocks.of(MAIN))
    thumb = spec.variant == "thumb"
    notes, layout = _notes(spec, main, MARGIN + (0 if thumb else TITLE_SIZE + 14))
    framed = [
        _frame(p, parse_drawing(render(p.dot), f"{prefix}-{p.key}", tag=blocks.of(panel_id(p.key))))
        for p in spec.panels
    ]
    _place_panels(framed, layout, main, spec.compared)
    footer = _footer(spec, layout)
    footer_h = len(spec.footer) * (FOOTER_SIZE + 5) + 12 if spec.footer else 0
    height = layout.bottom + footer_h + MARGIN
    if not thumb:
        layout.right = max(layout.right, MARGIN + text_width(spec.title, TITLE_SIZE) * 1.05)
    width = max(layout.right, layout.left + main.width) + MARGIN
    css = f"{css_class} llmarch-accent-{spec.accent} llmarch-{spec.variant}"
    svg = _root(width, height, css, prefix, spec.title, spec.description or spec.title)
    if not thumb:
        attrs = {"x": MARGIN, "y": MARGIN + TITLE_SIZE, "font-size": TITLE_SIZE}
        svg.append(element("text", {**attrs, "class": "llmarch-title"}, spec.title))
    svg.append(translated(main.group, layout.left, layout.top, "llmarch-main"))
    for part in (notes, footer):
        if len(part):
            svg.append(part)
    anchors = list(main.anchors)
    for p in framed:
        svg.append(_draw_panel(p, anchors, blocks))
    return Composed(svg, tuple(anchors))


def inline_graph(raw_svg: str, prefix: str, title: str, desc: str) -> str:
    """A single Graphviz drawing as inline SVG (charts such as the family tree)."""
    drawing = parse_drawing(raw_svg, prefix)
    svg = _root(drawing.width, drawing.height, "llmarch-svg", prefix, title, desc)
    svg.append(drawing.group)
    return Composed(svg, ()).svg()

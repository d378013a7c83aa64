"""Assemble a diagram: Graphviz panels + annotations + title + footer → one SVG.

Graphviz lays out each panel; this module places them and draws what Graphviz
places badly: the numbers beside the boxes (a right-aligned column on the left,
with dotted leader lines, never overlapping), the side-panel frames with their
titles, notes and connectors, the title and the footer.  The output is one
``<svg>`` element with real text, CSS classes and an accessible title and
description; the same input always gives the same bytes.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass

from .diagram import FigureSpec
from .panels import Panel as PanelSpec

SVG = "http://www.w3.org/2000/svg"
ET.register_namespace("", SVG)
ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")

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
CHAR_WIDTH = 0.6  # average glyph advance / font size, on the safe side for browser fonts
_NUM = re.compile(r"-?\d+(?:\.\d+)?")


class ComposeError(Exception):
    pass


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    def shifted(self, dx: float, dy: float) -> Box:
        return Box(self.x0 + dx, self.y0 + dy, self.x1 + dx, self.y1 + dy)


def text_width(text: str, size: float) -> float:
    return len(text) * size * CHAR_WIDTH


def wrap(lines: tuple[str, ...], width: int = NOTE_WRAP) -> list[str]:
    """Break long note lines at spaces, so the notes column stays narrow."""
    out: list[str] = []
    for line in lines:
        current = ""
        for word in line.split(" "):
            if current and len(current) + 1 + len(word) > width:
                out.append(current)
                current = "  " + word  # continuation lines are indented
            else:
                current = f"{current} {word}" if current else word
        out.append(current)
    return out


@dataclass
class Drawing:
    """A rendered Graphviz graph: its drawing group, size and node boxes."""

    group: ET.Element
    width: float
    height: float
    boxes: dict[str, Box]


def parse_drawing(raw_svg: str, id_prefix: str) -> Drawing:
    try:
        root = ET.fromstring(raw_svg)
    except ET.ParseError as exc:
        raise ComposeError(f"Graphviz returned invalid SVG: {exc}") from exc
    view = [float(v) for v in root.get("viewBox", "0 0 0 0").split()]
    group = root.find(f"{{{SVG}}}g")
    if group is None or len(view) != 4:
        raise ComposeError("Graphviz returned an SVG without a drawing")
    tx, ty = _translation(group.get("transform", ""))
    boxes: dict[str, Box] = {}
    for g in group.iter(f"{{{SVG}}}g"):
        node_id = g.get("id")
        classes = g.get("class", "").split()
        if node_id and ("node" in classes or "cluster" in classes):
            box = _bbox(g)
            if box:
                boxes[node_id] = box.shifted(tx, ty)
    # Graphviz's tooltips show internal names; ids must be unique per page
    for parent in group.iter():
        for child in [c for c in parent if c.tag == f"{{{SVG}}}title"]:
            parent.remove(child)
        if parent.get("id"):
            parent.set("id", f"{id_prefix}-{parent.get('id')}")
    return Drawing(group, view[2], view[3], boxes)


def _translation(transform: str) -> tuple[float, float]:
    match = re.search(r"translate\(([-\d.]+)[ ,]+([-\d.]+)\)", transform)
    return (float(match.group(1)), float(match.group(2))) if match else (0.0, 0.0)


def _bbox(g: ET.Element) -> Box | None:
    xs: list[float] = []
    ys: list[float] = []
    for el in g.iter():
        tag = el.tag.rsplit("}", 1)[-1]
        if tag == "ellipse":
            cx, cy = float(el.get("cx", 0)), float(el.get("cy", 0))
            rx, ry = float(el.get("rx", 0)), float(el.get("ry", 0))
            xs += [cx - rx, cx + rx]
            ys += [cy - ry, cy + ry]
        elif tag in ("path", "polygon"):
            numbers = [float(n) for n in _NUM.findall(el.get("d") or el.get("points") or "")]
            xs += numbers[0::2]
            ys += numbers[1::2]
    if not xs:
        return None
    return Box(min(xs), min(ys), max(xs), max(ys))


def _num(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _el(tag: str, attrs: dict[str, str | float], text: str | None = None) -> ET.Element:
    el = ET.Element(
        f"{{{SVG}}}{tag}",
        {k: _num(v) if isinstance(v, float) else str(v) for k, v in attrs.items()},
    )
    if text is not None:
        el.text = text
    return el


def _translate(el: ET.Element, x: float, y: float, css: str) -> ET.Element:
    wrapper = _el("g", {"transform": f"translate({_num(x)},{_num(y)})", "class": css})
    wrapper.append(el)
    return wrapper


# --------------------------------------------------------------------------- side panels


@dataclass
class Framed:
    spec: PanelSpec
    drawing: Drawing
    width: float
    height: float
    x: float = 0.0
    y: float = 0.0


def _frame(spec: PanelSpec, drawing: Drawing) -> Framed:
    title_w = text_width(spec.title, PANEL_TITLE) * 1.05
    notes_w = max((text_width(n, NOTE_SIZE) for n in spec.notes), default=0)
    width = max(drawing.width, title_w, notes_w) + 2 * PANEL_PAD
    height = PANEL_TITLE + 8 + drawing.height + len(spec.notes) * NOTE_LEADING + 2 * PANEL_PAD
    return Framed(spec, drawing, width, height)


def _rows(panels: list[Framed], width: float) -> list[list[Framed]]:
    """Panels in reading order, wrapped into rows no wider than ``width``."""
    rows: list[list[Framed]] = []
    used = width + 1
    for p in panels:
        if rows and used + PANEL_SPACING + p.width <= width:
            rows[-1].append(p)
            used += PANEL_SPACING + p.width
        else:
            rows.append([p])
            used = p.width
    return rows


def _draw_panel(p: Framed, prefix: str) -> ET.Element:
    g = _el(
        "g",
        {
            "class": f"llmarch-panel llmarch-panel-{p.spec.key}",
            "transform": f"translate({_num(p.x)},{_num(p.y)})",
        },
    )
    g.append(
        _el(
            "rect",
            {
                "x": 0.0,
                "y": 0.0,
                "width": p.width,
                "height": p.height,
                "rx": 10.0,
                "class": "llmarch-panel-frame",
            },
        )
    )
    title = _el(
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
        link = _el(
            "a", {"href": f"llmarch-concept:{p.spec.concept}", "class": "llmarch-concept-link"}
        )
        link.append(title)
        g.append(link)
    else:
        g.append(title)
    inner_y = PANEL_PAD + PANEL_TITLE + 8
    inner_x = (p.width - p.drawing.width) / 2
    g.append(_translate(p.drawing.group, inner_x, inner_y, "llmarch-panel-graph"))
    y = inner_y + p.drawing.height
    for i, line in enumerate(p.spec.notes):
        g.append(
            _el(
                "text",
                {
                    "x": PANEL_PAD,
                    "y": y + (i + 1) * NOTE_LEADING - 2,
                    "font-size": NOTE_SIZE,
                    "class": "llmarch-note-text",
                },
                line,
            )
        )
    return g


# --------------------------------------------------------------------------- the figure


def compose(spec: FigureSpec, render: Callable[[str], str], css_class: str = "llmarch-svg") -> str:
    """Render ``spec``'s panels with ``render`` (DOT → raw SVG) and assemble the figure."""
    prefix = f"llmarch-{spec.slug}-{spec.variant}"
    main = parse_drawing(render(spec.main), f"{prefix}-main")
    thumb = spec.variant == "thumb"
    top = MARGIN + (0 if thumb else TITLE_SIZE + 14)

    # numbers column, right-aligned, to the left of the main panel
    targets = sorted(
        ((wrap(a.lines), main.boxes[a.node]) for a in spec.annotations if a.node in main.boxes),
        key=lambda pair: pair[1].cy,
    )
    notes_w = max(
        (text_width(line, NOTE_SIZE) for lines, _ in targets for line in lines), default=0
    )
    left = MARGIN + (notes_w + GAP if targets else 0)
    block = main.boxes.get("block")
    notes = _el("g", {"class": "llmarch-notes"})
    cursor = -1e9
    bottom = top + main.height
    for lines, target in targets:
        height = len(lines) * NOTE_LEADING
        y = max(top + target.cy - height / 2, cursor + 6, top)
        cursor = y + height
        bottom = max(bottom, cursor)
        inside = (
            block is not None
            and block.x0 <= target.x0
            and target.x1 <= block.x1
            and block.y0 <= target.cy <= block.y1
        )
        end_x = left + (block.x0 if inside and block else target.x0) - 3
        text_x = MARGIN + notes_w
        notes.append(
            _el(
                "path",
                {
                    "class": "llmarch-leader",
                    "d": f"M{_num(text_x + 4)},{_num(y + height / 2 - 3)} "
                    f"L{_num(end_x)},{_num(top + target.cy)}",
                },
            )
        )
        for i, line in enumerate(lines):
            notes.append(
                _el(
                    "text",
                    {
                        "x": text_x,
                        "y": y + (i + 1) * NOTE_LEADING - 3,
                        "font-size": NOTE_SIZE,
                        "text-anchor": "end",
                        "class": "llmarch-note-text",
                    },
                    line,
                )
            )

    # side panels, in rows under the main panel: the figure stays narrow enough to read
    # at the width of a documentation column
    framed = [_frame(p, parse_drawing(render(p.dot), f"{prefix}-{p.key}")) for p in spec.panels]
    right = left + main.width
    row_width = max(right - MARGIN, MIN_ROW)
    y = bottom + GAP
    for row in _rows(framed, row_width):
        x = MARGIN
        for p in row:
            p.x, p.y = x, y
            x += p.width + PANEL_SPACING
        right = max(right, x - PANEL_SPACING)
        y += max(p.height for p in row) + PANEL_SPACING
        bottom = y - PANEL_SPACING

    footer = _el("g", {"class": "llmarch-footer"})
    for i, line in enumerate(spec.footer):
        footer.append(
            _el(
                "text",
                {
                    "x": MARGIN,
                    "y": bottom + 8 + (i + 1) * (FOOTER_SIZE + 5),
                    "font-size": FOOTER_SIZE,
                },
                line,
            )
        )
        right = max(right, MARGIN + text_width(line, FOOTER_SIZE))
    height = bottom + (len(spec.footer) * (FOOTER_SIZE + 5) + 12 if spec.footer else 0) + MARGIN
    if not thumb:
        right = max(right, MARGIN + text_width(spec.title, TITLE_SIZE) * 1.05)
    right = max(right, left + main.width)
    width = right + MARGIN

    svg = _el(
        "svg",
        {
            "width": width,
            "height": height,
            "viewBox": f"0 0 {_num(width)} {_num(height)}",
            "class": f"{css_class} llmarch-accent-{spec.accent} llmarch-{spec.variant}",
            "role": "img",
            "aria-labelledby": f"{prefix}-title {prefix}-desc",
        },
    )
    svg.append(_el("title", {"id": f"{prefix}-title"}, spec.title))
    svg.append(_el("desc", {"id": f"{prefix}-desc"}, spec.description or spec.title))
    if not thumb:
        svg.append(
            _el(
                "text",
                {
                    "x": MARGIN,
                    "y": MARGIN + TITLE_SIZE,
                    "font-size": TITLE_SIZE,
                    "class": "llmarch-title",
                },
                spec.title,
            )
        )
    svg.append(_translate(main.group, left, top, "llmarch-main"))
    for part in (notes, footer):
        if len(part):
            svg.append(part)
    for p in framed:
        svg.append(_draw_panel(p, prefix))
    _set_role(svg)
    return ET.tostring(svg, encoding="unicode", short_empty_elements=True)


def _set_role(svg: ET.Element) -> None:
    """An image, unless it holds links: role="img" would hide them from assistive technology."""
    links = any(el.tag.rpartition("}")[2] == "a" for el in svg.iter())
    svg.set("role", "group" if links else "img")


def inline_graph(raw_svg: str, prefix: str, title: str, desc: str) -> str:
    """A single Graphviz drawing as inline SVG (charts such as the family tree)."""
    drawing = parse_drawing(raw_svg, prefix)
    svg = _el(
        "svg",
        {
            "width": drawing.width,
            "height": drawing.height,
            "viewBox": f"0 0 {_num(drawing.width)} {_num(drawing.height)}",
            "class": "llmarch-svg",
            "role": "img",
            "aria-labelledby": f"{prefix}-title {prefix}-desc",
        },
    )
    svg.append(_el("title", {"id": f"{prefix}-title"}, title))
    svg.append(_el("desc", {"id": f"{prefix}-desc"}, desc))
    svg.append(drawing.group)
    _set_role(svg)
    return ET.tostring(svg, encoding="unicode", short_empty_elements=True)

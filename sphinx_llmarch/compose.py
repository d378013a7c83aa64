"""Assemble a diagram: Graphviz panels + annotations + title + footer → one SVG.

Graphviz lays out each panel; this module places them and draws what Graphviz
places badly: the numbers beside the boxes (in a column, with dotted leader
lines, never overlapping), the title and the footer.  The output is one
``<svg>`` element with real text, CSS classes and an accessible title and
description; the same input always gives the same bytes.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass

from .dot import FigureSpec

SVG = "http://www.w3.org/2000/svg"
ET.register_namespace("", SVG)
ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")

MARGIN = 8.0
TITLE_SIZE = 18.0
NOTE_SIZE = 11.0
NOTE_LEADING = 14.0
FOOTER_SIZE = 12.0
CHAR_WIDTH = 0.56  # average glyph advance / font size for a sans-serif face
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


@dataclass
class Panel:
    """A rendered Graphviz panel: its drawing group, size and node boxes."""

    group: ET.Element
    width: float
    height: float
    boxes: dict[str, Box]


def parse_panel(raw_svg: str, id_prefix: str) -> Panel:
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
    return Panel(group, view[2], view[3], boxes)


def _translation(transform: str) -> tuple[float, float]:
    match = re.search(r"translate\(([-\d.]+)[ ,]+([-\d.]+)\)", transform)
    return (float(match.group(1)), float(match.group(2))) if match else (0.0, 0.0)


def _bbox(g: ET.Element) -> Box | None:
    xs: list[float] = []
    ys: list[float] = []
    for el in g:
        tag = el.tag.rsplit("}", 1)[-1]
        if tag == "text":
            continue
        if tag == "ellipse":
            cx, cy = float(el.get("cx", 0)), float(el.get("cy", 0))
            rx, ry = float(el.get("rx", 0)), float(el.get("ry", 0))
            xs += [cx - rx, cx + rx]
            ys += [cy - ry, cy + ry]
            continue
        numbers = [float(n) for n in _NUM.findall(el.get("d") or el.get("points") or "")]
        xs += numbers[0::2]
        ys += numbers[1::2]
    if not xs:
        return None
    return Box(min(xs), min(ys), max(xs), max(ys))


def _el(tag: str, attrs: dict[str, str | float], text: str | None = None) -> ET.Element:
    el = ET.Element(f"{{{SVG}}}{tag}", {k: _num(v) for k, v in attrs.items()})
    if text is not None:
        el.text = text
    return el


def _num(value: str | float) -> str:
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return str(value)


def compose(spec: FigureSpec, render: Callable[[str], str], css_class: str = "llmarch-svg") -> str:
    """Render ``spec``'s panels with ``render`` (DOT → raw SVG) and assemble the figure."""
    prefix = f"llmarch-{spec.slug}-{spec.variant}"
    main = parse_panel(render(spec.main), f"{prefix}-main")
    thumb = spec.variant == "thumb"

    top = MARGIN + (0 if thumb else TITLE_SIZE + 10)
    left = MARGIN
    block = main.boxes.get("block")
    column = left + max((b.x1 for b in main.boxes.values()), default=main.width) + 18

    notes = ET.Element(f"{{{SVG}}}g", {"class": "llmarch-notes"})
    right = left + main.width
    targets = sorted(
        ((ann, main.boxes[ann.node]) for ann in spec.annotations if ann.node in main.boxes),
        key=lambda pair: pair[1].cy,
    )
    cursor = -1e9
    for ann, target in targets:
        height = len(ann.lines) * NOTE_LEADING
        y = max(top + target.cy - height / 2, cursor + 6)
        cursor = y + height
        inside = (
            block is not None
            and block.x0 <= target.x0
            and target.x1 <= block.x1
            and block.y0 <= target.y0 <= block.y1
        )
        start_x = left + (block.x1 if inside and block else target.x1) + 3
        text_mid = y + len(ann.lines) * NOTE_LEADING / 2 - 3
        notes.append(
            _el(
                "path",
                {
                    "class": "llmarch-leader",
                    "d": f"M{_num(start_x)},{_num(top + target.cy)} L{_num(column - 4)},{_num(text_mid)}",
                },
            )
        )
        for i, line in enumerate(ann.lines):
            notes.append(
                _el(
                    "text",
                    {
                        "x": column,
                        "y": y + (i + 1) * NOTE_LEADING - 3,
                        "font-size": NOTE_SIZE,
                        "class": "llmarch-note-text",
                    },
                    line,
                )
            )
            right = max(right, column + text_width(line, NOTE_SIZE))

    bottom = max(top + main.height, cursor)
    footer = ET.Element(f"{{{SVG}}}g", {"class": "llmarch-footer"})
    for i, line in enumerate(spec.footer):
        footer.append(
            _el(
                "text",
                {
                    "x": left,
                    "y": bottom + 6 + (i + 1) * (FOOTER_SIZE + 4),
                    "font-size": FOOTER_SIZE,
                },
                line,
            )
        )
        right = max(right, left + text_width(line, FOOTER_SIZE))
    height = bottom + (len(spec.footer) * (FOOTER_SIZE + 4) + 10 if spec.footer else 0) + MARGIN
    title_text = spec.title
    if not thumb:
        right = max(right, left + text_width(title_text, TITLE_SIZE) * 1.05)
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
    svg.append(_el("title", {"id": f"{prefix}-title"}, title_text))
    svg.append(_el("desc", {"id": f"{prefix}-desc"}, spec.description or title_text))
    if not thumb:
        svg.append(
            _el(
                "text",
                {
                    "x": left,
                    "y": MARGIN + TITLE_SIZE,
                    "font-size": TITLE_SIZE,
                    "class": "llmarch-title",
                },
                title_text,
            )
        )
    wrapper = _el(
        "g", {"transform": f"translate({_num(left)},{_num(top)})", "class": "llmarch-main"}
    )
    wrapper.append(main.group)
    svg.append(wrapper)
    if len(notes):
        svg.append(notes)
    if len(footer):
        svg.append(footer)
    return ET.tostring(svg, encoding="unicode", short_empty_elements=True)

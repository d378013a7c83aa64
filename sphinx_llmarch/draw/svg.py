"""SVG as ElementTree: Graphviz's drawings parsed and renamed, elements written, and a
composed figure whose concept links are filled in when it is written into a page.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping
from dataclasses import dataclass

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
ET.register_namespace("", SVG)
ET.register_namespace("xlink", XLINK)

_NUM = re.compile(r"-?\d+(?:\.\d+)?")

#: a concept key → the address of its explanation, or None where the site has none
Resolve = Callable[[str], str | None]
#: called with each node's or cluster's Graphviz id and its group, before ids are prefixed
Tag = Callable[[str, ET.Element], None]


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

    def holds(self, other: Box) -> bool:
        """Whether ``other`` lies across this box horizontally, at a height inside it."""
        return self.x0 <= other.x0 and other.x1 <= self.x1 and self.y0 <= other.cy <= self.y1


@dataclass(frozen=True)
class Anchor:
    """A link to concept ``concept``: an ``<a>`` whose target is set when it is written.

    ``attrs`` are its other attributes, written after the target.
    """

    element: ET.Element
    concept: str
    href: str
    attrs: tuple[tuple[str, str], ...]


@dataclass
class Drawing:
    """A rendered Graphviz graph: its drawing group, size, node boxes and concept links."""

    group: ET.Element
    width: float
    height: float
    boxes: dict[str, Box]
    anchors: tuple[Anchor, ...] = ()


_ROOT_SIZE = re.compile(r'<svg\b[^>]*?\swidth="([\d.]+)"\s+height="([\d.]+)"')


def root_size(svg: str) -> tuple[float, float] | None:
    """The width and height an SVG's root element states, if it states them."""
    size = _ROOT_SIZE.search(svg[:4000])
    return (float(size[1]), float(size[2])) if size else None


def number(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def element(tag: str, attrs: Mapping[str, str | float], text: str | None = None) -> ET.Element:
    el = ET.Element(
        f"{{{SVG}}}{tag}",
        {k: number(v) if isinstance(v, float) else str(v) for k, v in attrs.items()},
    )
    if text is not None:
        el.text = text
    return el


def translated(el: ET.Element, x: float, y: float, css: str) -> ET.Element:
    wrapper = element("g", {"transform": f"translate({number(x)},{number(y)})", "class": css})
    wrapper.append(el)
    return wrapper


def parse_drawing(
    raw_svg: str,
    id_prefix: str,
    links: Mapping[str, tuple[str, str]] | None = None,
    tag: Tag | None = None,
) -> Drawing:
    """Graphviz's SVG as a group to place; ``links``: node id → (concept, tooltip); ``tag``
    sees each node and cluster."""
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
    anchors: list[Anchor] = []
    for g in list(group.iter(f"{{{SVG}}}g")):
        node_id = g.get("id")
        classes = g.get("class", "").split()
        if node_id and ("node" in classes or "cluster" in classes):
            box = _bbox(g)
            if box:
                boxes[node_id] = box.shifted(tx, ty)
            if links and node_id in links:
                anchors.append(_link(g, f"a_{node_id}", *links[node_id]))
            if tag is not None:
                tag(node_id, g)
    # Graphviz's tooltips show internal names; ids must be unique per page
    for parent in group.iter():
        for child in [c for c in parent if c.tag == f"{{{SVG}}}title"]:
            parent.remove(child)
        if parent.get("id"):
            parent.set("id", f"{id_prefix}-{parent.get('id')}")
    return Drawing(group, view[2], view[3], boxes, tuple(anchors))


def _link(node: ET.Element, anchor_id: str, concept: str, tooltip: str) -> Anchor:
    """Wrap a node's shapes in a link, as Graphviz draws a node with a URL."""
    title = f"{{{XLINK}}}title"
    holder = ET.Element(f"{{{SVG}}}g", {"id": anchor_id})
    link = ET.SubElement(holder, f"{{{SVG}}}a", {title: tooltip})
    shapes = [c for c in node if c.tag != f"{{{SVG}}}title"]
    for shape in shapes:
        node.remove(shape)
        link.append(shape)
    link.text, link.tail, holder.tail = "\n", "\n", "\n"
    node.append(holder)
    return Anchor(link, concept, f"{{{XLINK}}}href", ((title, tooltip),))


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


class Composed:
    """A composed figure; :meth:`svg` writes it with its links pointing where ``resolve``
    says (links to concepts the site does not explain keep their tooltip, not a target)."""

    def __init__(self, root: ET.Element, anchors: tuple[Anchor, ...]) -> None:
        self.root = root
        self.anchors = anchors
        # an image, unless it holds links: role="img" would hide them from assistive technology
        links = any(el.tag.rpartition("}")[2] == "a" for el in root.iter())
        root.set("role", "group" if links else "img")

    def svg(self, resolve: Resolve | None = None) -> str:
        for anchor in self.anchors:
            uri = resolve(anchor.concept) if resolve else None
            anchor.element.attrib.clear()
            if uri:
                anchor.element.set(anchor.href, uri)
            for key, value in anchor.attrs:
                anchor.element.set(key, value)
        return ET.tostring(self.root, encoding="unicode", short_empty_elements=True)

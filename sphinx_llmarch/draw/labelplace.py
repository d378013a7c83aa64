"""Where the labels of a scatter go: placed one by one, each where it overlaps nothing.

Pure geometry on boxes ``(x0, y0, x1, y1)`` in SVG user units (y down). Each point is
tried at a few places around it, nearest first; a label that fits nowhere is left out
(its point still has its name and tooltip). Points in a crowd are labelled last, so that
as many points as possible get one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .text import text_width

Box = tuple[float, float, float, float]

#: the label's font size, and how far its box reaches above and below its baseline: the
#: font's whole em box, which browsers measure a text's box by
LABEL_SIZE = 11
ASCENT, DESCENT = 0.95 * LABEL_SIZE, 0.25 * LABEL_SIZE
#: clear space between a point and its label
GAP = 3


def overlap(a: Box, b: Box) -> bool:
    """Whether two boxes share any area."""
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def text_box(x: float, baseline: float, text: str, anchor: str) -> Box:
    """The box a label written at ``x`` with ``text-anchor`` ``anchor`` covers."""
    width = text_width(text, LABEL_SIZE)
    left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
    return (left, baseline - ASCENT, left + width, baseline + DESCENT)


@dataclass(frozen=True)
class Point:
    """A point to label: its centre, its radius and its label."""

    x: float
    y: float
    r: float
    text: str


@dataclass(frozen=True)
class Placed:
    """A label put beside its point: where it is written, and the box it covers."""

    x: float
    baseline: float
    anchor: str
    box: Box


def _candidates(p: Point) -> list[tuple[float, float, str]]:
    """Places to write ``p``'s label, nearest first: right, left, above, below, corners."""
    d = p.r + GAP
    mid = p.y + (ASCENT - DESCENT) / 2
    return [
        (p.x + d, mid, "start"),
        (p.x - d, mid, "end"),
        (p.x, p.y - d - DESCENT, "middle"),
        (p.x, p.y + d + ASCENT, "middle"),
        (p.x + d, p.y - d, "start"),
        (p.x - d, p.y - d, "end"),
        (p.x + d, p.y + d + ASCENT - 2, "start"),
        (p.x - d, p.y + d + ASCENT - 2, "end"),
    ]


def _inside(box: Box, frame: Box) -> bool:
    return frame[0] <= box[0] and box[2] <= frame[2] and frame[1] <= box[1] and box[3] <= frame[3]


def _crowd(p: Point, points: Sequence[Point]) -> int:
    return sum(1 for q in points if abs(q.x - p.x) < 60 and abs(q.y - p.y) < 20)


def place(points: Sequence[Point], obstacles: Sequence[Box], frame: Box) -> list[Placed | None]:
    """A place for each point's label, or None where none is free: inside ``frame``,
    clear of every point (with its gap), of ``obstacles`` and of the labels placed before."""
    taken: list[Box] = [*obstacles]
    taken += [(q.x - q.r - 1, q.y - q.r - 1, q.x + q.r + 1, q.y + q.r + 1) for q in points]
    order = sorted(range(len(points)), key=lambda i: (_crowd(points[i], points), i))
    result: list[Placed | None] = [None] * len(points)
    for i in order:
        for x, baseline, anchor in _candidates(points[i]):
            box = text_box(x, baseline, points[i].text, anchor)
            room = (box[0] - 1, box[1] - 1, box[2] + 1, box[3] + 1)  # a pixel apart at least
            if _inside(box, frame) and not any(overlap(room, other) for other in taken):
                result[i] = Placed(x, baseline, anchor, box)
                taken.append(box)
                break
    return result

"""A side panel as data: the boxes, operators and arrows that explain a mechanism's internals.

A mechanism describes its panel with a :class:`Sketch` and knows nothing of Graphviz; the
drawing layer turns the sketch into DOT in the order it was written, lays it out and
frames it with its title and notes.  Every panel flows from an input point ``in`` at the
bottom to an output point ``out`` at the top.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Literal

from .words import N_

#: how a box is coloured (its class in the diagram stylesheet)
BoxRole = Literal[
    "ffn", "attn", "linear", "ssm", "expert", "shared", "router", "norm", "cache", "conv", "act"
]
EdgeStyle = Literal["flow", "hidden", "route"]
#: the label of a down-projection's box, with the width it projects to
DOWN = N_("Linear (down)\n→ %(size)s")


@dataclass(frozen=True)
class Box:
    name: str
    label: str
    role: BoxRole


@dataclass(frozen=True)
class Operator:
    """A small circle: '+', '×', 'σ', 's'."""

    name: str
    symbol: str


@dataclass(frozen=True)
class Ellipsis:
    """'…' between the first and the last of many parallel boxes."""

    name: str


@dataclass(frozen=True)
class Edge:
    tail: str
    head: str
    #: 'flow' is an arrow; 'hidden' only keeps two boxes in order; 'route' is a dashed arrow
    style: EdgeStyle = "flow"


@dataclass(frozen=True)
class SameRank:
    names: tuple[str, ...]


Item = Box | Operator | Ellipsis | Edge | SameRank


@dataclass
class Sketch:
    """One side panel: ``key`` is unique in a diagram, ``anchor`` is the main-panel box
    it explains ('attn' or 'ffn'), ``concept`` the concept its title links to."""

    key: str
    title: str
    anchor: str
    concept: str | None = None
    #: the graph's name (its DOT identity); by default the key
    name: str = ""
    notes: list[str] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)

    def box(self, name: str, label: str, role: BoxRole = "ffn") -> str:
        self.items.append(Box(name, label, role))
        return name

    def op(self, name: str, symbol: str) -> str:
        self.items.append(Operator(name, symbol))
        return name

    def ellipsis(self, name: str) -> str:
        self.items.append(Ellipsis(name))
        return name

    def edge(self, tail: str, head: str, style: EdgeStyle = "flow") -> None:
        self.items.append(Edge(tail, head, style))

    def chain(self, *names: str) -> None:
        """Arrows from each name to the next."""
        for tail, head in itertools.pairwise(names):
            self.edge(tail, head)

    def same_rank(self, *names: str) -> None:
        self.items.append(SameRank(names))

    def sigmoid_gate(self, names: tuple[str, str, str], source: str, value: str) -> str:
        """A sigmoid gate: ``source`` through a linear projection (``names[0]``) and a σ
        (``names[1]``) scales ``value`` at a product (``names[2]``), whose name it returns."""
        linear, sigma, product = names
        self.box(linear, "Linear (gate)")
        self.op(sigma, "σ")
        self.op(product, "×")
        self.chain(source, linear, sigma, product)
        self.chain(value, product)
        return product

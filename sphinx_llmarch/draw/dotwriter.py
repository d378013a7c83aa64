"""A tiny, deterministic writer of Graphviz DOT text, and the diagrams' graph style.

Attribute order is kept as given and every string is quoted and escaped, so the
same calls always give byte-identical DOT (and so byte-identical SVG).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

Attr = str | int | float | bool


def quote(value: Attr) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    text = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{text}"'


def attrs(values: dict[str, Attr | None]) -> str:
    parts = [f"{k}={quote(v)}" for k, v in values.items() if v is not None]
    return f" [{', '.join(parts)}]" if parts else ""


class DotWriter:
    """Collects statements; ``str()`` gives the graph."""

    def __init__(self, name: str, **graph: Attr | None) -> None:
        self._lines = [f"digraph {quote(name)} {{"]
        self._depth = 1
        if graph:
            self.defaults("graph", **graph)

    def _emit(self, line: str) -> None:
        self._lines.append("  " * self._depth + line)

    def defaults(self, kind: str, **values: Attr | None) -> None:
        self._emit(f"{kind}{attrs(values)};")

    def node(self, name: str, **values: Attr | None) -> None:
        self._emit(f"{quote(name)}{attrs(values)};")

    def edge(self, tail: str, head: str, **values: Attr | None) -> None:
        self._emit(f"{quote(tail)} -> {quote(head)}{attrs(values)};")

    def same_rank(self, *names: str) -> None:
        self._emit("{rank=same; " + " ".join(quote(n) + ";" for n in names) + "}")

    @contextmanager
    def cluster(self, name: str, **values: Attr | None) -> Iterator[None]:
        self._emit(f"subgraph {quote('cluster_' + name)} {{")
        self._depth += 1
        if values:
            self.defaults("graph", **values)
        yield
        self._depth -= 1
        self._emit("}")

    def __str__(self) -> str:
        return "\n".join([*self._lines, "}"]) + "\n"


FONT = "Helvetica,Arial,sans-serif"
FONT_SIZE = 12


def graph(name: str, ranksep: float = 0.2, nodesep: float = 0.3) -> DotWriter:
    """A graph in the diagrams' style: bottom to top, rounded filled boxes, small arrows."""
    g = DotWriter(
        name,
        rankdir="BT",
        bgcolor="transparent",
        fontname=FONT,
        fontsize=FONT_SIZE,
        nodesep=nodesep,
        ranksep=ranksep,
        pad=0.05,
        **{"class": "llmarch-graph"},
    )
    g.defaults(
        "node",
        shape="box",
        style="rounded,filled",
        fontname=FONT,
        fontsize=FONT_SIZE,
        height=0.34,
        margin="0.08,0.04",
    )
    g.defaults("edge", arrowsize=0.55)
    return g


def box_graph(name: str, rankdir: str, nodesep: float, arrowsize: float, **node: Attr) -> DotWriter:
    """A graph of labelled boxes for charts and maps (the family tree, the package's layers):
    rounded filled boxes in the diagrams' font; ``node`` adds node defaults."""
    g = DotWriter(
        name,
        rankdir=rankdir,
        bgcolor="transparent",
        nodesep=nodesep,
        ranksep=0.35,
        fontname=FONT,
        **{"class": "llmarch-graph"},
    )
    g.defaults("node", shape="box", style="rounded,filled", fontsize=11, **node, fontname=FONT)
    g.defaults("edge", arrowsize=arrowsize)
    return g

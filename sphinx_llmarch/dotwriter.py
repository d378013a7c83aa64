"""A tiny, deterministic writer of Graphviz DOT text.

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

"""A thumbnail's layer mix: one small box per kind of layer, with its count.  Pure.

A diagram names the kinds of a mixed stack together in one box ('Mamba-2, Grouped-query
attention or MoE') and shows their order in its layer-schedule panel; a thumbnail has no
panels, so where one box of its block stands for several kinds of layer it is drawn as a
row of small boxes instead, each in its kind's colour with the number of layers of that
kind, in the order the kinds first appear going up the stack.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from ..describe.labels import ffn_labels, mixer_labels
from ..mechanisms import Stack
from ..model.schema import Architecture
from ..model.stack import LayerSpec, used_ffns, used_mixers
from .dotwriter import DotWriter
from .panels import mixer_css
from .text import text_inches, wrap

#: the widest line of a cell, in characters
CELL_CHARS = 20
#: the size of the words in a cell
CELL_SIZE = 12


@dataclass(frozen=True)
class Cell:
    """One kind of layer in a thumbnail's row: its words and its colour's class."""

    label: str
    css: str


def layer_kinds(
    arch: Architecture, layers: Sequence[LayerSpec], stack: Stack
) -> dict[str, tuple[Cell, ...]]:
    """The cells of each box of the block (by its node: ``attn``, ``ffn``) that stands for
    more than one kind of layer; a stack of single-purpose layers is one box, ``attn``."""
    mixers = mixer_labels(arch, used_mixers(arch, layers), stack)
    ffns = ffn_labels(arch, used_ffns(arch, layers))

    def mixer(name: str) -> tuple[str, str]:
        return mixers[name], mixer_css(arch.mixers[name])

    def ffn(name: str) -> tuple[str, str]:
        return ffns[name], f"llmarch-{arch.ffns[name].CSS}"

    def whole(layer: LayerSpec) -> tuple[str, str]:
        parts = [mixer(layer.mixer)] if layer.mixer else []
        parts += [ffn(layer.ffn)] if layer.ffn else []
        return " + ".join(label for label, _ in parts), parts[0][1]

    if any(not (s.mixer and s.ffn) for s in layers):
        row = cells([whole(s) for s in layers])
        return {"attn": row} if row else {}
    found = {
        "attn": cells([mixer(s.mixer) for s in layers if s.mixer]),
        "ffn": cells([ffn(s.ffn) for s in layers if s.ffn]),
    }
    return {node: row for node, row in found.items() if row}


def cells(kinds: Sequence[tuple[str, str]]) -> tuple[Cell, ...]:
    """One cell per distinct (label, class) of ``kinds`` (one per layer), counted, in the
    order of first appearance; none where every layer is of one kind."""
    counts = Counter(kinds)  # a dict: its keys keep the order they were first seen in
    if len(counts) < 2:
        return ()
    return tuple(Cell(_words(n, label), css) for (label, css), n in counts.items())


def _words(count: int, label: str) -> str:
    """'23 × Mamba-2' on one line where it fits, else the count above the name."""
    one = f"{count} × {label}"
    if len(one) <= CELL_CHARS:
        return one
    return "\n".join([f"{count} ×", *wrap(label, CELL_CHARS)])


def draw_cells(g: DotWriter, node: str, cells: Sequence[Cell]) -> list[str]:
    """The cells standing for the box ``node``, side by side; their nodes."""
    names = [f"{node}_{i}" for i in range(1, len(cells) + 1)]
    for name, cell in zip(names, cells, strict=True):
        width = round(text_inches(cell.label.split("\n"), CELL_SIZE) + 0.3, 2)
        g.node(
            name, id=name, label=cell.label, width=width, fontsize=CELL_SIZE, **{"class": cell.css}
        )
    g.same_rank(*names)
    return names

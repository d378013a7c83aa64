"""Side panels of a diagram, each a small Graphviz graph.  Pure: no Sphinx, no I/O.

A panel opens only when its component is worth a closer look.  The mechanisms sketch
their own panels (the internals of a mixer, the MoE layer, the feed-forward MLP); this
module turns a sketch into DOT, and draws the layer schedule of hybrid or irregular
stacks as macro-blocks with repeat counts.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from ..describe.labels import ffn_labels, mixer_labels
from ..mechanisms import Mixer, Stack
from ..mechanisms.sketch import Box, Ellipsis, Operator, SameRank, Sketch
from ..mechanisms.words import ENGLISH, N_, Language
from ..model.schema import Architecture, LayerGroup, LayerItem
from ..model.stack import LayerSpec, parse_spec
from .dotwriter import Attr, DotWriter, graph
from .text import text_inches

SIZE = 11

#: the colour of a mixer's boxes, by its role
ROLE_CSS = {"attention": "llmarch-attn", "linear": "llmarch-linear", "state-space": "llmarch-ssm"}
#: the class of a sketched box, by its role, where it is not ``llmarch-<role>``
_BOX_CSS = {"expert": "llmarch-moe"}


def mixer_css(m: Mixer) -> str:
    return ROLE_CSS[m.ROLE]


@dataclass(frozen=True)
class Panel:
    """A side panel: its DOT text, the main-panel node it explains, and notes under it."""

    key: str
    title: str
    dot: str
    anchor: str
    notes: tuple[str, ...] = ()
    concept: str | None = None


class _Graph:
    """A panel graph, from its input point at the bottom to its output point at the top."""

    def __init__(self, name: str) -> None:
        self.g: DotWriter = graph(name, ranksep=0.18, nodesep=0.18)
        self.g.defaults("node", fontsize=SIZE, height=0.3, width=0.9)
        self.g.node(
            "in", id="in", shape="point", width=0.05, height=0.05, **{"class": "llmarch-point"}
        )
        self.g.node("out", id="out", shape="point", width=0.01, height=0.01, style="invis")

    def box(self, name: str, label: str, css: str, **extra: Attr) -> str:
        size = float(extra.get("fontsize", SIZE))
        extra.setdefault("width", max(0.9, round(text_inches(label.split("\n"), size) + 0.3, 2)))
        self.g.node(name, id=name, label=label, **{"class": css}, **extra)
        return name

    def op(self, name: str, symbol: str) -> None:
        self.g.node(
            name,
            id=name,
            label=symbol,
            shape="circle",
            width=0.26,
            height=0.26,
            fixedsize=True,
            **{"class": "llmarch-add"},
        )

    def __str__(self) -> str:
        return str(self.g)


def sketch_panel(sketch: Sketch, words: Language = ENGLISH) -> Panel:
    """A mechanism's sketch as a panel, its items written in the order they were sketched,
    its words in ``words``' language."""
    g = _Graph(sketch.name or sketch.key)
    for item in sketch.items:
        if isinstance(item, Box):
            css = _BOX_CSS.get(item.role, f"llmarch-{item.role}")
            g.box(item.name, words.label(item.label), css)
        elif isinstance(item, Operator):
            g.op(item.name, item.symbol)
        elif isinstance(item, Ellipsis):
            g.box(item.name, "…", "llmarch-io", shape="plaintext", width=0.3)
        elif isinstance(item, SameRank):
            g.g.same_rank(*item.names)
        elif item.style == "hidden":
            g.g.edge(item.tail, item.head, style="invis")
        elif item.style == "route":
            g.g.edge(item.tail, item.head, style="dashed", **{"class": "llmarch-route"})
        else:
            g.g.edge(item.tail, item.head)
    notes = tuple(words.label(note) for note in sketch.notes)
    title = words.label(sketch.title)
    return Panel(sketch.key, title, str(g), sketch.anchor, notes, sketch.concept)


# --------------------------------------------------------------------------- schedule


def schedule_panel(
    arch: Architecture, stack: Stack, total: int, mix: str, words: Language = ENGLISH
) -> Panel:
    """The layer schedule as macro-blocks with repeat counts, bottom (first layer) to top."""
    g = _Graph("schedule")
    g.g.defaults("node", fontsize=10, height=0.26)
    writer = _Schedule(g, arch, stack, words)
    last = writer.items(arch.layers.schedule, "in", "s")
    g.g.edge(last, "out")
    note = words(N_("%(count)s layers: %(mix)s"), count=total, mix=mix)
    return Panel("schedule", words(N_("Layer schedule")), str(g), "block", (note,))


def _merged(items: Sequence[LayerItem]) -> list[tuple[int, LayerItem]]:
    """Consecutive identical layer specs merged into (count, spec)."""
    out: list[tuple[int, LayerItem]] = []
    for item in items:
        if out and isinstance(item, str) and out[-1][1] == item:
            out[-1] = (out[-1][0] + 1, item)
        else:
            out.append((1, item))
    return out


class _Schedule:
    """Writes the schedule's rows and repeated groups, numbering their nodes in order."""

    def __init__(self, g: _Graph, arch: Architecture, stack: Stack, words: Language) -> None:
        self.g, self.arch, self.words = g, arch, words
        self.names = (list(arch.mixers), list(arch.ffns))
        # layer types that differ never share a row's words
        self.labels = (
            mixer_labels(arch, list(arch.mixers), stack),
            ffn_labels(arch, list(arch.ffns)),
        )
        self.counter = itertools.count(1)
        #: the mixer of the row below: the rows' mixers stand in one column
        self.spine = "in"

    def items(self, items: Sequence[LayerItem], previous: str, prefix: str) -> str:
        for count, item in _merged(items):
            if isinstance(item, LayerGroup):
                cluster = f"{prefix}{next(self.counter)}"
                with self.g.g.cluster(
                    cluster,
                    label=self.words(N_("%(count)s ×"), count=item.repeat),
                    labeljust="l",
                    labelloc="b",
                    style="rounded",
                    fontsize=11,
                    margin=6,
                    **{"class": "llmarch-macro"},
                ):
                    previous = self.items(item.pattern, previous, cluster + "_")
                continue
            spec = parse_spec(item, *self.names)
            previous = self.row(spec, f"{prefix}r{next(self.counter)}", count, previous)
        return previous

    def row(self, spec: LayerSpec, row: str, count: int, previous: str) -> str:
        """One layer type: its mixer, then its feed-forward block beside it, on the path from
        the layer below to the layer above."""
        g = self.g
        cells = []
        if spec.mixer:
            m = self.arch.mixers[spec.mixer]
            cells.append((f"{row}m", self.words.label(self.labels[0][spec.mixer]), mixer_css(m)))
        if spec.ffn:
            f = self.arch.ffns[spec.ffn]
            cells.append(
                (f"{row}f", self.words.label(self.labels[1][spec.ffn]), f"llmarch-{f.CSS}")
            )
        for node, label, css in cells:
            g.box(node, label, css, fontsize=10, height=0.26)
        if len(cells) == 2:
            g.g.same_rank(cells[0][0], cells[1][0])
            g.g.edge(cells[0][0], cells[1][0])
        if previous == self.spine:
            g.g.edge(previous, cells[0][0])
        else:  # from the feed-forward block of the row below, back to this row's mixer
            g.g.edge(self.spine, cells[0][0], style="invis", weight=8)
            g.g.edge(previous, cells[0][0], constraint=False)
        self.spine = cells[0][0]
        if count > 1:
            g.g.node(
                f"{row}n",
                id=f"{row}n",
                label=self.words(N_("%(count)s ×"), count=count),
                shape="plaintext",
                style="",
                fontsize=10,
                width=0.3,
                height=0.2,
                **{"class": "llmarch-count"},
            )
            g.g.same_rank(f"{row}n", cells[0][0])
            g.g.edge(f"{row}n", cells[0][0], style="invis")
        return cells[-1][0]

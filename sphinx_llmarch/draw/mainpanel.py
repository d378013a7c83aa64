"""The main panel of a diagram as Graphviz DOT text.  Pure: no Sphinx, no I/O.

The panel reads bottom to top like the reference panels: tokens, the embedding,
the repeated block (tinted, with its repeat count) holding the topology of one
layer (norm placement, residual adds, the token mixer with its positional and
QK-norm inputs, the FFN or MoE), then the final norm and the output head.  Every
node has an ``id`` (anchors for annotations, side panels and concept links) and CSS
classes; which nodes link to which concept is returned beside the DOT, for the
composer to add once the pages are known.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from ..describe.labels import mixers_title
from ..mechanisms import Mixer, PositionScheme, Stack
from ..mechanisms.looped import LoopedDepth
from ..mechanisms.ngram_embedding import NGRAM_EMBEDDINGS
from ..mechanisms.norms import Norm
from ..mechanisms.words import ENGLISH, N_, Language
from ..model.loader import LoadedModel
from ..model.schema import Architecture
from ..model.stack import LayerSpec, used_ffns, used_mixers
from .dotwriter import FONT_SIZE, Attr, DotWriter, graph
from .panels import mixer_css
from .text import text_inches, wrap
from .thumbmix import Cell, draw_cells, layer_kinds

MIN_WIDTH = 2.3  # inches


@dataclass(frozen=True)
class NodeLink:
    """Node ``node`` of a panel links to concept ``concept``; ``tooltip`` names it."""

    node: str
    concept: str
    tooltip: str


@dataclass(frozen=True)
class MainPanel:
    dot: str
    links: tuple[NodeLink, ...]


def box_width(labels: Sequence[str], size: float = FONT_SIZE) -> float:
    lines = [line for label in labels for line in label.split("\n")]
    return max(MIN_WIDTH, round(text_inches(lines, size) + 0.35, 2))


@dataclass(frozen=True)
class Sublayer:
    """One box of the block: the token mixer or the feed-forward part; in a thumbnail, a
    row of small boxes where it stands for several kinds of layer (``cells``)."""

    node: str
    label: str
    css: str
    concept: str | None
    cells: tuple[Cell, ...] = ()


def sublayers(
    arch: Architecture, layers: Sequence[LayerSpec], stack: Stack, words: Language = ENGLISH
) -> list[Sublayer]:
    """The block's sub-layers; single-purpose stacks (Nemotron-H) get one combined box."""
    mixers = [arch.mixers[n] for n in used_mixers(arch, layers)]
    # every kind a layer uses, a dense prefix included: the notes say which layers use which
    ffns = [arch.ffns[n] for n in used_ffns(arch, layers)]
    mixer_label = words.label(mixers_title(mixers, stack)) if mixers else ""
    ffn_names = list(dict.fromkeys(words.label(f.TITLE) for f in ffns))
    either = words(N_(" or\n"))
    css = mixer_css(mixers[0]) if mixers else "llmarch-attn"
    concept = mixers[0].concept() if len(mixers) == 1 else None
    if any(not (s.mixer and s.ffn) for s in layers):
        parts = [*mixer_label.replace(either, "\n").split("\n"), *ffn_names]
        last = words(N_("%(some)s or %(last)s"), some=", ".join(parts[:-1]), last=parts[-1])
        label = last if len(parts) > 1 else parts[0]
        return [Sublayer("attn", "\n".join(wrap(label, 30)), css, concept)]
    out = []
    if mixers:
        out.append(Sublayer("attn", mixer_label, css, concept))
    if ffns:
        routed = [f for f in ffns if f.ROUTED]
        lead = routed[0] if routed else ffns[0]
        label = ffn_names[0] if len(ffn_names) == 1 else either.join(ffn_names)
        out.append(Sublayer("ffn", label, f"llmarch-{lead.CSS}", lead.concept()))
    return out


def side_inputs(
    arch: Architecture, layers: Sequence[LayerSpec], stack: Stack, words: Language = ENGLISH
) -> list[str]:
    """Lines of the box feeding the mixer: positional scheme(s) per layer type, written as
    alternatives, then QK-norm.

    When a scheme or QK-norm applies to some layers only, the line says which: by the
    layer types' names, or by a layer count when the names do not tell them apart.
    """
    names = used_mixers(arch, layers)
    per_name = {n: sum(1 for s in layers if s.mixer == n) for n in names}
    kinds: dict[str, list[str]] = {}
    for n in names:
        p = arch.mixers[n].position_scheme()
        if p is not None and not p.AT_EMBEDDING:
            kinds.setdefault(p.label(), []).append(n)
    total = sum(per_name.values())

    def which(group: list[str]) -> str:
        labels = list(dict.fromkeys(words.label(arch.mixers[n].row_label(stack)) for n in group))
        others = {words.label(arch.mixers[n].row_label(stack)) for n in names if n not in group}
        if others.isdisjoint(labels):
            return ", ".join(labels)
        count = sum(per_name[n] for n in group)
        return words(N_("%(count)s of %(total)s layers"), count=count, total=total)

    # schemes of different layers are alternatives ('or'); QK-norm is combined with them ('+')
    lines = [
        (words(N_("or ")) if i else "")
        + (
            words.label(label)
            if len(group) == len(names)
            else f"{words.label(label)}\n({which(group)})"
        )
        for i, (label, group) in enumerate(kinds.items())
    ]
    qk = [n for n in names if arch.mixers[n].uses_qk_norm()]
    if qk:
        text = "QK-norm" if len(qk) == len(names) else f"QK-norm\n({which(qk)})"
        lines.append(("+ " if lines else "") + text)
    return lines


def _inputs_concept(mixers: Sequence[Mixer]) -> str:
    """The concept of the inputs box: the position scheme it names first, else QK-norm."""
    schemes = [p for m in mixers if (p := m.position_scheme()) and not p.AT_EMBEDDING]
    return schemes[0].concept().key if schemes else "qk-norm"


class _Spine:
    """Writes the main panel's nodes: boxes on the spine, residual adds, concept links."""

    def __init__(self, g: DotWriter, links: bool, words: Language) -> None:
        self.g = g
        self.linking = links
        self.links: list[NodeLink] = []
        self.words = words

    def link(self, node: str, concept: str, tooltip: str) -> None:
        self.links.append(NodeLink(node, concept, tooltip))

    def box(
        self, name: str, label: str, css: str, concept: str | None = None, **extra: Attr
    ) -> None:
        if concept and self.linking:
            self.link(name, concept, label.replace("\n", " "))
        self.g.node(name, id=name, label=label, group="spine", **{"class": css}, **extra)

    def add(self, name: str) -> None:
        self.g.node(
            name,
            id=name,
            label="+",
            shape="circle",
            width=0.24,
            height=0.24,
            fixedsize=True,
            group="spine",
            **{"class": "llmarch-add"},
        )

    def chain(self, *names: str) -> None:
        for a, b in itertools.pairwise(names):
            self.g.edge(a, b)

    def residual(self, tail: str, head: str) -> None:
        """The skip path around a sub-layer, drawn on the right-hand side."""
        self.g.edge(
            tail, head, tailport="e", headport="e", weight=0, **{"class": "llmarch-residual"}
        )


def main_panel(model: LoadedModel, thumb: bool = False, words: Language = ENGLISH) -> MainPanel:
    """DOT of the main stack panel, and its concept links."""
    arch = model.spec.architecture
    layers = model.layers
    parts = sublayers(arch, layers, model.stack, words)
    if thumb:  # no schedule panel: the mix is drawn in the block
        kinds = layer_kinds(arch, layers, model.stack)
        parts = [dataclasses.replace(p, cells=kinds.get(p.node, ())) for p in parts]
    head = words(N_("Linear output layer"))
    if arch.tie_embeddings:
        head += "\n" + words(N_("(tied to the embedding)"))
    g = graph(model.slug, ranksep=0.16 if thumb else 0.2)
    stream = arch.residual
    ends = [stream.expand_label(), stream.collapse_label()] if stream else [None, None]
    expand, collapse = (words.label(e) if e else "" for e in ends)
    caps = [words.label(arch.logit_softcap.label())] if arch.logit_softcap else []
    labels = [head, *caps, *(p.label for p in parts), *(e for e in (expand, collapse) if e)]
    g.defaults("node", width=box_width(labels))
    spine = _Spine(g, links=not thumb, words=words)
    tied = "tied-embeddings" if arch.tie_embeddings else None

    spine.box("tokens", words(N_("Tokenized text")), "llmarch-io", shape="plaintext")
    spine.box("embed", words(N_("Token embedding")), "llmarch-embed", tied)
    g.edge("tokens", "embed")
    below = _embedding_inputs(spine, model, thumb)
    if stream is not None and expand:
        spine.box("stream_in", expand, "llmarch-norm", stream.concept())
        g.edge(below, "stream_in")
        below = "stream_in"
    loop = arch.loop
    with g.cluster(
        "block",
        id="block",
        label=_repeat(loop, len(layers), words),
        labeljust="l",
        labelloc="b",
        style="rounded,filled",
        fontsize=14,
        margin=12,
        **{"class": "llmarch-block"},
    ):
        top = _block_contents(spine, model, parts, thumb)
    g.edge(below, "block_in", arrowhead="none")
    if stream is not None and collapse:
        spine.box("stream_out", collapse, "llmarch-norm", stream.concept())
        spine.chain(top, "stream_out")
        top = "stream_out"
    spine.box("final_norm", words(N_("Final %(norm)s"), norm=arch.norm.name), "llmarch-norm")
    spine.box("head", head, "llmarch-embed", tied)
    spine.chain(top, "final_norm", "head")
    if arch.logit_softcap:
        cap = arch.logit_softcap
        spine.box("softcap", words.label(cap.label()), "llmarch-act", cap.CONCEPTS[0].key)
        spine.chain("head", "softcap")
    if loop and not thumb:
        _loop_back(g, words.label(loop.loop_label()), "final_norm" if loop.norm_between else top)
    return MainPanel(str(g), tuple(spine.links))


def _repeat(loop: LoopedDepth | None, layers: int, words: Language) -> str:
    """The block's repeat count: '61 ×', or how a looped block repeats."""
    if loop is not None:
        return words.label(loop.block_label(layers))
    return words(N_("%(count)s ×"), count=layers)


def _loop_back(g: DotWriter, label: str, tail: str) -> None:
    """The stream going round again: from after the block back to its input."""
    g.edge(
        tail,
        "block_in",
        tailport="e",
        headport="e",
        constraint=False,
        style="dashed",
        taillabel=label,
        labelangle=70,
        labeldistance=5,
        fontsize=10,
        **{"class": "llmarch-route"},
    )


def _embedding_inputs(spine: _Spine, model: LoadedModel, thumb: bool) -> str:
    """Positions added to the embedding, per-layer embeddings; the node the block follows."""
    g, arch, words = spine.g, model.spec.architecture, spine.words
    below = "embed"
    schemes: list[PositionScheme] = [
        p for n in used_mixers(arch, model.layers) if (p := arch.mixers[n].position_scheme())
    ]
    at_embedding = next((p for p in schemes if p.AT_EMBEDDING), None)
    if at_embedding is not None:
        concept = at_embedding.concept()
        # linked in thumbnails too, unlike the boxes of the spine
        spine.link("pos_embed", concept.key, concept.title)
        g.node(
            "pos_embed",
            id="pos_embed",
            label=words(N_("Positional embedding")),
            width=2.2,
            **{"class": "llmarch-pos"},
        )
        spine.add("embed_add")
        spine.chain("embed", "embed_add")
        g.edge("pos_embed", "embed_add")
        g.same_rank("pos_embed", "embed")
        below = "embed_add"
    if arch.ngram_embeddings is not None:
        ngram = arch.ngram_embeddings
        spine.link("ngram", NGRAM_EMBEDDINGS.key, NGRAM_EMBEDDINGS.title)
        label = words.label(ngram.label())
        g.node(
            "ngram", id="ngram", label=label, width=box_width([label]), **{"class": "llmarch-embed"}
        )
        spine.add("ngram_mix")
        spine.chain(below, "ngram_mix")
        g.edge("ngram", "ngram_mix")
        g.same_rank("ngram", below)
        below = "ngram_mix"
    if arch.per_layer_embeddings and not thumb:
        g.node(
            "ple",
            id="ple",
            label=words(N_("Per-layer embeddings")),
            width=2.2,
            **{"class": "llmarch-embed"},
        )
        g.same_rank("ple", "embed")
    return below


def _block_contents(spine: _Spine, model: LoadedModel, parts: list[Sublayer], thumb: bool) -> str:
    """The repeated layer: its inputs box, its sub-layers; the node its output leaves from."""
    g, arch = spine.g, model.spec.architecture
    inputs = side_inputs(arch, model.layers, model.stack, spine.words) if not thumb else []
    has_inputs = bool(inputs) and any(p.node == "attn" for p in parts)
    if has_inputs:
        mixers = [arch.mixers[n] for n in used_mixers(arch, model.layers)]
        tooltip = spine.words(N_("Positions and QK-norm"))
        spine.link("inputs", _inputs_concept(mixers), tooltip)
        # declared before the spine: Graphviz then keeps it on the mixer's left
        g.node(
            "inputs",
            id="inputs",
            label="\n".join(inputs),
            width=box_width(inputs, 11) - 0.2,
            fontsize=11,
            **{"class": "llmarch-pos"},
        )
    g.node(
        "block_in",
        id="block_in",
        shape="point",
        width=0.05,
        height=0.05,
        group="spine",
        **{"class": "llmarch-point"},
    )
    top = _block(spine, parts, arch.norm)
    if has_inputs:
        g.same_rank("inputs", "attn")
        g.edge("inputs", "attn")
    return top


def _block(spine: _Spine, parts: list[Sublayer], norm: Norm) -> str:
    """Draw one layer inside the block; return the node its output leaves from."""
    g, where, name, words = spine.g, norm.where, norm.name, spine.words
    concept = where.concept.key
    accent = "llmarch-norm llmarch-norm-accent"
    if where.shared:
        spine.box("norm1", name, "llmarch-norm", concept)
        spine.add("add1")
        g.edge("block_in", "norm1", arrowhead="none")
        side_by_side = []
        for part in parts:
            for box in _part(spine, part):
                spine.chain("norm1", box, "add1")
                side_by_side.append(box)
        if len(side_by_side) > 1:
            g.same_rank(*side_by_side)
        spine.residual("block_in", "add1")
        return "add1"
    previous = "block_in"
    for i, part in enumerate(parts, start=1):
        chain: list[list[str]] = []
        if where.before:
            css = accent if where.accent else "llmarch-norm"
            spine.box(f"norm{i}", words(where.before).format(norm=name, i=i), css, concept)
            chain.append([f"norm{i}"])
        chain.append(_part(spine, part))
        if where.after:
            spine.box(f"post{i}", words(where.after).format(norm=name, i=i), accent, concept)
            chain.append([f"post{i}"])
        spine.add(f"add{i}")
        chain.append([f"add{i}"])
        for first in chain[0]:
            g.edge(previous, first, arrowhead="none" if previous == "block_in" else "normal")
        for tails, heads in itertools.pairwise(chain):
            for tail, head in itertools.product(tails, heads):
                g.edge(tail, head)
        spine.residual(previous, f"add{i}")
        previous = f"add{i}"
    return previous


def _part(spine: _Spine, part: Sublayer) -> list[str]:
    """Draw a sub-layer: its box, or its row of small boxes; return their nodes."""
    if not part.cells:
        spine.box(part.node, part.label, part.css, part.concept)
        return [part.node]
    return draw_cells(spine.g, part.node, part.cells)

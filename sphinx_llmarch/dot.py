"""The main panel of a diagram as Graphviz DOT text.  Pure: no Sphinx, no I/O.

The panel reads bottom to top like the reference panels: tokens, the embedding,
the repeated block (tinted, with its repeat count) holding the topology of one
layer (norm placement, residual adds, the token mixer with its positional and
QK-norm inputs, the FFN or MoE), then the final norm and the output head.  Every
node has an ``id`` (anchors for annotations and side panels) and CSS classes.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from .dotwriter import DotWriter
from .labels import (
    ffn_title,
    mixer_concept,
    mixers_title,
    norm_name,
    position_label,
    row_label,
)
from .loader import LoadedModel
from .schema import Architecture, MoE, is_linear, position_of
from .stack import LayerSpec, majority, needs_schedule, used_ffns, used_mixers

FONT = "Helvetica,Arial,sans-serif"
FONT_SIZE = 12
CHAR_WIDTH = 0.62  # conservative average glyph advance / font size (browsers' fonts are wider)
MIN_WIDTH = 2.3  # inches


def text_inches(lines: Sequence[str], size: float = FONT_SIZE) -> float:
    """Width in inches of the longest line, with the conservative estimate."""
    return max(len(line) for line in lines) * size * CHAR_WIDTH / 72


def box_width(labels: Sequence[str], size: float = FONT_SIZE) -> float:
    return max(
        MIN_WIDTH, round(text_inches([l for s in labels for l in s.split("\n")], size) + 0.35, 2)
    )


def concept_url(key: str) -> str:
    """Placeholder link; the HTML writer points it at the concept's page (or drops it)."""
    return f"llmarch-concept:{key}"


def graph(name: str, ranksep: float = 0.2, nodesep: float = 0.3) -> DotWriter:
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


@dataclass(frozen=True)
class Sublayer:
    """One box of the block: the token mixer or the feed-forward part."""

    node: str
    label: str
    css: str
    concept: str | None


def sublayers(arch: Architecture, layers: Sequence[LayerSpec]) -> list[Sublayer]:
    """The block's sub-layers; single-purpose stacks (Nemotron-H) get one combined box."""
    mixers, ffns = used_mixers(arch, layers), used_ffns(arch, layers)
    if not needs_schedule(arch, layers):
        # a dense prefix: the box names what most layers use; a note names the exception
        ffns = [n for n in (majority(layers, "ffn"),) if n]
    mixer_label = mixers_title([arch.mixers[n] for n in mixers], arch) if mixers else ""
    ffn_names = list(dict.fromkeys(ffn_title(arch.ffns[n]) for n in ffns))
    moe = any(isinstance(arch.ffns[n], MoE) for n in ffns)
    first = arch.mixers[mixers[0]] if mixers else None
    mixer_css = "llmarch-attn"
    if first is not None and is_linear(first):
        mixer_css = "llmarch-ssm" if first.kind == "mamba2" else "llmarch-linear"
    concept = mixer_concept(first) if first is not None and len(mixers) == 1 else None
    if any(not (s.mixer and s.ffn) for s in layers):
        names = [*mixer_label.replace(" or\n", "\n").split("\n"), *ffn_names]
        label = ", ".join(names[:-1]) + " or " + names[-1] if len(names) > 1 else names[0]
        return [Sublayer("attn", _wrap(label), mixer_css, concept)]
    out = []
    if mixers:
        out.append(Sublayer("attn", mixer_label, mixer_css, concept))
    if ffns:
        ffn_css = "llmarch-moe" if moe else "llmarch-ffn"
        out.append(Sublayer("ffn", _alternatives(ffn_names), ffn_css, "moe" if moe else None))
    return out


def _alternatives(names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    return " or\n".join(names)


def _wrap(text: str, width: int = 30) -> str:
    words, lines, line = text.split(" "), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "\n".join([*lines, line])


def side_inputs(arch: Architecture, layers: Sequence[LayerSpec]) -> list[str]:
    """Lines of the box feeding the mixer: positional scheme(s) per layer type, QK-norm.

    When a scheme or QK-norm applies to some layers only, the line says which: by the
    layer types' names, or by a layer count when the names do not tell them apart.
    """
    names = used_mixers(arch, layers)
    per_name = {n: sum(1 for s in layers if s.mixer == n) for n in names}
    kinds: dict[str, list[str]] = {}
    for n in names:
        p = position_of(arch.mixers[n])
        if p is not None and p.kind != "learned":
            kinds.setdefault(position_label(p), []).append(n)
    total = sum(per_name.values())

    def which(group: list[str]) -> str:
        labels = list(dict.fromkeys(row_label(arch.mixers[n], arch) for n in group))
        others = {row_label(arch.mixers[n], arch) for n in names if n not in group}
        if others.isdisjoint(labels):
            return ", ".join(labels)
        return f"{sum(per_name[n] for n in group)} of {total} layers"

    lines = [
        label if len(group) == len(names) else f"{label}\n({which(group)})"
        for label, group in kinds.items()
    ]
    qk = [n for n in names if getattr(arch.mixers[n], "qk_norm", "none") != "none"]
    if qk:
        lines.append("QK-norm" if len(qk) == len(names) else f"QK-norm\n({which(qk)})")
    return lines


class _Spine:
    """Writes the main panel's nodes: boxes on the spine, residual adds, links to concepts."""

    def __init__(self, g: DotWriter, links: bool) -> None:
        self.g = g
        self.links = links

    def box(
        self,
        name: str,
        label: str,
        css: str,
        concept: str | None = None,
        **extra: str | float | bool,
    ) -> None:
        link: dict[str, str] = {}
        if concept and self.links:
            link = {"URL": concept_url(concept), "tooltip": label.replace("\n", " ")}
        self.g.node(name, id=name, label=label, group="spine", **{"class": css}, **link, **extra)

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


def main_panel(model: LoadedModel, thumb: bool = False) -> str:
    """DOT of the main stack panel."""
    arch = model.spec.architecture
    layers = model.layers
    norm = norm_name(arch)
    parts = sublayers(arch, layers)
    head = "Linear output layer" + ("\n(tied to the embedding)" if arch.tie_embeddings else "")
    g = graph(model.slug, ranksep=0.16 if thumb else 0.2)
    g.defaults("node", width=box_width([head, *(p.label for p in parts)]))
    spine = _Spine(g, links=not thumb)
    tied = "tied-embeddings" if arch.tie_embeddings else None

    spine.box("tokens", "Tokenized text", "llmarch-io", shape="plaintext")
    spine.box("embed", "Token embedding", "llmarch-embed", tied)
    g.edge("tokens", "embed")
    below = "embed"
    learned = any(
        (p := position_of(arch.mixers[n])) is not None and p.kind == "learned"
        for n in used_mixers(arch, layers)
    )
    if learned:
        g.node(
            "pos_embed",
            id="pos_embed",
            label="Positional embedding",
            width=2.2,
            URL=concept_url("learned-positions"),
            tooltip="Learned absolute positions",
            **{"class": "llmarch-pos"},
        )
        spine.add("embed_add")
        spine.chain("embed", "embed_add")
        g.edge("pos_embed", "embed_add")
        g.same_rank("pos_embed", "embed")
        below = "embed_add"
    if arch.per_layer_embeddings and not thumb:
        g.node(
            "ple", id="ple", label="Per-layer embeddings", width=2.2, **{"class": "llmarch-embed"}
        )
        g.same_rank("ple", "embed")

    with g.cluster(
        "block",
        id="block",
        label=f"{len(layers)} ×",
        labeljust="l",
        labelloc="b",
        style="rounded,filled",
        fontsize=14,
        margin=12,
        **{"class": "llmarch-block"},
    ):
        inputs = side_inputs(arch, layers) if not thumb else []
        has_inputs = bool(inputs) and any(p.node == "attn" for p in parts)
        if has_inputs:
            # declared before the spine: Graphviz then keeps it on the mixer's left
            g.node(
                "inputs",
                id="inputs",
                label="\n".join(inputs),
                width=box_width(inputs, 11) - 0.2,
                fontsize=11,
                URL=concept_url("rope"),
                tooltip="Positions and QK-norm",
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
        top = _block(spine, parts, norm, arch.norm.placement)
        if has_inputs:
            g.same_rank("inputs", "attn")
            g.edge("inputs", "attn")
    g.edge(below, "block_in", arrowhead="none")
    spine.box("final_norm", f"Final {norm}", "llmarch-norm")
    spine.box("head", head, "llmarch-embed", tied)
    spine.chain(top, "final_norm", "head")
    return str(g)


def _block(spine: _Spine, parts: list[Sublayer], norm: str, placement: str) -> str:
    """Draw one layer inside the block; return the node its output leaves from."""
    g = spine.g
    accent = "llmarch-norm llmarch-norm-accent"
    if placement == "parallel":
        spine.box("norm1", norm, "llmarch-norm", "parallel-block")
        spine.add("add1")
        g.edge("block_in", "norm1", arrowhead="none")
        for part in parts:
            spine.box(part.node, part.label, part.css, part.concept)
            spine.chain("norm1", part.node, "add1")
        if len(parts) > 1:
            g.same_rank(*(p.node for p in parts))
        spine.residual("block_in", "add1")
        return "add1"
    previous = "block_in"
    for i, part in enumerate(parts, start=1):
        chain: list[str] = []
        if placement == "pre":
            spine.box(f"norm{i}", f"{norm} {i}", "llmarch-norm", "pre-norm")
            chain.append(f"norm{i}")
        elif placement == "sandwich":
            spine.box(f"norm{i}", f"Pre-{norm} {i}", accent, "sandwich-norm")
            chain.append(f"norm{i}")
        spine.box(part.node, part.label, part.css, part.concept)
        chain.append(part.node)
        if placement in ("post", "sandwich"):
            concept = "post-norm" if placement == "post" else "sandwich-norm"
            spine.box(f"post{i}", f"Post-{norm} {i}", accent, concept)
            chain.append(f"post{i}")
        spine.add(f"add{i}")
        chain.append(f"add{i}")
        g.edge(previous, chain[0], arrowhead="none" if previous == "block_in" else "normal")
        spine.chain(*chain)
        spine.residual(previous, f"add{i}")
        previous = f"add{i}"
    return previous

"""Model → diagram description: Graphviz DOT panels plus annotations.  Pure.

The main panel reads bottom to top like the reference panels: tokens, the
embedding, the repeated block (tinted, with its repeat count) holding the
topology of one layer, then the final norm and the output head.  Graphviz lays
out each panel; the numbers that belong beside a box are *annotations*, placed
by :mod:`.compose` with leader lines, so they never collide with the graph.
Every node carries an ``id`` (to anchor annotations) and CSS classes
(``llmarch-attn``, ``llmarch-moe``, ...) for theming.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Literal

from . import fmt
from .dotwriter import DotWriter
from .figures import Figures
from .loader import LoadedModel
from .schema import MLA, Architecture, Attention, DenseFFN, Mixer, MoE
from .stack import (
    LayerSpec,
    attention_kind_name,
    is_linear,
    layer_mix,
    layer_mix_text,
    position_label,
    position_of,
    runs,
    used_ffns,
    used_mixers,
)
from .theme import accent_index

Variant = Literal["full", "thumb"]

FONT = "Helvetica,Arial,sans-serif"
SPINE_WIDTH = 2.5  # inches (72 px): fits the longest box label at 12 px


@dataclass(frozen=True)
class Annotation:
    """Text lines beside node ``node`` of the main panel."""

    node: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class FigureSpec:
    """Everything needed to draw one model's diagram; plain data, hashable."""

    slug: str
    variant: Variant
    title: str
    accent: int
    main: str
    annotations: tuple[Annotation, ...] = ()
    footer: tuple[str, ...] = ()
    description: str = ""
    extra: tuple[tuple[str, str], ...] = field(default=())  # (name, DOT) side panels

    def key(self) -> str:
        """Content hash; equal specs give byte-identical SVG."""
        blob = json.dumps(asdict(self), sort_keys=True).encode()
        return hashlib.sha256(blob).hexdigest()[:24]


# --------------------------------------------------------------------------- labels


def norm_name(arch: Architecture) -> str:
    return "RMSNorm" if arch.norm.kind == "rmsnorm" else "LayerNorm"


def _lower_first(text: str) -> str:
    return text[0].lower() + text[1:]


def mixer_box_label(m: Mixer) -> str:
    """Name of a mixer box: 'Grouped-query attention', 'Sliding-window multi-head attention'."""
    if isinstance(m, Attention):
        base = {
            "mha": "Multi-head attention",
            "gqa": "Grouped-query attention",
            "mqa": "Multi-query attention",
        }[m.kind]
        if m.output_gate != "none":
            base = "Gated " + _lower_first(base)
        if m.window:
            return "Sliding-window " + _lower_first(base)
        if m.chunk:
            return "Chunked " + _lower_first(base)
        return base
    if isinstance(m, MLA):
        label = "Multi-head latent attention"
        return label + "\n+ DeepSeek sparse attention" if m.sparse else label
    return attention_kind_name(m)


def mixer_css(m: Mixer) -> str:
    if is_linear(m):
        return "llmarch-ssm" if m.kind == "mamba2" else "llmarch-linear"
    return "llmarch-attn"


def _span_text(spans: Sequence[tuple[int, int]], total: int) -> str:
    count = sum(b - a + 1 for a, b in spans)
    if count == total:
        return "all layers"
    if len(spans) <= 2:
        return ", ".join(f"layer {a}" if a == b else f"layers {a}–{b}" for a, b in spans)
    return f"{count} of {total} layers"


def _spans(
    layers: Sequence[LayerSpec], attr: Literal["mixer", "ffn"]
) -> dict[str, list[tuple[int, int]]]:
    """1-based layer ranges of each mixer or FFN name."""
    out: dict[str, list[tuple[int, int]]] = {}
    picked = [LayerSpec(getattr(s, attr), None) for s in layers]
    for run in runs(picked):
        if run.spec.mixer:
            out.setdefault(run.spec.mixer, []).append((run.first, run.last))
    return out


def attention_numbers(m: Mixer) -> list[str]:
    if isinstance(m, Attention):
        lines = [f"{m.heads} heads, {m.kv_heads} KV heads, head dim {m.head_dim}"]
        if m.window:
            lines.append(f"window of {fmt.count(m.window)} tokens")
        if m.chunk:
            lines.append(f"chunks of {fmt.count(m.chunk)} tokens")
        return lines
    if isinstance(m, MLA):
        latent = f"KV latent {m.kv_lora_rank}"
        if m.q_lora_rank:
            latent += f", query latent {m.q_lora_rank}"
        return [
            f"{m.heads} heads; {latent}",
            f"head dim {m.qk_nope_head_dim} + {m.qk_rope_head_dim} RoPE, value {m.v_head_dim}",
        ]
    heads = getattr(m, "heads", None) or getattr(m, "value_heads", None)
    return [f"{heads} heads"] if heads else []


def ffn_numbers(f: DenseFFN | MoE) -> list[str]:
    if isinstance(f, DenseFFN):
        return [f"hidden size {fmt.count(f.hidden)}"]
    lines = [f"{f.experts} experts, {f.active} active per token"]
    if f.shared:
        n = f.shared.count
        lines.append(f"+ {n} shared expert{'s' if n > 1 else ''}")
    lines.append(f"expert hidden size {fmt.count(f.expert_hidden)}")
    return lines


def title_of(model: LoadedModel, figures: Figures) -> str:
    spec = model.spec
    size = fmt.params(
        spec.official_params.total
        if spec.official_params and spec.official_params.total
        else figures.total_params
    )
    return f"{spec.name} ({size})"


# --------------------------------------------------------------------------- main panel


def _box(g: DotWriter, name: str, label: str, css: str, **extra: str | float | bool) -> None:
    g.node(name, id=name, label=label, group="spine", **{"class": css}, **extra)


def _spine_width(labels: Sequence[str]) -> float:
    """Box width in inches for the longest label line, with a safe text-width estimate."""
    longest = max(len(line) for label in labels for line in label.split("\n"))
    return max(SPINE_WIDTH, round(longest * 12 * 0.62 / 72 + 0.35, 2))


def main_panel(model: LoadedModel, thumb: bool) -> str:
    """DOT of the main stack panel."""
    arch = model.spec.architecture
    layers = model.layers
    norm = norm_name(arch)
    mixers = used_mixers(arch, layers)
    ffns = used_ffns(arch, layers)
    mixer_spans, ffn_spans = _spans(layers, "mixer"), _spans(layers, "ffn")
    total = len(layers)

    sublayers: list[tuple[str, str, str]] = []
    if mixers:
        label = "\n".join(
            mixer_box_label(arch.mixers[n])
            + ("" if len(mixers) == 1 else f" ({_span_text(mixer_spans[n], total)})")
            for n in mixers
        )
        sublayers.append(("attn", label, mixer_css(arch.mixers[mixers[0]])))
    if ffns:
        label = "\n".join(
            ("MoE" if isinstance(arch.ffns[n], MoE) else "Feed forward")
            + ("" if len(ffns) == 1 else f" ({_span_text(ffn_spans[n], total)})")
            for n in ffns
        )
        moe = any(isinstance(arch.ffns[n], MoE) for n in ffns)
        sublayers.append(("ffn", label, "llmarch-moe" if moe else "llmarch-ffn"))
    head = "Linear output layer" + ("\n(tied to the embedding)" if arch.tie_embeddings else "")
    width = _spine_width([head, *(label for _, label, _ in sublayers)])

    g = DotWriter(
        model.slug,
        rankdir="BT",
        bgcolor="transparent",
        fontname=FONT,
        fontsize=12,
        nodesep=0.3,
        ranksep=0.16 if thumb else 0.2,
        pad=0.05,
        **{"class": "llmarch-graph"},
    )
    g.defaults(
        "node",
        shape="box",
        style="rounded,filled",
        fontname=FONT,
        fontsize=12,
        width=width,
        height=0.34,
        margin="0.08,0.04",
    )
    g.defaults("edge", arrowsize=0.55)

    _box(g, "tokens", "Tokenized text", "llmarch-io", shape="plaintext")
    _box(g, "embed", "Token embedding", "llmarch-embed")
    g.edge("tokens", "embed")
    with g.cluster(
        "block",
        id="block",
        label=f"{total} ×",
        labeljust="l",
        labelloc="b",
        style="rounded,filled",
        fontsize=14,
        margin=12,
        **{"class": "llmarch-block"},
    ):
        g.node(
            "block_in",
            id="block_in",
            shape="point",
            width=0.05,
            height=0.05,
            group="spine",
            **{"class": "llmarch-point"},
        )
        previous = "block_in"
        for i, (name, label, css) in enumerate(sublayers, start=1):
            _box(g, f"norm{i}", f"{norm} {i}", "llmarch-norm")
            _box(g, name, label, css)
            g.node(
                f"add{i}",
                id=f"add{i}",
                label="+",
                shape="circle",
                width=0.24,
                height=0.24,
                fixedsize=True,
                group="spine",
                **{"class": "llmarch-add"},
            )
            g.edge(previous, f"norm{i}", arrowhead="none" if previous == "block_in" else "normal")
            g.edge(f"norm{i}", name)
            g.edge(name, f"add{i}")
            # the residual path: around the sub-layer, on the right-hand side
            g.edge(
                previous,
                f"add{i}",
                tailport="e",
                headport="e",
                weight=0,
                **{"class": "llmarch-residual"},
            )
            previous = f"add{i}"
        if not thumb and mixers:
            positions: list[str] = []
            for n in mixers:
                p = position_of(arch.mixers[n])
                if p is not None and p.kind != "learned" and position_label(p) not in positions:
                    positions.append(position_label(p))
            if positions:
                g.node(
                    "pos",
                    id="pos",
                    label="\n".join(positions),
                    width=1.3,
                    **{"class": "llmarch-pos"},
                )
                g.same_rank("pos", "attn")
                g.edge("pos", "attn", constraint=False)
    g.edge("embed", "block_in", arrowhead="none")
    _box(g, "final_norm", f"Final {norm}", "llmarch-norm")
    _box(g, "head", head, "llmarch-embed")
    g.edge(previous, "final_norm")
    g.edge("final_norm", "head")
    return str(g)


# --------------------------------------------------------------------------- figure


def figure_spec(model: LoadedModel, figures: Figures, variant: Variant = "full") -> FigureSpec:
    """The complete description of ``model``'s diagram."""
    spec = model.spec
    arch = spec.architecture
    layers = model.layers
    thumb = variant == "thumb"
    mixers = used_mixers(arch, layers)
    ffns = used_ffns(arch, layers)
    mix = layer_mix_text(layer_mix(arch, layers))
    notes: list[Annotation] = []
    footer: tuple[str, ...] = ()
    if not thumb:
        notes.append(Annotation("head", (f"vocabulary {fmt.count(arch.vocab_size)}",)))
        attn_lines = [line for n in mixers for line in attention_numbers(arch.mixers[n])]
        if attn_lines:
            notes.append(Annotation("attn", tuple(attn_lines)))
        ffn_spans = _spans(layers, "ffn")
        ffn_lines = []
        for n in ffns:
            lines = ffn_numbers(arch.ffns[n])
            if len(ffns) > 1:
                lines[0] = f"{_span_text(ffn_spans[n], len(layers))}: {lines[0]}"
            ffn_lines.extend(lines)
        if ffn_lines:
            notes.append(Annotation("ffn", tuple(ffn_lines)))
        notes.append(Annotation("block_in", (f"layers: {mix}",)))
        notes.append(Annotation("embed", (f"embedding dim {fmt.count(arch.hidden_size)}",)))
        notes.append(Annotation("tokens", (f"context {fmt.tokens(spec.context.native)} tokens",)))
        footer = (
            f"total {fmt.params(figures.total_params)} parameters"
            + (
                f", {fmt.params(figures.active_params)} active per token"
                if figures.active_params != figures.total_params
                else ""
            ),
            f"KV cache {fmt.bytes_iec(figures.kv_cache_bytes_per_token)} per token (bf16)",
        )
    description = (
        f"Architecture of {spec.name}: {len(layers)} layers ({mix}), "
        f"embedding dimension {arch.hidden_size}, vocabulary {arch.vocab_size}; "
        f"{fmt.params(figures.total_params)} parameters in total, "
        f"{fmt.params(figures.active_params)} active per token; "
        f"KV cache {fmt.bytes_iec(figures.kv_cache_bytes_per_token)} per token."
    )
    return FigureSpec(
        slug=spec.slug,
        variant=variant,
        title=title_of(model, figures),
        accent=accent_index(spec.family),
        main=main_panel(model, thumb),
        annotations=tuple(notes),
        footer=footer,
        description=description,
    )

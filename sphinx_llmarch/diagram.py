"""Model → the complete description of its diagram (:class:`FigureSpec`).  Pure.

The spec holds the DOT text of the main panel and of each side panel, the
numbers to write beside the boxes, the footer and a text description for
screen readers; :mod:`.compose` turns it into one SVG.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Literal

from . import fmt
from .dot import main_panel
from .figures import Figures
from .labels import ACTIVATIONS, attention_summary, heads_text, row_label, unconfirmed_text
from .loader import LoadedModel
from .panels import Panel, ffn_panel, mixer_panels, moe_panel, schedule_panel
from .schema import Architecture, Attention, DenseFFN, MoE
from .stack import (
    LayerSpec,
    decoder_type,
    layer_mix,
    layer_mix_text,
    needs_schedule,
    runs,
    used_ffns,
    used_mixers,
)
from .theme import accent_index

Variant = Literal["full", "thumb"]


@dataclass(frozen=True)
class Annotation:
    """Text lines beside node ``node`` of the main panel."""

    node: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class FigureSpec:
    """Everything needed to draw one model's diagram; plain data."""

    slug: str
    variant: Variant
    title: str
    accent: int
    main: str
    annotations: tuple[Annotation, ...] = ()
    panels: tuple[Panel, ...] = ()
    footer: tuple[str, ...] = ()
    description: str = ""

    def key(self) -> str:
        """Content hash; equal specs give byte-identical SVG."""
        blob = json.dumps(asdict(self), sort_keys=True).encode()
        return hashlib.sha256(blob).hexdigest()[:24]


def _spans(
    layers: Sequence[LayerSpec], pick: Literal["mixer", "ffn"]
) -> dict[str, list[tuple[int, int]]]:
    out: dict[str, list[tuple[int, int]]] = {}
    for run in runs([LayerSpec(getattr(s, pick), None) for s in layers]):
        if run.spec.mixer:
            out.setdefault(run.spec.mixer, []).append((run.first, run.last))
    return out


def span_text(spans: Sequence[tuple[int, int]], total: int) -> str:
    count = sum(b - a + 1 for a, b in spans)
    if count == total:
        return "all layers"
    if len(spans) <= 2:
        return ", ".join(f"layer {a}" if a == b else f"layers {a}–{b}" for a, b in spans)
    return f"{count} of {total} layers"


def attention_notes(arch: Architecture, mixers: Sequence[str]) -> list[str]:
    lines = []
    for name in mixers:
        m = arch.mixers[name]
        text = heads_text(m)
        if len(mixers) > 1:
            text = f"{row_label(m, arch)}: {text}"
        lines.append(text)
        if isinstance(m, Attention) and m.window:
            lines.append(f"window of {fmt.count(m.window)} tokens")
        if isinstance(m, Attention) and m.chunk:
            lines.append(f"chunks of {fmt.count(m.chunk)} tokens")
        features = []
        if isinstance(m, Attention) and m.sinks:
            features.append("attention sinks")
        if isinstance(m, Attention) and m.kv_shared:
            features.append("keys reused as values")
        if getattr(m, "bias", "none") != "none":
            features.append("QKV biases" if m.bias == "qkv" else "biases")  # type: ignore[union-attr]
        if features:
            lines.append(", ".join(features))
    return list(dict.fromkeys(lines))


def ffn_notes(arch: Architecture, layers: Sequence[LayerSpec]) -> list[str]:
    ffns = used_ffns(arch, layers)
    spans = _spans(layers, "ffn")
    lines = []
    for name in ffns:
        f = arch.ffns[name]
        if isinstance(f, DenseFFN):
            text = f"dense FFN, hidden size {fmt.count(f.hidden)}"
        else:
            text = f"MoE: {f.experts} experts, {f.active} active"
            if f.shared:
                text += f" + {f.shared.count} shared"
            if f.parallel_dense:
                text += " + a dense FFN"
        if len(ffns) > 1:
            text = f"{span_text(spans[name], len(layers))}: {text}"
        lines.append(text)
    return lines


def _panels(model: LoadedModel, mix: str) -> list[Panel]:
    arch = model.spec.architecture
    layers = model.layers
    out: list[Panel] = []
    if needs_schedule(arch, layers):
        out.append(schedule_panel(arch, len(layers), mix))
    out.extend(mixer_panels(arch, used_mixers(arch, layers)))
    ffns = [arch.ffns[n] for n in used_ffns(arch, layers)]
    moes = [f for f in ffns if isinstance(f, MoE)]
    if moes:
        out.append(moe_panel(moes[0], arch.hidden_size))
    by_activation: dict[str, list[str]] = {}
    for f in ffns:
        size = (
            f"{fmt.count(f.expert_hidden)} (each expert)"
            if isinstance(f, MoE)
            else fmt.count(f.hidden)
        )
        by_activation.setdefault(f.activation, []).append(size)
    for activation, sizes in by_activation.items():
        expert = all(isinstance(f, MoE) for f in ffns if f.activation == activation)
        if expert:
            note = f"expert hidden size {sizes[0].split(' ')[0]}"
        else:
            note = "hidden size " + ", ".join(dict.fromkeys(sizes))
        out.append(ffn_panel(activation, note, expert))
    return out


_SIZE_IN_NAME = re.compile(r"\d(?:\.\d+)?[BMT]\b")


def title_of(model: LoadedModel, figures: Figures) -> str:
    """'DeepSeek V3 (671B)'; names that carry their size ('Qwen3 32B') stay as they are."""
    name = model.spec.name
    if _SIZE_IN_NAME.search(name):
        return name
    official = model.spec.official_params
    total = official.total if official and official.total else figures.total_params
    return f"{name} ({fmt.params(total)})"


def describe(model: LoadedModel, figures: Figures, mix: str) -> str:
    arch = model.spec.architecture
    layers = model.layers
    ffns = [arch.ffns[n] for n in used_ffns(arch, layers)]
    ffn_text = "; ".join(
        f"MoE with {f.experts} experts, {f.active} active per token"
        + (f" and {f.shared.count} shared" if f.shared else "")
        if isinstance(f, MoE)
        else f"{ACTIVATIONS[f.activation]} feed-forward of {f.hidden:,}"
        for f in ffns
    )
    return (
        f"Architecture of {model.spec.name}, a {decoder_type(arch, layers).lower()} decoder with "
        f"{len(layers)} layers ({mix}). Attention: "
        f"{attention_summary(arch, used_mixers(arch, layers))}. Feed-forward: {ffn_text}. "
        f"Embedding dimension {arch.hidden_size:,}, vocabulary {arch.vocab_size:,}, context "
        f"{model.spec.context.native:,} tokens; {fmt.params(figures.total_params)} parameters in "
        f"total, {fmt.params(figures.active_params)} active per token; KV cache "
        f"{fmt.bytes_iec(figures.kv_cache_bytes_per_token)} per token."
    )


def figure_spec(model: LoadedModel, figures: Figures, variant: Variant = "full") -> FigureSpec:
    """The complete description of ``model``'s diagram."""
    spec = model.spec
    arch = spec.architecture
    layers = model.layers
    mix = layer_mix_text(layer_mix(arch, layers))
    description = describe(model, figures, mix)
    common = {
        "slug": spec.slug,
        "variant": variant,
        "title": title_of(model, figures),
        "accent": accent_index(spec.family or spec.organisation or spec.name),
        "description": description,
    }
    if variant == "thumb":
        return FigureSpec(main=main_panel(model, thumb=True), **common)  # type: ignore[arg-type]
    attn_lines = attention_notes(arch, used_mixers(arch, layers))
    ffn_lines = ffn_notes(arch, layers)
    if any(not (s.mixer and s.ffn) for s in layers):  # one combined box: one combined note
        attn_lines, ffn_lines = attn_lines + ffn_lines, []
    notes = [
        Annotation("head", (f"vocabulary {fmt.count(arch.vocab_size)}",)),
        Annotation("attn", tuple(attn_lines)),
        Annotation("ffn", tuple(ffn_lines)),
        Annotation("embed", (f"embedding dimension {fmt.count(arch.hidden_size)}",)),
        Annotation("tokens", (f"context {fmt.tokens(spec.context.native)} tokens",)),
    ]
    active = figures.active_params != figures.total_params
    footer: tuple[str, ...] = (
        f"{len(layers)} layers: {mix}",
        f"{fmt.params(figures.total_params)} parameters"
        + (f", {fmt.params(figures.active_params)} active per token" if active else "")
        + f" · KV cache {fmt.bytes_iec(figures.kv_cache_bytes_per_token)} per token (bf16)",
    )
    if spec.unconfirmed:
        footer += (f"Not confirmed by an official source: {unconfirmed_text(spec)}",)
    return FigureSpec(
        main=main_panel(model),
        annotations=tuple(n for n in notes if n.lines),
        panels=tuple(_panels(model, mix)),
        footer=footer,
        **common,  # type: ignore[arg-type]
    )

"""Side panels of a diagram, each a small Graphviz graph.  Pure: no Sphinx, no I/O.

A panel opens only when its component is worth a closer look: the feed-forward
block, the MoE layer, the internals of non-standard token mixers (MLA, gated
attention, Gated DeltaNet, Kimi Delta Attention, Lightning Attention, Mamba-2,
DeepSeek sparse attention) and the layer schedule of hybrid or irregular stacks.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from . import fmt
from .dot import concept_url, graph, text_inches
from .dotwriter import DotWriter
from .labels import ACTIVATIONS, row_label
from .schema import (
    MLA,
    Architecture,
    Attention,
    DeltaMixer,
    DenseFFN,
    LayerGroup,
    LayerItem,
    Lightning,
    Mamba2,
    MoE,
    is_linear,
)
from .stack import LayerSpec, parse_spec

SIZE = 11


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
    """A panel graph with helpers for the recurring shapes."""

    def __init__(self, name: str) -> None:
        self.g: DotWriter = graph(name, ranksep=0.18, nodesep=0.18)
        self.g.defaults("node", fontsize=SIZE, height=0.3, width=0.9)
        self.g.node(
            "in", id="in", shape="point", width=0.05, height=0.05, **{"class": "llmarch-point"}
        )
        self.g.node("out", id="out", shape="point", width=0.01, height=0.01, style="invis")

    def box(self, name: str, label: str, css: str = "llmarch-ffn", **extra: object) -> str:
        size = float(extra.get("fontsize", SIZE))  # type: ignore[arg-type]
        extra.setdefault("width", max(0.9, round(text_inches(label.split("\n"), size) + 0.3, 2)))
        self.g.node(name, id=name, label=label, **{"class": css}, **extra)  # type: ignore[arg-type]
        return name

    def op(self, name: str, symbol: str) -> str:
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
        return name

    def chain(self, *names: str, **attrs: object) -> None:
        for a, b in itertools.pairwise(names):
            self.g.edge(a, b, **attrs)  # type: ignore[arg-type]

    def __str__(self) -> str:
        return str(self.g)


# --------------------------------------------------------------------------- FFN and MoE


def ffn_panel(activation: str, hidden: str, expert: bool) -> Panel:
    g = _Graph("ffn")
    name = ACTIVATIONS[activation]  # type: ignore[index]
    act = {"swiglu": "SiLU", "geglu": "GELU", "gelu": "GELU", "relu2": "ReLU²"}[activation]
    if activation in ("swiglu", "geglu"):
        g.box("gate", "Linear")
        g.box("up", "Linear")
        g.box("act", act, "llmarch-act")
        g.op("mul", "×")
        g.box("down", "Linear")
        g.chain("in", "gate", "act", "mul", "down", "out")
        g.chain("in", "up", "mul")
        g.g.same_rank("gate", "up")
    else:
        g.box("up", "Linear")
        g.box("act", act, "llmarch-act")
        g.box("down", "Linear")
        g.chain("in", "up", "act", "down", "out")
    title = f"{'Each expert: f' if expert else 'F'}eed forward ({name})"
    return Panel("ffn", title, str(g), "ffn", (hidden,), activation)


def moe_panel(moe: MoE, hidden_size: int) -> Panel:
    g = _Graph("moe")
    scoring = f"{moe.router.scoring}, top-{moe.active}"
    g.box("router", f"Router\n({scoring})", "llmarch-router")
    source = "in"
    if moe.latent:
        g.box("down", f"Down-projection\n{fmt.count(hidden_size)} → {fmt.count(moe.latent)}")
        g.chain("in", "down")
        source = "down"
    g.box("e1", "Expert 1", "llmarch-moe")
    g.box("dots", "…", "llmarch-io", shape="plaintext", width=0.3)
    g.box("en", f"Expert {moe.experts}", "llmarch-moe")
    g.g.same_rank("e1", "dots", "en")
    g.g.edge("e1", "dots", style="invis")
    g.g.edge("dots", "en", style="invis")
    g.chain("in", "router")
    for e in ("e1", "en"):
        g.g.edge("router" if source == "in" else source, e)
    if source != "in":
        g.g.edge("router", "down", style="invis")
    g.op("sum", "+")
    combine = "sum"
    if moe.latent:
        g.op("mix", "+")
        g.box("up", f"Up-projection\n{fmt.count(moe.latent)} → {fmt.count(hidden_size)}")
        g.chain("e1", "mix")
        g.chain("en", "mix")
        g.chain("mix", "up", "sum")
    else:
        g.chain("e1", "sum")
        g.chain("en", "sum")
    if moe.shared:
        label = "Shared expert" if moe.shared.count == 1 else f"{moe.shared.count} shared experts"
        g.box("shared", label, "llmarch-shared")
        g.chain("in", "shared", combine)
    if moe.parallel_dense:
        g.box("dense", "Dense FFN\n(every token)", "llmarch-ffn")
        g.chain("in", "dense", combine)
    g.chain("sum", "out")
    notes = [f"{moe.active} of {moe.experts} routed experts per token"]
    if moe.shared:
        notes.append(f"+ {moe.shared.count} shared, hidden size {fmt.count(moe.shared.hidden)}")
    if moe.parallel_dense:
        notes.append(f"+ dense FFN, hidden size {fmt.count(moe.parallel_dense.hidden)}")
    notes.append(f"expert hidden size {fmt.count(moe.expert_hidden)}")
    return Panel("moe", "MoE layer", str(g), "ffn", tuple(notes), "moe")


# --------------------------------------------------------------------------- token mixers


def mla_panel(m: MLA) -> Panel:
    g = _Graph("mla")
    if m.q_lora_rank:
        g.box("qd", f"Linear (down)\n→ {fmt.count(m.q_lora_rank)}")
        g.box("qn", "RMSNorm", "llmarch-norm")
        g.box("qu", "Linear (up)")
        g.chain("in", "qd", "qn", "qu")
        q = "qu"
    else:
        q = g.box("qu", "Linear (Q)")
        g.chain("in", "qu")
    g.box("kvd", f"Linear (down)\n→ {m.kv_lora_rank} + {m.qk_rope_head_dim}")
    g.box(
        "latent",
        f"KV latent {m.kv_lora_rank}\n+ RoPE key {m.qk_rope_head_dim}\n(cached)",
        "llmarch-cache",
    )
    g.box("kvn", "RMSNorm", "llmarch-norm")
    g.box("kvu", "Linear (up)\n→ K, V")
    g.box("sdpa", f"Attention\n({m.heads} heads)", "llmarch-attn")
    g.box("o", "Linear (out)")
    g.chain("in", "kvd", "latent", "kvn", "kvu", "sdpa")
    g.chain(q, "sdpa")
    g.chain("sdpa", "o", "out")
    notes = [f"per token the cache keeps {m.kv_lora_rank + m.qk_rope_head_dim} values per layer"]
    if m.sparse:
        s = m.sparse
        g.box(
            "idx",
            f"Lightning indexer\n({s.index_heads} heads × {s.index_head_dim})",
            "llmarch-linear",
        )
        g.box("topk", f"Top-{fmt.count(s.top_k)}\npast tokens", "llmarch-router")
        g.chain("in", "idx", "topk")
        g.g.edge("topk", "sdpa", style="dashed", **{"class": "llmarch-route"})
        notes.append(f"sparse: each query attends to {fmt.count(s.top_k)} selected tokens")
    title = "Multi-head latent attention" + (" + DeepSeek sparse attention" if m.sparse else "")
    return Panel("mixer-mla", title, str(g), "attn", tuple(notes), "mla")


def _gate_nodes(g: _Graph, label: str = "Linear (gate)") -> None:
    """An output gate's nodes: its projection, a sigmoid, the product, the output layer."""
    g.box("gl", label)
    g.op("sig", "σ")
    g.op("mul", "×")
    g.box("o", "Linear (out)")


def gated_attention_panel(m: Attention) -> Panel:
    g = _Graph("gated")
    for proj in ("q", "k", "v"):
        g.box(proj, f"Linear ({proj.upper()})")
        g.chain("in", proj)
    g.box("sdpa", "Scaled dot-product\nattention", "llmarch-attn")
    for proj in ("q", "k"):
        if m.qk_norm != "none":
            g.box(f"{proj}n", "RMSNorm", "llmarch-norm")
            g.chain(proj, f"{proj}n", "sdpa")
        else:
            g.chain(proj, "sdpa")
    g.chain("v", "sdpa")
    _gate_nodes(
        g, "Linear (gate,\none per head)" if m.output_gate == "headwise" else "Linear (gate)"
    )
    g.chain("in", "gl", "sig", "mul")
    g.chain("sdpa", "mul", "o", "out")
    notes = (
        f"{m.heads} heads, {m.kv_heads} KV heads, head dim {m.head_dim}",
        "a sigmoid gate scales the attention output",
    )
    return Panel("mixer-gated", "Gated attention", str(g), "attn", notes, "gated-attention")


def delta_panel(m: DeltaMixer) -> Panel:
    g = _Graph(m.kind)
    kda = m.kind == "kimi_delta"
    g.box("qk", "Linear (Q, K)")
    g.box("c1", "Conv", "llmarch-conv")
    g.op("a1", "σ" if kda else "s")
    g.box("l2", "L2 norm", "llmarch-norm")
    g.box("v", "Linear (V)")
    g.box("c2", "Conv", "llmarch-conv")
    g.box("ab", "Linear (α per channel, β)" if kda else "Linear (α, β)")
    g.box(
        "rule",
        f"Gated delta rule\nstate {m.key_head_dim} × {m.value_head_dim} per head",
        "llmarch-linear",
    )
    g.box("rn", "RMSNorm", "llmarch-norm")
    g.box("gl", "Linear (gate)")
    g.op("gs", "σ" if kda else "s")
    g.op("mul", "×")
    g.box("o", "Linear (out)")
    g.chain("in", "qk", "c1", "a1", "l2", "rule")
    g.chain("in", "v", "c2", "rule")
    g.chain("in", "ab", "rule")
    g.chain("in", "gl", "gs", "mul")
    g.chain("rule", "rn", "mul", "o", "out")
    title = "Kimi Delta Attention" if kda else "Gated DeltaNet"
    notes = [
        f"{m.key_heads} key heads, {m.value_heads} value heads, conv width {m.conv_kernel}",
        "s = SiLU, σ = sigmoid; a fixed-size state replaces the KV cache",
    ]
    return Panel(
        f"mixer-{m.kind}",
        title,
        str(g),
        "attn",
        tuple(notes),
        "kimi-delta" if kda else "gated-deltanet",
    )


def lightning_panel(m: Lightning) -> Panel:
    g = _Graph("lightning")
    g.box("qkv", "Linear (Q, K, V)")
    g.box("la", "Lightning attention\n(linear, blockwise)", "llmarch-linear")
    g.box("rn", "RMSNorm", "llmarch-norm")
    _gate_nodes(g)
    g.chain("in", "qkv", "la", "rn", "mul", "o", "out")
    g.chain("in", "gl", "sig", "mul")
    notes = (
        f"{m.heads} heads, head dim {m.head_dim}",
        "a fixed-size state per head replaces the KV cache",
    )
    return Panel("mixer-lightning", "Lightning Attention", str(g), "attn", notes, "lightning")


def mamba_panel(m: Mamba2) -> Panel:
    g = _Graph("mamba2")
    g.box("lin", "Linear (in)")
    g.box("conv", "Conv1D", "llmarch-conv")
    g.box("ssm", f"SSM state update\n(state {m.state_size})", "llmarch-ssm")
    g.op("gate", "s")
    g.op("mul", "×")
    g.box("rn", "RMSNorm", "llmarch-norm")
    g.box("o", "Linear (out)")
    g.chain("in", "lin", "conv", "ssm", "mul", "rn", "o", "out")
    g.chain("lin", "gate", "mul")
    notes = (
        f"{m.heads} heads × {m.head_dim}, {m.groups} groups, conv width {m.conv_kernel}",
        "s = SiLU gate; a fixed-size state replaces the KV cache",
    )
    return Panel("mixer-mamba2", "Mamba-2", str(g), "attn", notes, "mamba2")


def mixer_panels(arch: Architecture, mixers: Sequence[str]) -> list[Panel]:
    """Internals of every non-standard mixer in use (plain MHA/GQA/MQA need none)."""
    panels: dict[str, Panel] = {}
    for name in mixers:
        m = arch.mixers[name]
        panel = None
        if isinstance(m, MLA):
            panel = mla_panel(m)
        elif isinstance(m, Attention) and m.output_gate != "none":
            panel = gated_attention_panel(m)
        elif isinstance(m, DeltaMixer):
            panel = delta_panel(m)
        elif isinstance(m, Lightning):
            panel = lightning_panel(m)
        elif isinstance(m, Mamba2):
            panel = mamba_panel(m)
        if panel is not None:
            panels.setdefault(panel.key, panel)
    return list(panels.values())


# --------------------------------------------------------------------------- schedule


def schedule_panel(arch: Architecture, total: int, mix: str) -> Panel:
    """The layer schedule as macro-blocks with repeat counts, bottom (first layer) to top."""
    g = _Graph("schedule")
    g.g.defaults("node", fontsize=10, height=0.26)
    names = (list(arch.mixers), list(arch.ffns))
    counter = [0]
    last = _schedule_items(g, arch, arch.layers.schedule, names, counter, "in", "s")
    g.g.edge(last, "out")
    return Panel("schedule", "Layer schedule", str(g), "block", (f"{total} layers: {mix}",))


def _merged(items: Sequence[LayerItem]) -> list[tuple[int, LayerItem]]:
    """Consecutive identical layer specs merged into (count, spec)."""
    out: list[tuple[int, LayerItem]] = []
    for item in items:
        if out and isinstance(item, str) and out[-1][1] == item:
            out[-1] = (out[-1][0] + 1, item)
        else:
            out.append((1, item))
    return out


def _schedule_items(
    g: _Graph,
    arch: Architecture,
    items: Sequence[LayerItem],
    names: tuple[list[str], list[str]],
    counter: list[int],
    previous: str,
    prefix: str,
) -> str:
    for count, item in _merged(items):
        if isinstance(item, LayerGroup):
            counter[0] += 1
            cluster = f"{prefix}{counter[0]}"
            with g.g.cluster(
                cluster,
                label=f"{item.repeat} ×",
                labeljust="l",
                labelloc="b",
                style="rounded",
                fontsize=11,
                margin=6,
                **{"class": "llmarch-macro"},
            ):
                previous = _schedule_items(
                    g, arch, item.pattern, names, counter, previous, cluster + "_"
                )
            continue
        spec = parse_spec(item, *names)
        counter[0] += 1
        row = f"{prefix}r{counter[0]}"
        previous = _row(g, arch, spec, row, count, previous)
    return previous


def _row(
    g: _Graph, arch: Architecture, spec: LayerSpec, row: str, count: int, previous: str
) -> str:
    cells = []
    if spec.mixer:
        m = arch.mixers[spec.mixer]
        css = "llmarch-attn"
        if is_linear(m):
            css = "llmarch-ssm" if m.kind == "mamba2" else "llmarch-linear"
        cells.append((f"{row}m", row_label(m, arch), css))
    if spec.ffn:
        f = arch.ffns[spec.ffn]
        moe = isinstance(f, MoE)
        cells.append((f"{row}f", "MoE" if moe else "FFN", "llmarch-moe" if moe else "llmarch-ffn"))
    for node, label, css in cells:
        g.box(node, label, css, fontsize=10, height=0.26)
    if len(cells) == 2:
        g.g.same_rank(cells[0][0], cells[1][0])
        g.g.edge(cells[0][0], cells[1][0], arrowsize=0.4)
    g.g.edge(previous, cells[0][0])
    if count > 1:
        g.g.node(
            f"{row}n",
            id=f"{row}n",
            label=f"{count} ×",
            shape="plaintext",
            style="",
            fontsize=10,
            width=0.3,
            height=0.2,
            **{"class": "llmarch-count"},
        )
        g.g.same_rank(f"{row}n", cells[0][0])
        g.g.edge(f"{row}n", cells[0][0], style="invis")
    return cells[-1][0] if len(cells) == 1 else cells[0][0]


def ffn_hidden_note(f: DenseFFN | MoE) -> str:
    if isinstance(f, DenseFFN):
        return f"hidden size {fmt.count(f.hidden)}"
    return f"expert hidden size {fmt.count(f.expert_hidden)}"


__all__ = ["Panel", "concept_url", "ffn_panel", "mixer_panels", "moe_panel", "schedule_panel"]

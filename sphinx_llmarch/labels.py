"""How things are named in diagrams, tables and layer mixes.  Pure functions of the schema."""

from __future__ import annotations

from collections.abc import Sequence

from . import fmt
from .schema import (
    FFN,
    MLA,
    Activation,
    Architecture,
    Attention,
    DeltaMixer,
    Lightning,
    Mamba2,
    Mixer,
    ModelSpec,
    MoE,
    Position,
    position_of,
)

LINEAR_NAMES = {
    "gated_deltanet": "Gated DeltaNet",
    "kimi_delta": "Kimi Delta Attention",
    "lightning": "Lightning Attention",
    "mamba2": "Mamba-2",
}

ACTIVATIONS: dict[Activation, str] = {
    "swiglu": "SwiGLU",
    "geglu": "GeGLU",
    "gelu": "GELU MLP",
    "relu2": "ReLU² MLP",
}

_ATTENTION_NAMES = {
    "mha": "Multi-head attention",
    "gqa": "Grouped-query attention",
    "mqa": "Multi-query attention",
}


def norm_name(arch: Architecture) -> str:
    return "RMSNorm" if arch.norm.kind == "rmsnorm" else "LayerNorm"


def attention_kind_name(mixer: Mixer) -> str:
    """The mixer's kind as a reader abbreviates it: 'GQA', 'MLA + DSA', 'Gated DeltaNet'."""
    if isinstance(mixer, Attention):
        return mixer.kind.upper()
    if isinstance(mixer, MLA):
        return "MLA + DSA" if mixer.sparse else "MLA"
    return LINEAR_NAMES[mixer.kind]


def _has_local(arch: Architecture) -> bool:
    return any(isinstance(m, Attention) and (m.window or m.chunk) for m in arch.mixers.values())


def mixer_label(mixer: Mixer, arch: Architecture) -> str:
    """Short label used in layer mixes: 'sliding-window', 'global', 'gated attention', 'MLA'."""
    if isinstance(mixer, Attention):
        if mixer.window:
            return "sliding-window"
        if mixer.chunk:
            return "chunked"
        if _has_local(arch):
            return "global"
        if mixer.output_gate != "none":
            return "gated attention"
    return attention_kind_name(mixer)


def ffn_label(ffn: FFN) -> str:
    return "MoE" if isinstance(ffn, MoE) else "FFN"


def _lower_first(text: str) -> str:
    return text[0].lower() + text[1:]


def mixer_title(m: Mixer, arch: Architecture) -> str:
    """Full name of a mixer box: 'Sliding-window grouped-query attention'."""
    if isinstance(m, Attention):
        base = _ATTENTION_NAMES[m.kind]
        if m.output_gate != "none":
            base = "Gated " + _lower_first(base)
        if m.window:
            return "Sliding-window " + _lower_first(base)
        if m.chunk:
            return "Chunked " + _lower_first(base)
        if _has_local(arch):
            return "Global " + _lower_first(base)
        return base
    if isinstance(m, MLA):
        return "Multi-head latent attention" + (" + DSA" if m.sparse else "")
    return LINEAR_NAMES[m.kind]


def mixers_title(mixers: Sequence[Mixer], arch: Architecture) -> str:
    """One box for several mixer types: 'Grouped-query attention\n(sliding-window or global)'."""
    titles = list(dict.fromkeys(mixer_title(m, arch) for m in mixers))
    if len(titles) == 1:
        return titles[0]
    kinds = {(m.kind, m.output_gate) for m in mixers if isinstance(m, Attention)}
    if len(kinds) == 1 and all(isinstance(m, Attention) for m in mixers):
        first = mixers[0]
        assert isinstance(first, Attention)
        base = _ATTENTION_NAMES[first.kind]
        if first.output_gate != "none":
            base = "Gated " + _lower_first(base)
        spans = dict.fromkeys(
            "sliding-window"
            if isinstance(m, Attention) and m.window
            else "chunked"
            if isinstance(m, Attention) and m.chunk
            else "global"
            for m in mixers
        )
        return f"{base}\n({' or '.join(spans)})"
    return " or\n".join(titles)


def _gated_kind(m: Attention) -> str:
    """'GQA', or 'gated GQA' when the heads' output is gated."""
    return ("gated " if m.output_gate != "none" else "") + m.kind.upper()


def row_label(m: Mixer, arch: Architecture) -> str:
    """Compact name for schedule rows: 'sliding-window GQA', 'gated attention', 'Mamba-2'."""
    if isinstance(m, Attention):
        kind = _gated_kind(m)
        if m.window:
            return f"sliding-window {kind}"
        if m.chunk:
            return f"chunked {kind}"
        if _has_local(arch):
            return f"global {kind}"
        return "gated attention" if m.output_gate != "none" else kind
    return attention_kind_name(m)


def ffn_title(f: FFN) -> str:
    return "MoE" if isinstance(f, MoE) else "Feed forward"


def position_label(p: Position) -> str:
    """'RoPE', 'Partial RoPE + YaRN', 'NoPE', 'Learned positions'."""
    if p.kind == "learned":
        return "Learned positions"
    if p.kind == "nope":
        return "NoPE"
    label = "Partial RoPE" if p.fraction < 1 else "RoPE"
    if p.scaling:
        label += " + " + ("YaRN" if p.scaling.kind == "yarn" else f"{p.scaling.kind} scaling")
    return label


def rotated_share(p: Position) -> str:
    """The share of each head's dimensions that RoPE rotates: '25%'."""
    return f"{p.fraction:.0%}"


def position_detail(p: Position) -> str:
    """The numbers of a positional scheme: 'θ 500,000', '25% of dims, θ 10,000,000'."""
    if p.kind != "rope" or p.theta is None:
        return ""
    parts = []
    if p.fraction < 1:
        parts.append(f"{rotated_share(p)} of dims")
    parts.append(f"θ {fmt.count(int(p.theta))}")
    if p.scaling:
        parts.append(f"×{p.scaling.factor:g}")
    return ", ".join(parts)


def _kind_phrase(m: Mixer) -> str:
    if isinstance(m, Attention):
        base = _gated_kind(m)
        if m.window:
            return f"sliding-window {base} ({m.window:,})"
        if m.chunk:
            return f"chunked {base} ({m.chunk:,})"
        return base
    if isinstance(m, MLA):
        return f"MLA + DSA (top-{m.sparse.top_k:,})" if m.sparse else "MLA"
    return LINEAR_NAMES[m.kind]


def attention_summary(arch: Architecture, mixers: Sequence[str]) -> str:
    """One line on the token mixers: 'GQA with RoPE', 'MLA with RoPE + YaRN; QK-norm'."""
    used = [arch.mixers[n] for n in mixers]
    kinds = list(dict.fromkeys(_kind_phrase(m) for m in used))
    positions = list(dict.fromkeys(position_label(p) for m in used if (p := position_of(m))))
    flags = []
    if any(getattr(m, "qk_norm", "none") != "none" for m in used):
        flags.append("QK-norm")
    if any(isinstance(m, Attention) and m.sinks for m in used):
        flags.append("attention sinks")
    if any(getattr(m, "bias", "none") != "none" for m in used):
        flags.append("attention bias")
    if any(isinstance(m, Attention) and m.kv_shared for m in used):
        flags.append("K = V")
    text = " + ".join(kinds)
    if positions:
        text += " with " + " / ".join(positions)
    return text + ("; " + ", ".join(flags) if flags else "")


def heads_text(m: Mixer) -> str:
    """'32 heads, 8 KV heads, head dim 128' and the like, per mixer kind."""
    if isinstance(m, Attention):
        kv = "1 KV head" if m.kv_heads == 1 else f"{m.kv_heads} KV heads"
        return f"{m.heads} heads, {kv}, head dim {m.head_dim}"
    if isinstance(m, MLA):
        return f"{m.heads} heads, head dim {m.qk_nope_head_dim}+{m.qk_rope_head_dim}"
    if isinstance(m, DeltaMixer):
        if m.key_heads == m.value_heads:
            return f"{m.value_heads} heads, head dim {m.key_head_dim}"
        return f"{m.key_heads} QK heads, {m.value_heads} V heads, head dim {m.key_head_dim}"
    if isinstance(m, Lightning):
        return f"{m.heads} heads, head dim {m.head_dim}"
    assert isinstance(m, Mamba2)
    return f"{m.heads} heads, head dim {m.head_dim}, state {m.state_size}"


#: concept keys: the docs' concept pages define targets named ``llmarch-concept-<key>``
def mixer_concept(m: Mixer) -> str:
    if isinstance(m, Attention):
        if m.output_gate != "none":
            return "gated-attention"
        if m.window:
            return "sliding-window"
        if m.chunk:
            return "chunked"
        return m.kind
    if isinstance(m, MLA):
        return "mla"
    return {
        "gated_deltanet": "gated-deltanet",
        "kimi_delta": "kimi-delta",
        "lightning": "lightning",
        "mamba2": "mamba2",
    }[m.kind]


#: readable names of the fields a model file may list as unconfirmed
_FIELD_NAMES = {
    "qk_norm": "QK-norm",
    "bias": "attention bias",
    "fraction": "partial RoPE",
    "theta": "RoPE base",
    "scaling": "RoPE scaling",
    "mtp": "multi-token prediction",
    "eps": "norm epsilon",
    "sinks": "attention sinks",
    "output_gate": "output gate",
    "window": "sliding window",
    "tie_embeddings": "tied embeddings",
}


def unconfirmed_text(spec: ModelSpec) -> str:
    """The model's unconfirmed fields in words: 'QK-norm, attention bias'."""
    names = (_FIELD_NAMES.get(f.rpartition(".")[2], f) for f in spec.unconfirmed)
    return ", ".join(dict.fromkeys(names))

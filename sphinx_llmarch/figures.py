"""Figures computed from a model description alone: parameters and KV cache.

Conventions (documented in the docs' "Computed figures" page):

* ``total_params``: every weight needed for ordinary next-token inference of the
  language model: embeddings, all layers with all experts, the final norm and the
  output head (counted once when tied).  Multi-token-prediction modules are
  reported apart as ``mtp_params``; vision encoders are not modelled.
* ``active_params``: the weights one token uses: as the total, but with only the
  routed experts it is sent to (plus shared experts, router, embeddings, head).
* ``kv_cache_bytes_per_token``: bf16 bytes of keys and values one token adds,
  summed over every layer that keeps a per-token cache.  Sliding-window and
  chunked layers count as if global; linear-attention and state-space layers
  count zero; MLA caches its latent plus its RoPE key.
* ``kv_cache_bytes(context)``: the cache of one sequence of ``context`` tokens
  with windows and chunks capped, plus the fixed state of linear/SSM layers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .loader import LoadedModel
from .schema import (
    FFN,
    MLA,
    Activation,
    Architecture,
    Attention,
    DeltaMixer,
    DenseFFN,
    Lightning,
    Mamba2,
    Mixer,
    position_of,
)
from .stack import LayerSpec, parse_spec

BYTES_BF16 = 2


@dataclass(frozen=True)
class Figures:
    """Computed figures of one model; all integers."""

    total_params: int
    active_params: int
    embedding_params: int
    mtp_params: int
    kv_cache_bytes_per_token: int
    linear_state_bytes: int
    #: per layer: (bytes per token, tokens kept or None for all) for cache-keeping layers
    cache_layers: tuple[tuple[int, int | None], ...]

    def kv_cache_bytes(self, context: int) -> int:
        """Cache of one ``context``-token sequence, windows capped, plus linear state."""
        cached = sum(b * (min(context, span) if span else context) for b, span in self.cache_layers)
        return cached + self.linear_state_bytes

    @property
    def active_share(self) -> float:
        return self.active_params / self.total_params

    def as_dict(self) -> dict[str, int | float]:
        return {
            "total_params": self.total_params,
            "active_params": self.active_params,
            "active_share": round(self.active_share, 4),
            "embedding_params": self.embedding_params,
            "mtp_params": self.mtp_params,
            "kv_cache_bytes_per_token": self.kv_cache_bytes_per_token,
            "linear_state_bytes": self.linear_state_bytes,
        }


# --------------------------------------------------------------------------- components


def ffn_matrix_params(width: int, hidden: int, activation: Activation, bias: bool) -> int:
    """One MLP from ``width`` to ``hidden`` and back; gated kinds have three matrices."""
    gated = activation in ("swiglu", "geglu")
    weights = (3 if gated else 2) * width * hidden
    biases = ((2 if gated else 1) * hidden + width) if bias else 0
    return weights + biases


def mixer_params(m: Mixer, h: int) -> int:
    """Weights of one token mixer at model width ``h``."""
    if isinstance(m, Attention):
        return _attention_params(m, h)
    if isinstance(m, MLA):
        return _mla_params(m, h)
    if isinstance(m, DeltaMixer):
        return _delta_params(m, h)
    if isinstance(m, Lightning):
        inner = m.heads * m.head_dim
        qk = 2 * m.head_dim if m.qk_norm == "head" else 2 * inner if m.qk_norm == "layer" else 0
        gate = h * inner if m.output_gate != "none" else 0
        return 3 * h * inner + gate + inner + inner * h + qk
    return _mamba2_params(m, h)


def _attention_params(m: Attention, h: int) -> int:
    d, dv = m.head_dim, m.v_head_dim or m.head_dim
    q, k = m.heads * d, m.kv_heads * d
    v = 0 if m.kv_shared else m.kv_heads * dv
    out = m.heads * dv
    total = h * (q + k + v) + out * h
    if m.bias in ("qkv", "all"):
        total += q + k + v
    if m.bias == "all":
        total += h
    total += {"none": 0, "head": 2 * d, "layer": q + k}[m.qk_norm]
    total += {"none": 0, "elementwise": h * out, "headwise": h * m.heads}[m.output_gate]
    return total + (m.heads if m.sinks else 0)


def _mla_params(m: MLA, h: int) -> int:
    qk_dim = m.qk_nope_head_dim + m.qk_rope_head_dim
    if m.q_lora_rank:
        q = h * m.q_lora_rank + m.q_lora_rank + m.q_lora_rank * m.heads * qk_dim
    else:
        q = h * m.heads * qk_dim
    kv = h * (m.kv_lora_rank + m.qk_rope_head_dim) + m.kv_lora_rank
    kv += m.kv_lora_rank * m.heads * (m.qk_nope_head_dim + m.v_head_dim)
    out = m.heads * m.v_head_dim * h
    total = q + kv + out
    if m.sparse:
        s = m.sparse
        q_in = m.q_lora_rank or h
        total += q_in * s.index_heads * s.index_head_dim + h * s.index_head_dim
        total += 2 * s.index_head_dim + h * s.index_heads
    total += {"none": 0, "head": 2 * qk_dim, "layer": 2 * m.heads * qk_dim}[m.qk_norm]
    total += {"none": 0, "elementwise": h * m.heads * m.v_head_dim, "headwise": h * m.heads}[
        m.output_gate
    ]
    return total


def _delta_params(m: DeltaMixer, h: int) -> int:
    key, value = m.key_heads * m.key_head_dim, m.value_heads * m.value_head_dim
    conv = (2 * key + value) * m.conv_kernel
    if m.kind == "gated_deltanet":
        # q, k, v and the output gate z; then the per-head decay and step size (a, b)
        proj = h * (2 * key + 2 * value) + h * 2 * m.value_heads
        return proj + conv + 2 * m.value_heads + m.value_head_dim + value * h
    # Kimi Delta Attention: channel-wise decay and output gate through low-rank projections
    proj = h * (2 * key + value) + h * m.value_heads
    low_rank = 2 * (h * m.key_head_dim + m.key_head_dim * key)
    return proj + conv + low_rank + m.key_heads + key + m.value_head_dim + value * h


def _mamba2_params(m: Mamba2, h: int) -> int:
    inner = m.heads * m.head_dim
    conv_dim = inner + 2 * m.groups * m.state_size
    in_proj = h * (2 * inner + 2 * m.groups * m.state_size + m.heads)
    conv = conv_dim * m.conv_kernel + conv_dim
    return in_proj + conv + 3 * m.heads + inner + inner * h


def ffn_params(f: FFN, h: int) -> tuple[int, int]:
    """(total, active) weights of one feed-forward block."""
    if isinstance(f, DenseFFN):
        n = ffn_matrix_params(h, f.hidden, f.activation, f.bias)
        return n, n
    width = f.latent or h
    expert = ffn_matrix_params(width, f.expert_hidden, f.activation, f.bias)
    always = h * f.experts + (f.experts if f.router.bias else 0)
    if f.shared:
        always += f.shared.count * ffn_matrix_params(h, f.shared.hidden, f.activation, f.bias)
        always += h if f.shared.gate else 0
    if f.latent:
        always += 2 * h * f.latent
    if f.parallel_dense:
        always += ffn_matrix_params(h, f.parallel_dense.hidden, f.parallel_dense.activation, False)
    return always + f.experts * expert, always + f.active * expert


def norm_params(arch: Architecture) -> int:
    return arch.hidden_size * (2 if arch.norm.has_bias else 1)


def layer_params(arch: Architecture, spec: LayerSpec) -> tuple[int, int]:
    """(total, active) weights of one layer, norms included."""
    h = arch.hidden_size
    total = active = 0
    sublayers = 0
    if spec.mixer:
        n = mixer_params(arch.mixers[spec.mixer], h)
        total, active, sublayers = total + n, active + n, sublayers + 1
    if spec.ffn:
        t, a = ffn_params(arch.ffns[spec.ffn], h)
        total, active, sublayers = total + t, active + a, sublayers + 1
    norms = {"pre": sublayers, "post": sublayers, "sandwich": 2 * sublayers, "parallel": 1}
    n = norms[arch.norm.placement] * norm_params(arch)
    return total + n, active + n


# --------------------------------------------------------------------------- cache


def cache_bytes_per_token(m: Mixer) -> int:
    if isinstance(m, Attention):
        v = 0 if m.kv_shared else m.kv_heads * (m.v_head_dim or m.head_dim)
        return (m.kv_heads * m.head_dim + v) * BYTES_BF16
    if isinstance(m, MLA):
        return (m.kv_lora_rank + m.qk_rope_head_dim) * BYTES_BF16
    return 0


def state_bytes(m: Mixer) -> int:
    """Fixed per-sequence state of a linear-attention or state-space mixer."""
    if isinstance(m, DeltaMixer):
        key, value = m.key_heads * m.key_head_dim, m.value_heads * m.value_head_dim
        state = m.value_heads * m.key_head_dim * m.value_head_dim
        return (state + (2 * key + value) * (m.conv_kernel - 1)) * BYTES_BF16
    if isinstance(m, Lightning):
        return m.heads * m.head_dim * m.head_dim * BYTES_BF16
    if isinstance(m, Mamba2):
        inner = m.heads * m.head_dim
        conv_dim = inner + 2 * m.groups * m.state_size
        return (inner * m.state_size + conv_dim * (m.conv_kernel - 1)) * BYTES_BF16
    return 0


def _span(m: Mixer) -> int | None:
    return (m.window or m.chunk) if isinstance(m, Attention) else None


# --------------------------------------------------------------------------- model


def compute(model: LoadedModel) -> Figures:
    """All computed figures of ``model``."""
    spec = model.spec
    arch = spec.architecture
    h, vocab = arch.hidden_size, arch.vocab_size
    layers: Sequence[LayerSpec] = model.layers

    embedding = vocab * h
    learned = any(
        (p := position_of(m)) is not None and p.kind == "learned" for m in arch.mixers.values()
    )
    embedding += spec.context.native * h if learned else 0
    if arch.per_layer_embeddings:
        embedding += vocab * arch.layers.count * arch.per_layer_embeddings
    head = 0 if arch.tie_embeddings else vocab * h
    fixed = embedding + head + norm_params(arch)

    per_layer = {s: layer_params(arch, s) for s in set(layers)}
    total = fixed + sum(per_layer[s][0] for s in layers)
    active = fixed + sum(per_layer[s][1] for s in layers)

    cache_layers = tuple(
        (cache_bytes_per_token(arch.mixers[s.mixer]), _span(arch.mixers[s.mixer]))
        for s in layers
        if s.mixer and cache_bytes_per_token(arch.mixers[s.mixer])
    )
    state = sum(state_bytes(arch.mixers[s.mixer]) for s in layers if s.mixer)
    return Figures(
        total_params=total,
        active_params=active,
        embedding_params=embedding + head,
        mtp_params=_mtp_params(arch, layers),
        kv_cache_bytes_per_token=sum(b for b, _ in cache_layers),
        linear_state_bytes=state,
        cache_layers=cache_layers,
    )


def _mtp_params(arch: Architecture, layers: Sequence[LayerSpec]) -> int:
    """Each module: its layers, a 2h→h projection and three norms (embedding/head shared)."""
    if not arch.mtp:
        return 0
    names = list(arch.mixers), list(arch.ffns)
    specs = [parse_spec(t, *names) for t in arch.mtp.pattern] if arch.mtp.pattern else [layers[-1]]
    h = arch.hidden_size
    module = sum(layer_params(arch, s)[0] for s in specs) + 2 * h * h + 3 * norm_params(arch)
    return arch.mtp.modules * module

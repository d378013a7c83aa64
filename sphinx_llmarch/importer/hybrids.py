"""Layer builders for the families whose stacks mix kinds of layer.

Qwen3-Next / Qwen3.5 (Gated DeltaNet + gated attention), Kimi Linear (Kimi Delta
Attention + MLA), Ling 2.5 (Lightning Attention + MLA), Nemotron-H (Mamba-2, attention and
MoE layers), MiMo-V2-Flash and Step 3.5 (per-layer-type attention), DeepSeek V4 (a
compression ratio per layer, hash-routed first layers) and the MLA families.
Each builder knows which layer gets which mechanism; the mechanisms read their own keys.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field

from ..mechanisms import (
    attention,
    compressed_attention,
    gated_deltanet,
    kimi_delta,
    lightning,
    mamba2,
    mla,
    moe,
    nope,
    rope,
)
from .config import HFConfig
from .families import Family, FeedForwards, Layers, layer_types


@dataclass
class Built:
    """The layers of a model, and those of one multi-token-prediction module if stated."""

    layers: Layers
    mtp: Layers = field(default_factory=list)


def _mla_layers(c: HFConfig, fam: Family, n: int) -> Built:
    mixer = mla.from_config(c, rope.from_config(c, fam, full=True))
    ffns = FeedForwards(c, fam, n)
    return Built([(mixer, ffns.at(i)) for i in range(n)])


def _qwen_hybrid(c: HFConfig, fam: Family, n: int) -> Built:
    linear = gated_deltanet.from_config(c)
    gate = "elementwise" if c.get("attn_output_gate", default=True) else "none"
    full = attention.from_config(
        c,
        fam,
        heads=c.int("num_attention_heads") or 0,
        kv=c.int("num_key_value_heads") or 0,
        head_dim=c.head_dim() or 0,
        position=rope.from_config(c, fam, full=True),
        output_gate=gate,
    )
    types = c.get("layer_types")
    interval = c.int("full_attention_interval", default=4) or 4
    kinds = (
        [str(t) for t in types]
        if isinstance(types, list)
        else ["full_attention" if (i + 1) % interval == 0 else "linear_attention" for i in range(n)]
    )
    c.mark("full_attention_interval")
    ffns = FeedForwards(c, fam, n)
    return Built([(full if kinds[i] == "full_attention" else linear, ffns.at(i)) for i in range(n)])


def _kimi_linear(c: HFConfig, fam: Family, n: int) -> Built:
    cfg = c.get("linear_attn_config") or {}
    full_layers = {int(i) - 1 for i in cfg.get("full_attn_layers", [])}  # 1-based in the config
    kda = kimi_delta.from_config(c)
    position = nope.from_config() if c.get("mla_use_nope") else rope.from_config(c, fam, full=True)
    if c.get("mla_use_nope"):
        c.mark("rope_theta", "rope_scaling")
    full = mla.from_config(c, position)
    ffns = FeedForwards(c, fam, n)
    return Built([(full if i in full_layers else kda, ffns.at(i)) for i in range(n)])


def _bailing_hybrid(c: HFConfig, fam: Family, n: int) -> Built:
    group = c.int("layer_group_size", default=8) or 8
    dim = c.int("head_dim") or 0
    rotary = c.int("rotary_dim")
    position = rope.from_config(
        c, fam, full=True, fraction=rotary / dim if rotary and dim else None
    )
    position.pop("interleaved", None)  # rope_interleave concerns the MLA layers
    linear = lightning.from_config(c, position)
    full = mla.from_config(c, rope.from_config(c, fam, full=True, fraction=1.0))
    c.mark("group_norm_size", "linear_silu", "use_bias", "partial_rotary_factor")
    if not c.data.get("use_qkv_bias"):
        c.mark("use_qkv_bias")
    ffns = FeedForwards(c, fam, n)
    return Built([(full if (i + 1) % group == 0 else linear, ffns.at(i)) for i in range(n)])


def _nemotron_h(c: HFConfig, fam: Family, n: int) -> Built:
    mamba = mamba2.from_config(c)
    attn = attention.from_config(
        c,
        fam,
        heads=c.int("num_attention_heads") or 0,
        kv=c.int("num_key_value_heads") or 0,
        head_dim=c.head_dim() or 0,
        position=nope.from_config(),
    )
    c.mark(
        "rope_theta",
        "partial_rotary_factor",
        "expand",
        "mamba_hidden_act",
        "mamba_proj_bias",
        "use_conv_bias",
        "use_bias",
        "sliding_window",
        "mtp_hybrid_override_pattern",
    )
    ffns = FeedForwards(c, fam, n)
    table = {"M": (mamba, None), "*": (attn, None), "E": (None, ffns.moe), "-": (None, ffns.dense)}
    layers = [table[ch] for ch in str(c.get("hybrid_override_pattern"))[:n]]
    # a multi-token-prediction module's own pattern: its attention and MoE layers
    mtp = [
        table[ch]
        for ch in str(c.data.get("mtp_hybrid_override_pattern") or "")
        if ch in "*E" and any(table[ch])
    ]
    return Built(layers, mtp)


def _mimo(c: HFConfig, fam: Family, n: int) -> Built:
    fraction = c.get("partial_rotary_factor")
    full = attention.from_config(
        c,
        fam,
        heads=c.int("num_attention_heads") or 0,
        kv=c.int("num_key_value_heads") or 0,
        head_dim=c.int("head_dim") or 0,
        v_head_dim=c.int("v_head_dim"),
        sinks=bool(c.get("add_full_attention_sink_bias")),
        position=rope.from_config(c, fam, full=True, fraction=fraction),
    )
    swa = attention.from_config(
        c,
        fam,
        heads=c.int("swa_num_attention_heads") or 0,
        kv=c.int("swa_num_key_value_heads") or 0,
        head_dim=c.int("swa_head_dim") or 0,
        v_head_dim=c.int("swa_v_head_dim"),
        window=c.int("sliding_window"),
        sinks=bool(c.get("add_swa_attention_sink_bias")),
        position=rope.from_config(
            c, fam, full=False, theta=c.get("swa_rope_theta"), fraction=fraction
        ),
    )
    c.mark("sliding_window_size", "attention_chunk_size", "attention_value_scale")
    pattern = c.get("hybrid_layer_pattern") or [0] * n
    ffns = FeedForwards(c, fam, n)
    return Built([(swa if pattern[i] else full, ffns.at(i)) for i in range(n)])


def _step(c: HFConfig, fam: Family, n: int) -> Built:
    other = c.get("attention_other_setting") or {}
    types = layer_types(c, n)
    thetas, fractions = c.get("rope_theta"), c.get("partial_rotary_factors")
    gate = "headwise" if c.get("use_head_wise_attn_gate") else "none"
    c.mark(
        "yarn_only_types",
        "zero_centered",
        "att_impl_type",
        "use_rope_layers",
        "sink",
        "swiglu_limits",
        "swiglu_limits_shared",
        "max_seq_len",
    )
    ffns = FeedForwards(c, fam, n)
    out: Layers = []
    for i in range(n):
        sliding = types[i] == "sliding"
        position = rope.from_config(
            c,
            fam,
            full=not sliding,
            theta=thetas[i] if isinstance(thetas, list) else thetas,
            fraction=fractions[i] if isinstance(fractions, list) else None,
            scaled=not sliding,  # yarn_only_types: full attention
        )
        heads = (
            int(other.get("num_attention_heads", 0)) if sliding else c.int("num_attention_heads")
        )
        kv = int(other.get("num_attention_groups", 0)) if sliding else c.int("num_attention_groups")
        mixer = attention.from_config(
            c,
            fam,
            heads=heads or 0,
            kv=kv or 0,
            head_dim=c.int("head_dim") or 0,
            position=position,
            window=c.int("sliding_window") if sliding else None,
            output_gate=gate,
        )
        out.append((mixer, ffns.at(i)))
    return Built(out)


def _deepseek_v4(c: HFConfig, fam: Family, n: int) -> Built:
    """One layer type per entry of compress_ratios (one more entry: the MTP layer's)."""
    ratios = [int(r) for r in c.get("compress_ratios") or [0] * n]
    fraction = (c.int("qk_rope_head_dim") or 0) / (c.int("head_dim") or 1)
    window = rope.from_config(c, fam, full=False, fraction=fraction, scaled=False)
    theta = c.get("compress_rope_theta")
    history = rope.from_config(c, fam, full=True, theta=theta, fraction=fraction)
    mixers = {}
    for ratio in dict.fromkeys(ratios):  # V4's code rotates interleaved pairs
        position = {**copy.deepcopy(history if ratio else window), "interleaved": True}
        mixers[ratio] = compressed_attention.from_config(c, ratio, position)
    ffns = FeedForwards(c, fam, n)
    hashed = c.int("num_hash_layers") or 0
    c.mark("expert_dtype")  # the storage format of the routed experts' weights
    out: Layers = []
    for i in range(n):
        ffn = ffns.at(i)
        out.append((mixers[ratios[i]], moe.hash_routed(ffn) if i < hashed else ffn))
    mtp: Layers = [(mixers[r], ffns.at(n - 1)) for r in ratios[n : n + 1]]
    return Built(out, mtp)


Builder = Callable[[HFConfig, Family, int], Built]

SPECIAL: dict[str, Builder] = {
    "qwen3_next": _qwen_hybrid,
    "qwen3_5_moe": _qwen_hybrid,
    "kimi_linear": _kimi_linear,
    "bailing_hybrid": _bailing_hybrid,
    "nemotron_h": _nemotron_h,
    "mimo_v2_flash": _mimo,
    "step3p5": _step,
    "deepseek_v4": _deepseek_v4,
}
for _mla_type in ("deepseek_v3", "deepseek_v32", "kimi_k2", "glm_moe_dsa", "sarvam_mla"):
    SPECIAL[_mla_type] = _mla_layers

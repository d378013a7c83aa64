"""Layer builders for the families whose stacks mix kinds of layer.

Qwen3-Next / Qwen3.5 (Gated DeltaNet + gated attention), Kimi Linear (Kimi Delta
Attention + MLA), Ling 2.5 (Lightning Attention + MLA), Nemotron-H (Mamba-2, attention and
MoE layers), MiMo-V2-Flash, Step 3.5, Gemma 4, Cohere2 MoE and Muse Glimmer (per-layer-type
attention), and the MLA families.
Each builder knows which layer gets which mechanism; the mechanisms read their own keys.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..mechanisms import (
    attention,
    gated_deltanet,
    kimi_delta,
    lightning,
    mamba2,
    mla,
    nope,
    prope,
    rope,
)
from .config import HFConfig
from .families import Family, FeedForwards, Layers, Spec, layer_types


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


def _gemma4(c: HFConfig, fam: Family, n: int) -> Built:
    """Gemma 4: global layers with their own head size and KV heads, K = V and p-RoPE; in
    the MoE variant, experts beside the dense MLP of every layer."""
    types = layer_types(c, n)
    k_eq_v = bool(c.get("attention_k_eq_v"))
    # the small models' per-layer inputs and cross-layer KV sharing stay reported when used
    if not c.data.get("hidden_size_per_layer_input"):
        c.mark("hidden_size_per_layer_input", "vocab_size_per_layer_input")
    c.mark(*(k for k in _GEMMA4_UNUSED_AT_ZERO if not c.data.get(k)), "use_bidirectional_attention")
    specs = {}
    for kind in ("sliding", "full"):
        key = f"{kind}_attention"
        theta = (c.nested("rope_parameters", key) or {}).get("rope_theta")
        full = kind == "full"
        mixer = attention.from_config(
            c,
            fam,
            heads=c.int("num_attention_heads") or 0,
            kv=(c.int("num_global_key_value_heads") if full and k_eq_v else None)
            or c.int("num_key_value_heads")
            or 0,
            head_dim=(c.int("global_head_dim") if full else None) or c.head_dim() or 0,
            position=prope.from_config(c, key) or rope.from_config(c, fam, full=full, theta=theta),
            window=None if full else c.int("sliding_window"),
        )
        if full and k_eq_v:
            mixer["kv_shared"] = True
        specs[kind] = mixer
    ffns = FeedForwards(c, fam, n)
    if ffns.moe is not None and c.get("enable_moe_block"):
        ffns.moe["router"].update({"input_scale": True, "expert_scale": True})
        # the layer's own MLP runs beside the experts, each path with norms of its own
        ffns.moe["parallel_dense"] = {**ffns.dense, "norms": 3}
        del ffns.moe["parallel_dense"]["kind"]
    c.mark("expert_intermediate_size", "top_k_experts")
    return Built([(specs[types[i]], ffns.at(i)) for i in range(n)])


#: Gemma 4 keys that change nothing when 0, false or null (the KV sharing and double-wide
#: MLPs of the small models, the MoE block of the dense ones)
_GEMMA4_UNUSED_AT_ZERO = (
    "num_kv_shared_layers",
    "use_double_wide_mlp",
    "enable_moe_block",
    "moe_intermediate_size",
)


def _positions_per_layer(
    c: HFConfig, fam: Family, n: int, position: Callable[[int, bool, bool], Spec]
) -> Built:
    """Layers whose attention differs only in its window and in its positions, which
    ``position(i, sliding, dense)`` gives (``dense``: the layer has the dense MLP)."""
    types, ffns = layer_types(c, n), FeedForwards(c, fam, n)
    out: Layers = []
    for i in range(n):
        sliding, ffn = types[i] == "sliding", ffns.at(i)
        mixer = attention.from_config(
            c,
            fam,
            heads=c.int("num_attention_heads") or 0,
            kv=c.int("num_key_value_heads") or 0,
            head_dim=c.head_dim() or 0,
            position=position(i, sliding, ffn is ffns.dense),
            window=c.int("sliding_window") if sliding else None,
            output_gate=fam.output_gate,
        )
        out.append((mixer, ffn))
    return Built(out)


def _cohere2_moe(c: HFConfig, fam: Family, n: int) -> Built:
    """Cohere2 MoE: RoPE (interleaved) on sliding-window layers and on the dense prefix's
    layers, none on the other full-attention layers."""
    forced = c.int("prefix_dense_sliding_window_pattern", default=1) == 1
    c.mark("use_parallel_block", "transformer_block_type")

    def position(i: int, sliding: bool, dense: bool) -> Spec:
        if not (sliding or (forced and dense)):
            return nope.from_config()
        # Cohere2's rotary pairs adjacent channels
        return {**rope.from_config(c, fam, full=not sliding), "interleaved": True}

    return _positions_per_layer(c, fam, n, position)


def _muse_glimmer(c: HFConfig, fam: Family, n: int) -> Built:
    """Muse Glimmer: a rotary base per layer, 0 meaning no positional encoding."""
    thetas = c.get("layer_rope_theta") or [None] * n
    # rope_parameters holds the base that layer_rope_theta repeats for the rotary layers
    c.mark("qk_scale_factor", "post_norm_eps", "rope_parameters")

    def position(i: int, sliding: bool, dense: bool) -> Spec:
        if thetas[i] == 0:
            return nope.from_config()
        return rope.from_config(c, fam, full=not sliding, theta=thetas[i])

    return _positions_per_layer(c, fam, n, position)


Builder = Callable[[HFConfig, Family, int], Built]

SPECIAL: dict[str, Builder] = {
    "qwen3_next": _qwen_hybrid,
    "qwen3_5_moe": _qwen_hybrid,
    "kimi_linear": _kimi_linear,
    "bailing_hybrid": _bailing_hybrid,
    "nemotron_h": _nemotron_h,
    "mimo_v2_flash": _mimo,
    "step3p5": _step,
    "gemma4": _gemma4,
    "gemma4_unified": _gemma4,
    "cohere2_moe": _cohere2_moe,
    "muse_glimmer": _muse_glimmer,
}
for _mla_type in ("deepseek_v3", "deepseek_v32", "kimi_k2", "glm_moe_dsa", "sarvam_mla"):
    SPECIAL[_mla_type] = _mla_layers

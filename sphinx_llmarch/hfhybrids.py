"""Layer builders for the families whose stacks mix kinds of layer.

Qwen3-Next / Qwen3.5 (Gated DeltaNet + gated attention), Kimi Linear (Kimi Delta
Attention + MLA), Ling 2.5 (Lightning Attention + MLA), Nemotron-H (Mamba-2, attention and
MoE layers), MiMo-V2-Flash and Step 3.5 (per-layer-type attention), and the MLA families.
"""

from __future__ import annotations

from collections.abc import Callable

from .hfconfig import HFConfig
from .hflayers import (
    Family,
    Layers,
    Spec,
    attention_spec,
    dense_spec,
    head_dim_of,
    layer_types,
    mla_spec,
    moe_layers,
    moe_spec,
    rope_spec,
)


def _mla_layers(c: HFConfig, fam: Family, n: int) -> Layers:
    mixer = mla_spec(c, fam, rope_spec(c, fam, full=True))
    moe, dense, which = moe_spec(c, fam), dense_spec(c, fam), moe_layers(c, n)
    return [(mixer, moe if moe and (which is None or which[i]) else dense) for i in range(n)]


def _qwen_hybrid(c: HFConfig, fam: Family, n: int) -> Layers:
    linear: Spec = {
        "kind": "gated_deltanet",
        "key_heads": c.int("linear_num_key_heads"),
        "value_heads": c.int("linear_num_value_heads"),
        "key_head_dim": c.int("linear_key_head_dim"),
        "value_head_dim": c.int("linear_value_head_dim"),
        "conv_kernel": c.int("linear_conv_kernel_dim"),
    }
    gate = "elementwise" if c.get("attn_output_gate", default=True) else "none"
    full = attention_spec(
        c,
        fam,
        heads=c.int("num_attention_heads") or 0,
        kv=c.int("num_key_value_heads") or 0,
        head_dim=head_dim_of(c) or 0,
        position=rope_spec(c, fam, full=True),
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
    moe, dense, which = moe_spec(c, fam), dense_spec(c, fam), moe_layers(c, n)
    return [
        (
            full if kinds[i] == "full_attention" else linear,
            moe if moe and (which is None or which[i]) else dense,
        )
        for i in range(n)
    ]


def _kimi_linear(c: HFConfig, fam: Family, n: int) -> Layers:
    cfg = c.get("linear_attn_config") or {}
    full_layers = {int(i) - 1 for i in cfg.get("full_attn_layers", [])}  # 1-based in the config
    heads, dim = int(cfg.get("num_heads", 0)), int(cfg.get("head_dim", 0))
    kda: Spec = {
        "kind": "kimi_delta",
        "key_heads": heads,
        "value_heads": heads,
        "key_head_dim": dim,
        "value_head_dim": dim,
        "conv_kernel": int(cfg.get("short_conv_kernel_size", 4)),
    }
    position = {"kind": "nope"} if c.get("mla_use_nope") else rope_spec(c, fam, full=True)
    if c.get("mla_use_nope"):
        c.mark("rope_theta", "rope_scaling")
    mla = mla_spec(c, fam, position)
    moe, dense, which = moe_spec(c, fam), dense_spec(c, fam), moe_layers(c, n)
    return [
        (mla if i in full_layers else kda, moe if moe and (which is None or which[i]) else dense)
        for i in range(n)
    ]


def _bailing_hybrid(c: HFConfig, fam: Family, n: int) -> Layers:
    group = c.int("layer_group_size", default=8) or 8
    dim = c.int("head_dim") or 0
    lightning: Spec = {
        "kind": "lightning",
        "heads": c.int("num_kv_heads_for_linear_attn", "num_attention_heads"),
        "head_dim": dim,
        "output_gate": "elementwise",
    }
    if c.get("use_qk_norm"):
        lightning["qk_norm"] = "head"
    rotary = c.int("rotary_dim")
    position = rope_spec(c, fam, full=True, fraction=rotary / dim if rotary and dim else None)
    position.pop("interleaved", None)  # rope_interleave concerns the MLA layers
    lightning["position"] = position
    mla = mla_spec(c, fam, rope_spec(c, fam, full=True, fraction=1.0))
    c.mark("group_norm_size", "linear_silu", "use_bias", "partial_rotary_factor")
    if not c.data.get("use_qkv_bias"):
        c.mark("use_qkv_bias")
    moe, dense, which = moe_spec(c, fam), dense_spec(c, fam), moe_layers(c, n)
    return [
        (
            mla if (i + 1) % group == 0 else lightning,
            moe if moe and (which is None or which[i]) else dense,
        )
        for i in range(n)
    ]


def _nemotron_h(c: HFConfig, fam: Family, n: int) -> Layers:
    mamba: Spec = {
        "kind": "mamba2",
        "heads": c.int("mamba_num_heads"),
        "head_dim": c.int("mamba_head_dim"),
        "state_size": c.int("ssm_state_size"),
        "groups": c.int("n_groups"),
        "conv_kernel": c.int("conv_kernel"),
    }
    attn = attention_spec(
        c,
        fam,
        heads=c.int("num_attention_heads") or 0,
        kv=c.int("num_key_value_heads") or 0,
        head_dim=head_dim_of(c) or 0,
        position={"kind": "nope"},
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
    moe, dense = moe_spec(c, fam), dense_spec(c, fam)
    table = {"M": (mamba, None), "*": (attn, None), "E": (None, moe), "-": (None, dense)}
    return [table[ch] for ch in str(c.get("hybrid_override_pattern"))[:n]]


def _mimo(c: HFConfig, fam: Family, n: int) -> Layers:
    fraction = c.get("partial_rotary_factor")
    full = attention_spec(
        c,
        fam,
        heads=c.int("num_attention_heads") or 0,
        kv=c.int("num_key_value_heads") or 0,
        head_dim=c.int("head_dim") or 0,
        v_head_dim=c.int("v_head_dim"),
        sinks=bool(c.get("add_full_attention_sink_bias")),
        position=rope_spec(c, fam, full=True, fraction=fraction),
    )
    swa = attention_spec(
        c,
        fam,
        heads=c.int("swa_num_attention_heads") or 0,
        kv=c.int("swa_num_key_value_heads") or 0,
        head_dim=c.int("swa_head_dim") or 0,
        v_head_dim=c.int("swa_v_head_dim"),
        window=c.int("sliding_window"),
        sinks=bool(c.get("add_swa_attention_sink_bias")),
        position=rope_spec(c, fam, full=False, theta=c.get("swa_rope_theta"), fraction=fraction),
    )
    c.mark("sliding_window_size", "attention_chunk_size", "attention_value_scale")
    pattern = c.get("hybrid_layer_pattern") or [0] * n
    moe, dense, which = moe_spec(c, fam), dense_spec(c, fam), moe_layers(c, n)
    return [
        (swa if pattern[i] else full, moe if moe and (which is None or which[i]) else dense)
        for i in range(n)
    ]


def _step(c: HFConfig, fam: Family, n: int) -> Layers:
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
    moe, dense, which = moe_spec(c, fam), dense_spec(c, fam), moe_layers(c, n)
    out: Layers = []
    for i in range(n):
        sliding = types[i] == "sliding"
        position = rope_spec(
            c,
            fam,
            full=not sliding,
            theta=thetas[i] if isinstance(thetas, list) else thetas,
            fraction=fractions[i] if isinstance(fractions, list) else None,
        )
        if sliding:
            position.pop("scaling", None)  # yarn_only_types: full attention
        heads = (
            int(other.get("num_attention_heads", 0)) if sliding else c.int("num_attention_heads")
        )
        kv = int(other.get("num_attention_groups", 0)) if sliding else c.int("num_attention_groups")
        mixer = attention_spec(
            c,
            fam,
            heads=heads or 0,
            kv=kv or 0,
            head_dim=c.int("head_dim") or 0,
            position=position,
            window=c.int("sliding_window") if sliding else None,
            output_gate=gate,
        )
        out.append((mixer, moe if moe and (which is None or which[i]) else dense))
    return out


SPECIAL: dict[str, Callable[[HFConfig, Family, int], Layers]] = {
    "qwen3_next": _qwen_hybrid,
    "qwen3_5_moe": _qwen_hybrid,
    "kimi_linear": _kimi_linear,
    "bailing_hybrid": _bailing_hybrid,
    "nemotron_h": _nemotron_h,
    "mimo_v2_flash": _mimo,
    "step3p5": _step,
}
for _mla_type in ("deepseek_v3", "deepseek_v32", "kimi_k2", "glm_moe_dsa", "sarvam_mla"):
    SPECIAL[_mla_type] = _mla_layers

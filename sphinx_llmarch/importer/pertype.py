"""Layer builders for families whose attention differs per layer type beyond the window:
Gemma 4 (global layers with their own head size, KV heads, K = V and p-RoPE; experts beside
the MLP), Cohere2 MoE (RoPE only where the code applies it) and Muse Glimmer (a rotary base
per layer). Each mechanism reads its own keys.
"""

from __future__ import annotations

from collections.abc import Callable

from ..mechanisms import attention, attention_conv, nope, prope, relative_bias, rope
from .config import HFConfig
from .families import Family, FeedForwards, Layers, Spec, layer_types, standard_heads
from .hybrids import Builder, Built


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
            **standard_heads(c),
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


def _laguna(c: HFConfig, fam: Family, n: int) -> Built:
    """Laguna: each layer type with its own query-head count and RoPE; every head's output
    scaled by a softplus gate."""
    types, ffns = layer_types(c, n), FeedForwards(c, fam, n)
    heads = c.sequence("num_attention_heads_per_layer", n, "head counts") or [None] * n
    per_type: dict[str, set[int]] = {}
    for kind, count in zip(types, heads, strict=False):
        per_type.setdefault(kind, set()).add(int(count or c.int("num_attention_heads") or 0))
    if any(len(counts) > 1 for counts in per_type.values()):
        c.refuse("num_attention_heads_per_layer", "layers of one type with different head counts")
    gating = c.get("gating")
    gates = {str(g) for g in c.get("gating_types") or []}
    if gating not in (True, "per-head") or not gates <= {"per_head"}:
        c.refuse("gating", "only one softplus gate per head is known for Laguna")
    if c.get("moe_apply_router_weight_on_input") is not False:
        c.refuse("moe_apply_router_weight_on_input", "only weights on the experts' outputs")
    specs = {}
    for kind, counts in per_type.items():
        full = kind == "full"
        mixer = attention.from_config(
            c,
            fam,
            heads=max(counts),
            kv=c.int("num_key_value_heads") or 0,
            head_dim=c.head_dim() or 0,
            position=rope.from_config(c, fam, full=full),
            window=None if full else c.int("sliding_window"),
            output_gate=fam.output_gate,
        )
        specs[kind] = {**mixer, "gate_function": "softplus"}
    return Built([(specs[types[i]], ffns.at(i)) for i in range(n)])


def _inkling(c: HFConfig, fam: Family, n: int) -> Built:
    """Inkling: local layers (``local_layer_ids``, ``swa_*`` heads, the window as the relative
    bias's extent) and global ones (``rel_extent``, log-length scaling); no RoPE; short
    convolutions; eight chained MTP blocks with the dense MLP."""
    local_ids = {int(i) for i in c.get("local_layer_ids") or []}
    window = c.int("sliding_window_size")
    conv = attention_conv.from_config(c)
    c.mark("local_layer_ids", "use_embed_norm", "unpadded_vocab_size", "norm_after_topk")
    c.mark("use_global_scale", "mtp_config")  # a learned scalar; the MTP count: assemble
    c.mark(*(k for k in ("q_bias", "o_bias") if not c.data.get(k)))
    specs = {}
    for local in (True, False):
        pre = "swa_" if local else ""
        extent = window if local else c.int("rel_extent")
        mixer = attention.from_config(
            c,
            fam,
            heads=c.int(pre + "num_attention_heads") or 0,
            kv=c.int(pre + "num_key_value_heads") or 0,
            head_dim=c.int(pre + "head_dim") or 0,
            position=relative_bias.from_config(c, extent=extent or 0, log_scaled=not local),
            window=window if local else None,
        )
        specs[local] = {**mixer, "conv": conv} if conv else mixer
    if c.get("gate_activation") != fam.router or not c.get("use_gate_bias"):
        c.refuse("gate_activation", "only a sigmoid router with a selection bias is known")
    c.mark("gate_activation", "use_gate_bias")
    ffns = FeedForwards(c, fam, n)
    if ffns.moe is not None and ffns.moe.get("shared") and c.get("shared_expert_sink"):
        ffns.moe["shared"]["sink"] = True  # the router weighs the shared experts too
    c.mark("shared_expert_sink")
    mtp: Layers = [(specs[True], ffns.dense)] if ffns.dense is not None else []
    return Built([(specs[i in local_ids], ffns.at(i)) for i in range(n)], mtp)


PER_TYPE: dict[str, Builder] = {
    "inkling_mm_model": _inkling,
    "laguna": _laguna,
    "gemma4": _gemma4,
    "gemma4_unified": _gemma4,
    "cohere2_moe": _cohere2_moe,
    "muse_glimmer": _muse_glimmer,
}

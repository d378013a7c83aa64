"""Layer builders for families whose layers keep a state beside or instead of a KV cache.

LFM2 (gated short convolutions among attention layers, dense or MoE), xLSTM (mLSTM blocks,
no attention) and ZAYA1 (compressed convolutional attention with an MLP-routed MoE).  As in
:mod:`.hybrids`, each builder knows which layer gets which mechanism; the mechanisms read
their own keys.
"""

from __future__ import annotations

import math

from ..mechanisms import attention, cca, dense, mlp_router, mlstm, rope, short_conv
from .config import HFConfig
from .families import Family, FeedForwards, standard_heads
from .hybrids import Builder, Built

#: LFM2's settings of weight initialisation and of its MLP's width (read below)
_LFM2_BLOCK = (
    "block_dim",
    "block_ff_dim",
    "block_ffn_dim_multiplier",
    "block_mlp_init_scale",
    "block_multiple_of",
    "block_norm_eps",
    "block_out_init_scale",
    "block_use_swiglu",
    "block_use_xavier_init",
    "block_auto_adjust_ff_dim",
)


def _lfm2_width(c: HFConfig) -> int:
    """LFM2's MLP width: two thirds of intermediate_size, scaled and rounded up."""
    width = int(2 * (c.int("intermediate_size", "block_ff_dim") or 0) / 3)
    multiplier = c.get("block_ffn_dim_multiplier")
    if multiplier is not None:
        width = int(float(multiplier) * width)
        step = c.int("block_multiple_of") or 1
        width = step * math.ceil(width / step)
    return width


def _lfm2(c: HFConfig, fam: Family, n: int) -> Built:
    conv = short_conv.from_config(c)
    attn = attention.from_config(
        c,
        fam,
        heads=c.int("num_attention_heads", "num_heads") or 0,
        kv=c.int("num_key_value_heads") or 0,
        head_dim=c.head_dim() or 0,
        position=rope.from_config(c, fam, full=True),
    )
    ffns = FeedForwards(c, fam, n)
    if c.get("block_auto_adjust_ff_dim"):
        ffns.dense = {**ffns.dense, "hidden": _lfm2_width(c)}
    if ffns.moe is not None and c.get("use_expert_bias"):
        ffns.moe["router"]["bias"] = True
    if c.get("use_pos_enc", default=True):
        c.mark("use_pos_enc")
    c.mark(*_LFM2_BLOCK)
    types = [str(t) for t in c.get("layer_types") or []]
    return Built([(attn if types[i] == "full_attention" else conv, ffns.at(i)) for i in range(n)])


def _xlstm(c: HFConfig, fam: Family, n: int) -> Built:
    mixer = mlstm.from_config(c)
    hidden = c.int("embedding_dim", "hidden_size") or 0
    step = c.int("ffn_round_up_to_multiple_of") or 1
    width = step * math.ceil(hidden * float(c.get("ffn_proj_factor", default=2.667)) / step)
    ffn = {**dense.from_config(c, fam), "hidden": width}  # SwiGLU, at its own width
    # kernels, precision and runtime switches; the norms the code adds when these are set
    c.mark(
        "autocast_kernel_dtype",
        "chunkwise_kernel",
        "sequence_kernel",
        "step_kernel",
        "mode",
        "weight_mode",
        "inference_state_dtype",
        "norm_reduction_force_float32",
        "return_last_states",
        "force_bos_token_insert",
        "add_forward_backend_padding",
        "add_embedding_dropout",
        "eps",
    )
    for flag, expected in (
        ("add_out_norm", True),
        ("add_post_blocks_norm", True),
        ("add_post_norm", False),
        ("add_qk_norm", False),
    ):
        if bool(c.data.get(flag)) == expected:
            c.mark(flag)  # the layout the schema draws; any other value stays unread
    return Built([(mixer, ffn) for _ in range(n)])


def _zaya(c: HFConfig, fam: Family, n: int) -> Built:
    layer_rope = c.nested("rope_parameters", "hybrid", default={}) or {}
    position = rope.from_config(
        c,
        fam,
        full=True,
        theta=layer_rope.get("rope_theta"),
        fraction=layer_rope.get("partial_rotary_factor"),
    )
    mixer = cca.from_config(c, position)
    ffn = mlp_router.from_config(c, fam)
    types = {str(t) for t in c.get("layer_types") or []}
    if types == {"hybrid"} and c.get("sliding_window") is None:
        # no layer uses a window, nor the RoPE group of windowed layers
        c.mark("sliding_window", "rope_parameters.hybrid_sliding")
    if c.nested("rope_parameters", "rope_type") not in (None, "default"):
        c.refuse("rope_parameters.rope_type", "a scaled RoPE is not read for ZAYA")
    if layer_rope.get("rope_type") not in (None, "default"):
        c.refuse("rope_parameters.hybrid.rope_type", "a scaled RoPE is not read for ZAYA")
    if not c.get("lm_head_bias"):
        c.mark("lm_head_bias")
    c.mark("partial_rotary_factor")
    return Built([(mixer, ffn) for _ in range(n)])


#: Granite 4 hybrid keys of its Mamba-2 layers, which a stack without them never reads
_GRANITE_MAMBA = (
    "mamba_chunk_size",
    "mamba_conv_bias",
    "mamba_d_conv",
    "mamba_d_head",
    "mamba_d_state",
    "mamba_expand",
    "mamba_n_groups",
    "mamba_n_heads",
    "mamba_proj_bias",
)


def _granite_hybrid(c: HFConfig, fam: Family, n: int) -> Built:
    """Granite 4 hybrid: attention layers with the shared MLP; without experts, the shared
    MLP is the only feed-forward block. Mamba layers and experts are not read yet."""
    types = {str(t) for t in c.sequence("layer_types", n, "layer kinds") or ["attention"]}
    if types != {"attention"}:
        c.refuse("layer_types", "Granite's Mamba layers are not read yet")
    if c.int("num_local_experts"):
        c.refuse("num_local_experts", "Granite's experts are not read yet")
    else:
        c.mark("intermediate_size")  # the experts' width: no expert is built
    c.mark("layer_types", "num_experts_per_tok", *_GRANITE_MAMBA)
    if c.get("normalization_function", default="rmsnorm") != "rmsnorm":
        c.refuse("normalization_function", "only RMSNorm is known for Granite")
    mixer = attention.from_config(
        c,
        fam,
        **standard_heads(c),
        position=rope.from_config(c, fam, full=True),
    )
    mlp = dense.from_config(c, fam)  # the family names shared_intermediate_size
    return Built([(mixer, mlp) for _ in range(n)])


STATEFUL: dict[str, Builder] = {
    "granitemoehybrid": _granite_hybrid,
    "lfm2": _lfm2,
    "lfm2_moe": _lfm2,
    "xlstm": _xlstm,
    "zaya": _zaya,
}

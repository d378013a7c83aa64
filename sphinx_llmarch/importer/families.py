"""Model types: what each family's code does that its config.json does not state, and the
layers of the families that follow the Hugging Face conventions.

The generic path covers every model type that follows those conventions (llama,
mistral, mixtral, qwen2/3, gemma, olmo, gpt-oss, ...); :mod:`.hybrids` adds the families
whose stacks mix layer kinds.  Each mechanism reads its own keys (its ``from_config``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypedDict

from ..mechanisms import attention, block_sparse, dense, moe, nope, rope
from ..mechanisms.learned import from_config as learned_positions
from .config import HFConfig

Spec = dict[str, Any]
Layers = list[tuple[Spec | None, Spec | None]]


@dataclass(frozen=True)
class Family:
    """What a model type's code does that its config.json does not state."""

    norm: str = "rmsnorm"
    placement: str = "pre"
    qk_norm: str = "none"  # used when the config has no QK-norm key
    zero_centered: bool = False
    gated_ffn: bool = True
    tie_default: bool = False
    attention_bias: str = "qkv"  # what attention_bias: true means
    bias_always: bool = False  # its code gives attention biases whatever the config says
    output_gate: str = "none"
    sinks: bool = False
    router: str = "softmax"
    router_bias: bool = False
    learned_positions: bool = False
    yarn_full_only: bool = False  # RoPE scaling on full-attention layers only
    activation: str | None = None  # when the config names none
    fixed_activation: str | None = None  # what its code applies, whatever the config names
    expert_bias: bool = False  # the experts' MLPs have biases
    shared_expert_gate: bool = False  # one shared expert, scaled by a sigmoid gate
    shared_width: str = "total"  # the config's shared-expert size: of all ('total') or 'each'
    shared_hidden_key: str | None = None  # one shared expert, as wide as this key says
    dense_hidden_key: str | None = None  # the key of the dense layers' width, if not the usual
    #: keys its config carries but its modelling code never reads (checked in that code)
    unused: tuple[str, ...] = ()


FAMILY: dict[str, Family] = {
    "gpt2": Family(
        norm="layernorm",
        gated_ffn=False,
        tie_default=True,
        attention_bias="all",
        learned_positions=True,
    ),
    "llama": Family(),
    "mistral": Family(),
    "mixtral": Family(),
    "qwen2": Family(bias_always=True),  # Qwen2's q, k and v projections always have biases
    "qwen2_moe": Family(shared_expert_gate=True),
    "phi3": Family(),
    "smollm3": Family(tie_default=True),
    "gemma": Family(zero_centered=True, tie_default=True),
    "gemma2": Family(placement="sandwich", zero_centered=True, tie_default=True),
    "gemma3": Family(placement="sandwich", zero_centered=True, tie_default=True, qk_norm="head"),
    "olmo2": Family(placement="post", qk_norm="layer"),
    "olmo3": Family(placement="post", qk_norm="layer", yarn_full_only=True),
    "qwen3": Family(qk_norm="head"),
    "qwen3_moe": Family(qk_norm="head"),
    "qwen3_next": Family(
        qk_norm="head", zero_centered=True, output_gate="elementwise", shared_expert_gate=True
    ),
    "qwen3_5_moe": Family(
        qk_norm="head", zero_centered=True, output_gate="elementwise", shared_expert_gate=True
    ),
    # the dense Qwen3.5/3.6 hybrids: the same code without experts
    "qwen3_5": Family(qk_norm="head", zero_centered=True, output_gate="elementwise"),
    "deepseek_v3": Family(),
    "deepseek_v32": Family(),
    "deepseek_v4": Family(),
    "kimi_k2": Family(),
    "glm_moe_dsa": Family(),
    "hy_v4": Family(router="sigmoid", router_bias=True),
    # Sarvam's MLA code applies no QK-norm whatever use_qk_norm says; default_theta is a
    # second spelling of rope_theta
    "sarvam_mla": Family(router="sigmoid", unused=("use_qk_norm", "default_theta")),
    "glm4_moe": Family(attention_bias="qkv", router="sigmoid", router_bias=True),
    # gpt-oss's experts clamp their SwiGLU (swiglu_limit) whatever hidden_act says
    "gpt_oss": Family(
        attention_bias="all",
        sinks=True,
        router_bias=True,
        expert_bias=True,
        fixed_activation="swigluoai",
    ),
    # every layer is a MoE layer: no code path builds a dense MLP of mlp_intermediate_size
    "minimax_m2": Family(unused=("mlp_intermediate_size",)),
    "minimax_m3": Family(dense_hidden_key="dense_intermediate_size"),
    "nanbeige": Family(),
    "kimi_linear": Family(router_bias=True),
    "bailing_hybrid": Family(),
    "nemotron_h": Family(gated_ffn=False, router="sigmoid", router_bias=True, shared_width="each"),
    "solar_open2": Family(router="sigmoid", router_bias=True),
    "afmoe": Family(
        placement="sandwich", qk_norm="head", output_gate="elementwise", router_bias=True
    ),
    "step3p5": Family(),
    "mimo_v2_flash": Family(),
    "mimo_v2": Family(),
    # Hy3: per-head QK-norm; sigmoid router whose selection bias is always built
    "hy_v3": Family(qk_norm="head", router_bias=True),
    "mellum": Family(qk_norm="head"),
    # Granite 4 hybrid: without experts, its "shared MLP" is the only feed-forward block
    "granitemoehybrid": Family(tie_default=True, dense_hidden_key="shared_intermediate_size"),
    # Laguna: per-head QK-norm; a softplus gate per head on the attention output; sigmoid
    # router with a selection bias
    "laguna": Family(qk_norm="head", output_gate="headwise", router="sigmoid", router_bias=True),
    "cohere2": Family(norm="layernorm", placement="parallel", tie_default=True),
    # RMSNorm when rms_norm_eps is set; Command A+'s config names its LayerNorm (norm_type)
    "cohere2_moe": Family(
        placement="parallel", tie_default=True, dense_hidden_key="prefix_dense_intermediate_size"
    ),
    "gemma4": Family(placement="sandwich", tie_default=True, qk_norm="head"),
    "gemma4_unified": Family(placement="sandwich", tie_default=True, qk_norm="head"),
    "muse_glimmer": Family(
        placement="sandwich", zero_centered=True, qk_norm="unscaled", output_gate="elementwise"
    ),
    "llama4": Family(
        router="sigmoid",
        shared_hidden_key="intermediate_size",
        dense_hidden_key="intermediate_size_mlp",
    ),
    # Grok 2's config names this type. Its top-level YaRN keys go with rope_type "original",
    # which SGLang's Grok code runs with the unscaled frequencies
    "git": Family(
        placement="sandwich",
        activation="gelu",
        unused=(
            "rope_type",
            "original_max_position_embeddings",
            "scaling_factor",
            "extrapolation_factor",
            "attn_factor",
            "beta_fast",
            "beta_slow",
        ),
    ),
    "lfm2": Family(qk_norm="head", tie_default=True),
    "lfm2_moe": Family(qk_norm="head", router="sigmoid"),
    "xlstm": Family(),
    "zaya": Family(router_bias=True),  # balancing biases steer the choice of expert
    "Motif": Family(router_bias=True),  # sigmoid router with a selection bias (expert_bias)
    # Inkling: per-head QK-norm; the dense MLP's width under its own key
    "inkling_mm_model": Family(
        qk_norm="head",
        router="sigmoid",
        router_bias=True,
        dense_hidden_key="dense_intermediate_size",
    ),
}


# --------------------------------------------------------------------------- layers


def moe_layers(c: HFConfig, n: int) -> list[bool] | None:
    """Which layers use the MoE block, or None when every layer does."""
    # spellings of "every layer" that the checks below make redundant
    c.mark(
        "interleave_moe_layer_step", "moe_layer_freq" if c.data.get("moe_layer_freq") == 1 else ""
    )
    kinds = c.sequence("mlp_layer_types", n, "'dense' or 'sparse'")
    if kinds is not None:
        which = [str(k) == "sparse" for k in kinds[:n]]
        first = c.int("first_k_dense_replace")
        if first is not None and which != [i >= first for i in range(n)]:
            c.refuse("mlp_layer_types", f"disagrees with first_k_dense_replace ({first})")
        only, step = c.get("mlp_only_layers"), c.int("decoder_sparse_step")
        if only is not None or step is not None:
            other = [i not in set(only or []) and (i + 1) % (step or 1) == 0 for i in range(n)]
            if other != which:
                c.refuse("mlp_layer_types", "disagrees with mlp_only_layers / decoder_sparse_step")
        return which
    if c.has("first_k_dense_replace"):
        k = c.int("first_k_dense_replace") or 0
        which = [i >= k for i in range(n)]
        if c.get("moe_layer_freq") in (1, [int(x) for x in which]):
            c.mark("moe_layer_freq")  # the same layout, spelt out per layer
        return which
    # the latter two: Motif; Inkling, whose layers below dense_mlp_idx are dense
    if c.has("num_dense_layers", "n_dense_first_layers", "dense_mlp_idx"):
        k = c.int("num_dense_layers", "n_dense_first_layers", "dense_mlp_idx") or 0
        return [i >= k for i in range(n)]
    if c.has("moe_layers_enum"):
        chosen = {int(x) for x in str(c.get("moe_layers_enum")).split(",") if x.strip()}
        return [i in chosen for i in range(n)]
    if c.has("moe_layers"):
        return [i in set(c.get("moe_layers")) for i in range(n)]
    freq = c.get("moe_layer_freq")
    if isinstance(freq, list):
        return [bool(x) for x in freq[:n]]
    if isinstance(freq, int) and freq > 1:
        return [(i + 1) % freq == 0 for i in range(n)]
    only = c.get("mlp_only_layers")
    step = c.int("decoder_sparse_step")
    if only or (step and step > 1):
        return [i not in set(only or []) and (i + 1) % (step or 1) == 0 for i in range(n)]
    return None


# --------------------------------------------------------------------------- per layer


def layers(c: HFConfig, fam: Family, n: int) -> Layers:
    """(mixer spec, FFN spec) of every layer, for the families of the usual conventions."""
    heads = c.int("num_attention_heads", "n_head") or 0
    kv = c.int("num_key_value_heads", "num_attention_groups", default=heads) or heads
    head_dim = c.head_dim() or 0
    window = c.get("sliding_window", "sliding_window_size")
    if window == -1:
        window = None  # Grok's spelling of "no window"
    window = c.int("sliding_window", "sliding_window_size") if window is not None else None
    types = layer_types(c, n)
    no_rope = c.get("no_rope_layers")
    chunk = c.int("attention_chunk_size")
    ffns = FeedForwards(c, fam, n)
    out: Layers = []
    for i in range(n):
        sliding = types[i] == "sliding"
        rotary = False
        if fam.learned_positions:
            position = learned_positions()
        elif (
            (isinstance(no_rope, list) and not no_rope[i])
            or (c.model_type == "cohere2" and not sliding)
            or (c.model_type == "afmoe" and not sliding)
        ):
            position = nope.from_config()
        else:
            local_theta = sliding and c.has("rope_local_base_freq")
            theta = c.get("rope_local_base_freq") if local_theta else None
            # Gemma 3's local layers keep plain RoPE
            position = rope.from_config(c, fam, full=not sliding, theta=theta, scaled=theta is None)
            rotary = True
        layer_chunk = chunk if chunk and rotary else None
        mixer = attention.from_config(
            c,
            fam,
            heads=heads,
            kv=kv,
            head_dim=head_dim,
            position=position,
            window=window if sliding else None,
            chunk=layer_chunk,
            sinks=fam.sinks,
            output_gate=fam.output_gate,
        )
        out.append((block_sparse.from_config(c, mixer, i), ffns.at(i)))
    return out


class Heads(TypedDict):
    heads: int
    kv: int
    head_dim: int


def standard_heads(c: HFConfig) -> Heads:
    """The attention heads under the usual keys: query heads, KV heads and head size."""
    return {
        "heads": c.int("num_attention_heads") or 0,
        "kv": c.int("num_key_value_heads") or 0,
        "head_dim": c.head_dim() or 0,
    }


class FeedForwards:
    """The feed-forward block of each layer: the MoE block where the config puts one."""

    def __init__(self, c: HFConfig, fam: Family, n: int) -> None:
        self.moe = moe.from_config(c, fam)
        self.dense = dense.from_config(c, fam)
        self.which = moe_layers(c, n)

    def at(self, i: int) -> Spec:
        if self.moe is not None and (self.which is None or self.which[i]):
            return self.moe
        return self.dense


def layer_types(c: HFConfig, n: int) -> list[str]:
    """'sliding' or 'full' for every layer."""
    # other spellings of the same layout, which layer_types (when present) states in full
    c.mark(
        "global_attn_every_n",
        "layer_switch",
        "order_of_interleaved_layers",
        "no_rope_layer_interval",
        "_sliding_window_pattern",
        "global_attn_every_n_layers",
        "use_parallel_embedding",
    )
    if all(x == 1 for x in c.data.get("attn_type_list") or [0]):
        c.mark("attn_type_list")  # MiniMax: 1 = softmax attention in every layer
    types = c.sequence("layer_types", n, "layer types")
    if types is not None:
        kinds = ["sliding" if "sliding" in str(t) else "full" for t in types[:n]]
        _sliding_switch(c, kinds)
        return kinds
    if isinstance(c.data.get("sliding_window_pattern"), str):
        c.refuse("sliding_window_pattern", "a named pattern is not read; give layer_types")
        return ["full"] * n
    pattern = c.int("sliding_window_pattern", "_sliding_window_pattern")
    if pattern and c.has("sliding_window"):
        return ["full" if (i + 1) % pattern == 0 else "sliding" for i in range(n)]
    every = c.int("global_attn_every_n_layers")
    if every and every > 1:
        return ["full" if (i + 1) % every == 0 else "sliding" for i in range(n)]
    return ["full"] * n


def _sliding_switch(c: HFConfig, kinds: list[str]) -> None:
    """Qwen2's switch: with use_sliding_window true, windows apply from max_window_layers on;
    layer_types must then agree with it."""
    if c.data.get("use_sliding_window") is not True:
        return
    start = c.int("max_window_layers", default=0) or 0
    c.mark("use_sliding_window")
    if any(k == "sliding" and i < start for i, k in enumerate(kinds)):
        c.refuse("max_window_layers", "layer_types has sliding layers below it")

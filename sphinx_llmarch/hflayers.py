"""Config keys → the layers of a model: attention, MLA and feed-forward specs per layer.

The generic path covers every model type that follows the Hugging Face conventions
(llama, mistral, mixtral, qwen2/3, gemma, olmo, gpt-oss, ...); :mod:`.hfhybrids` adds
the families whose stacks mix layer kinds.  :data:`FAMILY` records, per model type, what
the modelling code does that the config does not state.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .hfconfig import HFConfig

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
    output_gate: str = "none"
    sinks: bool = False
    router: str = "softmax"
    router_bias: bool = False
    learned_positions: bool = False
    yarn_full_only: bool = False  # RoPE scaling on full-attention layers only
    activation: str | None = None  # when the config names none


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
    "qwen2": Family(),
    "qwen2_moe": Family(),
    "phi3": Family(),
    "smollm3": Family(tie_default=True),
    "gemma": Family(zero_centered=True, tie_default=True),
    "gemma2": Family(placement="sandwich", zero_centered=True, tie_default=True),
    "gemma3": Family(placement="sandwich", zero_centered=True, tie_default=True, qk_norm="head"),
    "olmo2": Family(placement="post", qk_norm="layer"),
    "olmo3": Family(placement="post", qk_norm="layer", yarn_full_only=True),
    "qwen3": Family(qk_norm="head"),
    "qwen3_moe": Family(qk_norm="head"),
    "qwen3_next": Family(qk_norm="head", zero_centered=True, output_gate="elementwise"),
    "qwen3_5_moe": Family(qk_norm="head", zero_centered=True, output_gate="elementwise"),
    "deepseek_v3": Family(),
    "deepseek_v32": Family(),
    "kimi_k2": Family(),
    "glm_moe_dsa": Family(),
    "sarvam_mla": Family(router="sigmoid"),
    "glm4_moe": Family(attention_bias="qkv", router="sigmoid", router_bias=True),
    "gpt_oss": Family(attention_bias="all", sinks=True, router_bias=True),
    "minimax_m2": Family(),
    "kimi_linear": Family(router_bias=True),
    "bailing_hybrid": Family(),
    "nemotron_h": Family(gated_ffn=False, router="sigmoid", router_bias=True),
    "afmoe": Family(
        placement="sandwich", qk_norm="head", output_gate="elementwise", router_bias=True
    ),
    "step3p5": Family(),
    "mimo_v2_flash": Family(),
    "cohere2": Family(norm="layernorm", placement="parallel", tie_default=True),
    "llama4": Family(router="sigmoid"),
    "git": Family(placement="sandwich", activation="gelu"),  # Grok 2's config names this type
}


# --------------------------------------------------------------------------- layer types


def rope_spec(
    c: HFConfig, fam: Family, *, full: bool, theta: Any = None, fraction: float | None = None
) -> Spec:
    theta = (
        theta
        if theta is not None
        else c.get("rope_theta", "rotary_emb_base") or c.nested("rope_parameters", "rope_theta")
    )
    pos: Spec = {"kind": "rope"}
    if theta is not None:
        pos["theta"] = float(theta)
    head_dim = head_dim_of(c)
    if fraction is None:
        fraction = c.get("partial_rotary_factor", "rotary_pct") or c.nested(
            "rope_parameters", "partial_rotary_factor"
        )
        rotary = c.get("rotary_dim")
        if fraction is None and rotary and head_dim:
            fraction = rotary / head_dim
    if fraction and float(fraction) < 1:
        pos["fraction"] = round(float(fraction), 4)
    if c.get("rope_interleave") or c.get("rope_style") == "interleave":
        pos["interleaved"] = True
    c.mark("position_embedding_type", "mrope_interleaved")
    sections = c.nested("rope_parameters", "mrope_section") or c.nested(
        "rope_scaling", "mrope_section"
    )
    if sections:
        pos["sections"] = list(sections)
    scaling = c.get("rope_scaling")
    if isinstance(scaling, dict) and (full or not fam.yarn_full_only):
        kind = str(scaling.get("rope_type") or scaling.get("type") or "")
        kind = {"deepseek_yarn": "yarn"}.get(kind, kind)
        if kind in ("yarn", "llama3", "linear", "dynamic", "longrope") and scaling.get("factor"):
            pos["scaling"] = {"kind": kind, "factor": float(scaling["factor"])}
            original = scaling.get("original_max_position_embeddings")
            if original:
                pos["scaling"]["original_context"] = int(original)
    return pos


def head_dim_of(c: HFConfig) -> int | None:
    hidden = c.int("hidden_size", "n_embd", "d_model")
    heads = c.int("num_attention_heads", "n_head")
    explicit = c.int("head_dim")
    return explicit or (hidden // heads if hidden and heads else None)


def attention_spec(
    c: HFConfig,
    fam: Family,
    *,
    heads: int,
    kv: int,
    head_dim: int,
    position: Spec,
    window: int | None = None,
    chunk: int | None = None,
    v_head_dim: int | None = None,
    sinks: bool = False,
    output_gate: str = "none",
) -> Spec:
    kind = "mha" if kv == heads else "mqa" if kv == 1 else "gqa"
    spec: Spec = {"kind": kind, "heads": heads, "kv_heads": kv, "head_dim": head_dim}
    if v_head_dim and v_head_dim != head_dim:
        spec["v_head_dim"] = v_head_dim
    if window:
        spec["window"] = window
    if chunk:
        spec["chunk"] = chunk
    qk = fam.qk_norm
    flag = c.get("use_qk_norm", "qk_layernorm")
    if flag is not None:
        qk = "head" if flag else "none"
    if c.get("qk_norm_type") == "per_layer" and qk != "none":
        qk = "layer"
    if qk != "none":
        spec["qk_norm"] = qk
    if output_gate != "none":
        spec["output_gate"] = output_gate
    if c.get("attention_bias", "qkv_bias", "use_qkv_bias") or (
        fam.attention_bias == "all" and fam.learned_positions
    ):
        spec["bias"] = fam.attention_bias
    if sinks:
        spec["sinks"] = True
    spec["position"] = position
    return spec


def mla_spec(c: HFConfig, fam: Family, position: Spec) -> Spec:
    spec: Spec = {
        "kind": "mla",
        "heads": c.int("num_attention_heads"),
        "q_lora_rank": c.int("q_lora_rank"),
        "kv_lora_rank": c.int("kv_lora_rank"),
        "qk_nope_head_dim": c.int("qk_nope_head_dim"),
        "qk_rope_head_dim": c.int("qk_rope_head_dim"),
        "v_head_dim": c.int("v_head_dim"),
    }
    c.mark("num_key_value_heads", "qk_head_dim", "q_head_dim", "head_dim")  # nominal under MLA
    if not c.data.get("attention_bias"):
        c.mark("attention_bias")
    if c.has("index_topk"):
        spec["sparse"] = {
            "index_heads": c.int("index_n_heads"),
            "index_head_dim": c.int("index_head_dim"),
            "top_k": c.int("index_topk"),
        }
        c.mark("indexer_rope_interleave")
    spec["position"] = position
    return spec


# --------------------------------------------------------------------------- feed-forward


def activation(c: HFConfig, fam: Family, gated: bool | None = None) -> str:
    act = str(
        c.get(
            "hidden_activation",
            "hidden_act",
            "activation_function",
            "mlp_hidden_act",
            default=fam.activation or "silu",
        )
    )
    c.mark("use_gated_activation")
    gated = fam.gated_ffn if gated is None else gated
    if "relu2" in act:
        return "relu2"
    if act.startswith("gelu"):
        return "geglu" if gated else "gelu"
    return "swiglu" if gated else act


def moe_spec(c: HFConfig, fam: Family) -> Spec | None:
    experts = c.int("n_routed_experts", "num_local_experts", "num_experts", "moe_num_experts")
    if not experts:
        return None
    active = c.int("num_experts_per_tok", "experts_per_token", "moe_top_k", "num_experts_per_token")
    hidden = c.int("moe_intermediate_size")
    if hidden is None:
        hidden = c.int("intermediate_size")  # Mixtral, gpt-oss: the experts' width
    spec: Spec = {
        "kind": "moe",
        "experts": experts,
        "active": active,
        "expert_hidden": hidden,
        "activation": activation(c, fam),
    }
    if fam.sinks:  # gpt-oss also puts biases on its experts
        spec["bias"] = True
    scoring = c.get(
        "scoring_func",
        "score_func",
        "score_function",
        "moe_router_activation_func",
        "moe_router_activation",
        default=fam.router,
    )
    flagged = c.get("use_routing_bias", "moe_router_enable_expert_bias", "use_moe_router_bias")
    bias = fam.router_bias or c.get("topk_method") == "noaux_tc" or bool(flagged)
    spec["router"] = {"scoring": "sigmoid" if scoring == "sigmoid" else "softmax", "bias": bias}
    shared_count = c.int("n_shared_experts", "num_shared_experts")
    shared_hidden = c.int(
        "shared_expert_intermediate_size", "moe_shared_expert_intermediate_size", "share_expert_dim"
    )
    if c.model_type == "llama4":
        shared_count, shared_hidden = 1, c.int("intermediate_size")
    if shared_hidden and not shared_count:
        shared_count = 1
    if shared_count:
        width = shared_hidden or hidden
        if c.model_type in ("qwen2_moe", "qwen3_next", "qwen3_5_moe"):
            spec["shared"] = {"count": 1, "hidden": width, "gate": True}
        elif shared_hidden and shared_count > 1 and c.model_type != "nemotron_h":
            spec["shared"] = {"count": shared_count, "hidden": shared_hidden // shared_count}
        else:
            spec["shared"] = {"count": shared_count, "hidden": width}
    if c.has("moe_latent_size"):
        spec["latent"] = c.int("moe_latent_size")
    if c.get("residual_moe"):
        spec["parallel_dense"] = {
            "hidden": c.int("intermediate_size"),
            "activation": spec["activation"],
        }
    c.mark(
        "norm_topk_prob",
        "routed_scaling_factor",
        "n_group",
        "topk_group",
        "num_expert_group",
        "use_grouped_topk",
        "moe_renormalize",
        "route_norm",
        "route_scale",
        "norm_expert_weight",
        "moe_router_scaling_factor",
        "swiglu_limit",
        "shared_moe_mode",
        "shared_intermediate_size",
        "moe_layer_offset",
        "moe_every_n_layer",
        "use_moe",
        "num_limited_groups",
        "num_expert_groups",
        "n_groups" if c.model_type != "nemotron_h" else "",
    )
    return spec


def dense_spec(c: HFConfig, fam: Family) -> Spec:
    hidden = c.int("intermediate_size_mlp") if c.model_type == "llama4" else None
    if hidden is None:
        hidden = c.int("intermediate_size", "n_inner", "ffn_dim")
    if hidden is None:
        hidden = 4 * (c.int("n_embd", "hidden_size") or 0)  # GPT-2's default
    spec: Spec = {"kind": "dense", "hidden": hidden, "activation": activation(c, fam)}
    if fam.learned_positions:
        spec["bias"] = True
    c.mark("mlp_bias")
    return spec


def moe_layers(c: HFConfig, n: int) -> list[bool] | None:
    """Which layers use the MoE block, or None when every layer does."""
    # spellings of "every layer" that the checks below make redundant
    c.mark(
        "interleave_moe_layer_step", "moe_layer_freq" if c.data.get("moe_layer_freq") == 1 else ""
    )
    if c.has("first_k_dense_replace"):
        k = c.int("first_k_dense_replace") or 0
        return [i >= k for i in range(n)]
    if c.has("num_dense_layers"):
        k = c.int("num_dense_layers") or 0
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


def layers(c: HFConfig, fam: Family, n: int) -> list[tuple[Spec | None, Spec | None]]:
    """(mixer spec, FFN spec) of every layer."""
    from .hfhybrids import SPECIAL

    handler = SPECIAL.get(c.model_type)
    if handler is not None:
        return handler(c, fam, n)
    heads = c.int("num_attention_heads", "n_head") or 0
    kv = c.int("num_key_value_heads", "num_attention_groups", default=heads) or heads
    head_dim = head_dim_of(c) or 0
    window = c.int("sliding_window", "sliding_window_size")
    types = layer_types(c, n)
    no_rope = c.get("no_rope_layers")
    chunk = c.int("attention_chunk_size")
    moe = moe_spec(c, fam)
    dense = dense_spec(c, fam)
    which = moe_layers(c, n)
    out: Layers = []
    for i in range(n):
        sliding = types[i] == "sliding"
        if fam.learned_positions:
            position: Spec = {"kind": "learned"}
        elif (
            (isinstance(no_rope, list) and not no_rope[i])
            or (c.model_type == "cohere2" and not sliding)
            or (c.model_type == "afmoe" and not sliding)
        ):
            position = {"kind": "nope"}
        else:
            theta = (
                c.get("rope_local_base_freq") if sliding and c.has("rope_local_base_freq") else None
            )
            position = rope_spec(c, fam, full=not sliding, theta=theta)
            if theta is not None:
                position.pop("scaling", None)  # Gemma 3's local layers keep plain RoPE
        layer_chunk = chunk if chunk and position["kind"] == "rope" else None
        mixer = attention_spec(
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
        use_moe = moe is not None and (which is None or which[i])
        out.append((mixer, moe if use_moe else dense))
    return out


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
    types = c.get("layer_types")
    if isinstance(types, list):
        return ["sliding" if "sliding" in str(t) else "full" for t in types[:n]]
    pattern = c.int("sliding_window_pattern", "_sliding_window_pattern")
    if pattern and c.has("sliding_window"):
        return ["full" if (i + 1) % pattern == 0 else "sliding" for i in range(n)]
    every = c.int("global_attn_every_n_layers")
    if every and every > 1:
        return ["full" if (i + 1) % every == 0 else "sliding" for i in range(n)]
    return ["full"] * n

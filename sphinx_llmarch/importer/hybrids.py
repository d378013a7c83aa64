"""Layer builders for the families whose stacks mix kinds of layer.

Qwen3-Next / Qwen3.5 (Gated DeltaNet + gated attention), Kimi Linear (Kimi Delta
Attention + MLA), Ling 2.5 (Lightning Attention + MLA), Nemotron-H (Mamba-2, attention and
MoE layers), MiMo-V2-Flash, Step 3.5, Gemma 4, Cohere2 MoE and Muse Glimmer (per-layer-type
attention), DeepSeek V4 (a compression ratio per layer, hash-routed first layers) and the MLA
families.
Each builder knows which layer gets which mechanism; the mechanisms read their own keys.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..mechanisms import (
    attention,
    compressed_attention,
    gated_deltanet,
    gdla,
    kimi_delta,
    lightning,
    mamba2,
    mla,
    moe,
    nope,
    rope,
)
from .config import ConfigError, HFConfig
from .families import Family, FeedForwards, Layers, Spec, layer_types, standard_heads


@dataclass
class Built:
    """The layers of a model, and those of one multi-token-prediction module if stated."""

    layers: Layers
    mtp: Layers = field(default_factory=list)


def _mla_layers(c: HFConfig, fam: Family, n: int) -> Built:
    mixer = mla.from_config(c, rope.from_config(c, fam, full=True))
    shared = mla.shared_layers(c, n) if "sparse" in mixer else [False] * n
    reuse = mla.with_shared_index(mixer) if any(shared) else mixer
    ffns = FeedForwards(c, fam, n)
    return Built([(reuse if shared[i] else mixer, ffns.at(i)) for i in range(n)])


def _qwen_hybrid(c: HFConfig, fam: Family, n: int) -> Built:
    linear = gated_deltanet.from_config(c)
    gate = "elementwise" if c.get("attn_output_gate", default=True) else "none"
    full = attention.from_config(
        c,
        fam,
        **standard_heads(c),
        position=rope.from_config(c, fam, full=True),
        output_gate=gate,
    )
    types = c.get("layer_types")
    interval = c.int("full_attention_interval", default=4) or 4
    if types is not None:
        types = c.sequence("layer_types", n, "layer types")
    kinds = (
        [str(t) for t in types]
        if isinstance(types, list)
        else ["full_attention" if (i + 1) % interval == 0 else "linear_attention" for i in range(n)]
    )
    c.mark("full_attention_interval")
    if c.get("output_gate_type") not in (None, "swish"):
        c.refuse("output_gate_type", "only the SiLU-gated norm of Gated DeltaNet is known")
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
    if c.has("kda_lower_bound", "no_kda_lora", "use_kda_lora"):
        return _bailing_kda(c, fam, n)
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


def _bailing_kda(c: HFConfig, fam: Family, n: int) -> Built:
    """Ling 3.0 (BailingMoeV3): KDA layers, and MLA closing each group and after the last."""
    group = c.int("layer_group_size", default=6) or 6
    full = mla.from_config(c, rope.from_config(c, fam, full=True, fraction=1.0))
    linear = kimi_delta.from_config(c)
    # rotary_dim and partial_rotary_factor restate MLA's qk_rope_head_dim; the rest is
    # numerics (gate bounds, silu, group norm size) or switched off
    c.mark("rotary_dim", "partial_rotary_factor", "group_norm_size", "linear_silu", "use_bias")
    c.mark("use_qkv_bias", "use_mla_nope", "use_nGPT", "value_norm", "up_proj_norm")
    c.mark("use_qk_norm")  # the MLA layers have no norm beyond their KV latent's
    ffns = FeedForwards(c, fam, n)
    tail = n // group * group
    kinds = [full if (i + 1) % group == 0 or i >= tail else linear for i in range(n)]
    mtp: Layers = [(linear if c.get("mtp_use_kda") else full, ffns.moe)]
    return Built([(kinds[i], ffns.at(i)) for i in range(n)], mtp)


def _solar_open2(c: HFConfig, fam: Family, n: int) -> Built:
    """Solar Open 2: gated NoPE GQA on ``gqa_layers`` (0-based), KDA elsewhere."""
    full_layers = c.get("gqa_layers")
    interval = (c.int("gqa_interval") or 3) + 1
    if not isinstance(full_layers, list):
        full_layers = [i for i in range(n) if i % interval == 0]
    c.mark("gqa_interval")
    use_rope = c.get("use_rope")
    position = rope.from_config(c, fam, full=True) if use_rope else nope.from_config()
    if not use_rope:
        c.mark("rope_theta", "partial_rotary_factor")
    full = attention.from_config(
        c,
        fam,
        **standard_heads(c),
        position=position,
        output_gate="elementwise" if c.get("use_gqa_gate", default=True) else "none",
    )
    linear = kimi_delta.from_config(c)
    ffns = FeedForwards(c, fam, n)
    return Built([(full if i in full_layers else linear, ffns.at(i)) for i in range(n)])


#: Nemotron-H's layer kinds as ``layers_block_type`` spells them, in its pattern's letters
_BLOCK_WORDS = {"mamba": "M", "attention": "*", moe.LAYER_WORD: "E", "mlp": "-"}


def _nemotron_h(c: HFConfig, fam: Family, n: int) -> Built:
    mamba = mamba2.from_config(c)
    attn = attention.from_config(
        c,
        fam,
        **standard_heads(c),
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
    )
    ffns = FeedForwards(c, fam, n)
    table = {"M": (mamba, None), "*": (attn, None), "E": (None, ffns.moe), "-": (None, ffns.dense)}
    pattern = _nemotron_pattern(c, "hybrid_override_pattern", "layers_block_type")
    if pattern is None:
        raise ConfigError("hybrid_override_pattern", "a Nemotron-H config needs its layer pattern")
    _check_pattern("hybrid_override_pattern", pattern, n, table)
    layers = [table[ch] for ch in pattern[:n]]
    # a multi-token-prediction module's own pattern: its attention and MoE layers
    mtp_pattern = _nemotron_pattern(c, "mtp_hybrid_override_pattern", "mtp_layers_block_type")
    mtp = [table[ch] for ch in mtp_pattern or "" if ch in "*E" and any(table[ch])]
    return Built(layers, mtp)


def _nemotron_pattern(c: HFConfig, key: str, words_key: str) -> str | None:
    """The layer pattern as characters, from either spelling (both must agree)."""
    chars = c.get(key)
    words = c.get(words_key)
    if words is not None:
        if not isinstance(words, list) or any(w not in _BLOCK_WORDS for w in words):
            known = ", ".join(_BLOCK_WORDS)
            raise ConfigError(words_key, f"must be a list of block kinds ({known})")
        spelled = "".join(_BLOCK_WORDS[w] for w in words)
        if isinstance(chars, str) and chars != spelled:
            c.refuse(key, f"disagrees with {words_key}")
        return spelled
    return chars if isinstance(chars, str) else None


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
    pattern = c.sequence("hybrid_layer_pattern", n, "0 (full) or 1 (sliding)") or [0] * n
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

    def mixer(i: int, sliding: bool) -> Spec:
        position = rope.from_config(
            c,
            fam,
            full=not sliding,
            theta=_entry(thetas, i),
            fraction=_entry(fractions, i) if isinstance(fractions, list) else None,
            scaled=not sliding,  # yarn_only_types: full attention
        )
        heads = (
            int(other.get("num_attention_heads", 0)) if sliding else c.int("num_attention_heads")
        )
        kv = int(other.get("num_attention_groups", 0)) if sliding else c.int("num_attention_groups")
        return attention.from_config(
            c,
            fam,
            heads=heads or 0,
            kv=kv or 0,
            head_dim=c.int("head_dim") or 0,
            position=position,
            window=c.int("sliding_window") if sliding else None,
            output_gate=gate,
        )

    out: Layers = [(mixer(i, types[i] == "sliding"), ffns.at(i)) for i in range(n)]
    # the MTP layers follow the backbone in the per-layer lists (entries n on): sliding
    # attention, and dense, as moe_layers_enum leaves them out
    after = (c.data.get("layer_types") or [])[n : n + 1]
    mtp: Layers = [(mixer(n, "sliding" in str(t)), ffns.dense) for t in after if ffns.dense]
    return Built(out, mtp)


def _entry(values: Any, i: int) -> Any:
    """Entry ``i`` of a per-layer list (None past its end), or the one value for all."""
    if isinstance(values, list):
        return values[i] if i < len(values) else None
    return values


def _check_pattern(key: str, pattern: str, n: int, table: Mapping[str, object]) -> None:
    """A one-character-per-layer pattern: long enough, and only known characters."""
    unknown = sorted(set(pattern) - set(table))
    if unknown:
        known = ", ".join(repr(k) for k in table)
        raise ConfigError(
            key, f"has unknown layer codes {', '.join(map(repr, unknown))} (known: {known})"
        )
    if len(pattern) < n:
        raise ConfigError(key, f"has {len(pattern)} layers for num_hidden_layers {n}")


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


def _motif(c: HFConfig, fam: Family, n: int) -> Built:
    """Motif 3: GDLA in every layer; with the interleave pattern, layer i slides unless i is a
    multiple of the period (Motif's code)."""
    pattern, period = c.get("sliding_window_pattern"), c.int("sliding_window_period") or 4
    window = c.int("sliding_window") if c.get("use_sliding_window") else None
    if window and pattern not in ("interleave", "all"):
        c.refuse("sliding_window_pattern", "only 'interleave' and 'all' are known")
    c.mark("sliding_window_pattern", "sliding_window_period", "use_sliding_window")
    c.mark("max_window_layers", "original_seq_len", "rope_factor", "mscale")  # YaRN, again
    if c.nested("rope_scaling", "rope_theta") in (None, c.get("rope_theta")):
        c.mark("rope_scaling.rope_theta")
    # false only drops YaRN's attention scale; the frequencies are still interpolated
    c.mark("rope_scaling.apply_yarn_scaling")
    if not c.get("score_before_experts"):
        c.mark("score_before_experts")  # the router weights scale the experts' outputs
    full = gdla.from_config(c, rope.from_config(c, fam, full=True), None)
    theta = c.get("swa_rope_theta")
    local_rope = rope.from_config(c, fam, full=False, theta=theta, scaled=False)
    local = gdla.from_config(c, local_rope, window) if window else full
    c.mark("polynorm_output_scale", "polynorm_bias_clamp", "hidden_clamp")  # weightless
    if not c.get("polynorm_output_scale_per_layer"):
        c.mark("polynorm_output_scale_per_layer")
    ffns = FeedForwards(c, fam, n)
    slides = [pattern == "all" or i % period != 0 for i in range(n)]
    # Motif's MTP block: a plain block of sliding-window GDLA and the dense MLP
    mtp: Layers = [(local, ffns.dense)] if ffns.dense is not None else []
    return Built([(local if slides[i] else full, ffns.at(i)) for i in range(n)], mtp)


Builder = Callable[[HFConfig, Family, int], Built]

SPECIAL: dict[str, Builder] = {
    "qwen3_next": _qwen_hybrid,
    "qwen3_5_moe": _qwen_hybrid,
    "qwen3_5": _qwen_hybrid,
    "mimo_v2": _mimo,
    "kimi_linear": _kimi_linear,
    "bailing_hybrid": _bailing_hybrid,
    "nemotron_h": _nemotron_h,
    "solar_open2": _solar_open2,
    "mimo_v2_flash": _mimo,
    "step3p5": _step,
    "deepseek_v4": _deepseek_v4,
    "Motif": _motif,
}
for _mla_type in ("deepseek_v3", "deepseek_v32", "kimi_k2", "glm_moe_dsa", "sarvam_mla", "hy_v4"):
    SPECIAL[_mla_type] = _mla_layers

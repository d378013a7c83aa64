"""The importer on the layouts of Solar Open 2, Ling 3.0 and Nemotron 3 Ultra (tiny configs).

Each config is cut down to a few layers with the keys and conventions of the real one, and
every key must be understood.
"""

from __future__ import annotations

from typing import Any

import yaml

from sphinx_llmarch.importer.assemble import import_config

SOLAR: dict[str, Any] = {
    "model_type": "solar_open2",
    "hidden_size": 64,
    "num_hidden_layers": 8,
    "num_attention_heads": 4,
    "num_key_value_heads": 2,
    "head_dim": 16,
    "vocab_size": 100,
    "intermediate_size": 128,
    "moe_intermediate_size": 32,
    "n_routed_experts": 8,
    "num_experts_per_tok": 2,
    "n_shared_experts": 1,
    "first_k_dense_replace": 0,
    "use_rope": False,
    "rope_theta": 10000,
    "gqa_interval": 3,
    "gqa_layers": [0, 4],
    "use_gqa_gate": True,
    "linear_attn_config": {"short_conv_kernel_size": 4, "head_dim": 16, "num_heads": 4},
    "kda_use_full_proj": False,
    "kda_allow_neg_eigval": True,
    "rms_norm_eps": 1e-5,
    "tie_word_embeddings": False,
    "max_position_embeddings": 4096,
}

LING: dict[str, Any] = {
    "model_type": "bailing_hybrid",
    "hidden_size": 64,
    "num_hidden_layers": 8,
    "num_attention_heads": 4,
    "num_key_value_heads": 4,
    "head_dim": 16,
    "vocab_size": 100,
    "intermediate_size": 128,
    "moe_intermediate_size": 16,
    "moe_shared_expert_intermediate_size": 16,
    "num_experts": 8,
    "num_experts_per_tok": 2,
    "num_shared_experts": 1,
    "first_k_dense_replace": 1,
    "layer_group_size": 3,
    "kv_lora_rank": 16,
    "q_lora_rank": None,
    "qk_nope_head_dim": 16,
    "qk_rope_head_dim": 8,
    "v_head_dim": 16,
    "gated_attention_proj_granularity_type": "head_wise",
    "no_kda_lora": True,
    "kda_lower_bound": -5.0,
    "kda_safe_gate": True,
    "num_kv_heads_for_linear_attn": 0,
    "short_conv_kernel_size": 4,
    "use_qk_norm": True,
    "mtp_use_kda": False,
    "num_nextn_predict_layers": 1,
    "rope_theta": 6000000,
    "rope_interleave": True,
    "rotary_dim": 8,
    "partial_rotary_factor": 0.5,
    "score_function": "sigmoid",
    "moe_router_enable_expert_bias": True,
    "max_position_embeddings": 4096,
}

ULTRA: dict[str, Any] = {
    "model_type": "nemotron_h",
    "hidden_size": 64,
    "vocab_size": 100,
    "layers_block_type": ["mamba", "moe", "attention", "moe"],
    "mtp_layers_block_type": ["attention", "moe"],
    "num_nextn_predict_layers": 1,
    "num_attention_heads": 4,
    "num_key_value_heads": 2,
    "head_dim": 16,
    "mamba_num_heads": 4,
    "mamba_head_dim": 32,
    "ssm_state_size": 16,
    "n_groups": 2,
    "conv_kernel": 4,
    "n_routed_experts": 8,
    "num_experts_per_tok": 2,
    "moe_intermediate_size": 32,
    "moe_latent_size": 16,
    "moe_shared_expert_intermediate_size": 64,
    "n_shared_experts": 1,
    "mlp_hidden_act": "relu2",
    "max_position_embeddings": 4096,
}


def imported(raw: dict[str, Any], slug: str) -> dict[str, Any]:
    result = import_config(raw, slug)
    assert [u.key for u in result.unresolved] == []
    data: dict[str, Any] = yaml.safe_load(result.text)
    return data["architecture"]


def test_solar_open_2() -> None:
    arch = imported(SOLAR, "tiny-solar")
    attn = arch["mixers"]["attn"]
    assert (attn["output_gate"], attn["position"]["kind"]) == ("elementwise", "nope")
    assert arch["mixers"]["kda"]["kind"] == "kimi_delta"
    assert arch["layers"]["schedule"] == [
        {"repeat": 2, "pattern": ["attn + moe", {"repeat": 3, "pattern": ["kda + moe"]}]}
    ]


def test_ling_3_flash() -> None:
    arch = imported(LING, "tiny-ling")
    mla, kda = arch["mixers"]["mla"], arch["mixers"]["kda"]
    assert (mla["output_gate"], mla["q_lora_rank"]) == ("headwise", None)
    assert (kda["decay_proj"], kda["gate_proj"]) == ("full", "full")
    # MLA closes every group of three; the last two layers are past the last whole group
    assert arch["layers"]["schedule"] == [
        "kda + dense",
        "kda + moe",
        "mla + moe",
        {"repeat": 2, "pattern": ["kda + moe"]},
        {"repeat": 3, "pattern": ["mla + moe"]},
    ]
    assert arch["mtp"]["pattern"] == ["mla + moe"]


def test_nemotron_3_ultra_without_a_layer_count() -> None:
    arch = imported(ULTRA, "tiny-ultra")
    assert arch["layers"]["count"] == 4
    assert arch["layers"]["schedule"] == ["mamba", "moe", "attn", "moe"]
    assert arch["mtp"]["pattern"] == ["attn", "moe"]
    assert arch["ffns"]["moe"]["latent"] == 16

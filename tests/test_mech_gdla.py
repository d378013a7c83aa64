"""Grouped differential latent attention (Motif 3 Beta), by hand from its config.json."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from sphinx_llmarch.mechanisms import Stack
from sphinx_llmarch.mechanisms.gdla import GDLA

from .import_check import assert_import_matches

H = 4096  # hidden_size


def _gdla(**extra: Any) -> GDLA:
    spec = {
        "kind": "gdla",
        "heads": 80,  # num_attention_heads: 64 signal + 16 noise
        "kv_heads": 16,  # num_key_value_heads
        "noise_heads": 16,  # num_noise_heads
        "q_lora_rank": 1024,
        "kv_lora_rank": 512,
        "qk_nope_head_dim": 128,  # head_dim 192 - qk_rope_head_dim 64
        "qk_rope_head_dim": 64,
        "v_head_dim": 128,
        "position": {"kind": "rope", "theta": 10000.0},
    }
    return GDLA.model_validate({**spec, **extra})


def test_weights_by_hand() -> None:
    q = H * 1024 + 1024 + 1024 * 80 * 192  # wq_a, q_norm, wq_b
    kv = H * (512 + 64) + 512 + 512 * 16 * (128 + 128)  # wkv_a, kv_norm, wkv_b (16 heads)
    lam = H * 64  # lambda_proj: one per signal head
    out = 64 * 128 * H  # wo: signal heads only
    assert _gdla().params(H) == q + kv + lam + out
    gate = 1024 * 64 * 128  # wq_b_gate reads the query latent
    assert _gdla(output_gate="elementwise").params(H) == q + kv + lam + out + gate


def test_the_cache_is_the_latent() -> None:
    assert _gdla().cache_values_per_token() == 512 + 64
    assert _gdla(window=128).span() == 128


def test_groups_must_hold_one_noise_head_each() -> None:
    with pytest.raises(ValidationError, match="noise_heads equal kv_heads"):
        _gdla(noise_heads=8)


def test_words() -> None:
    local, full = _gdla(window=128), _gdla()
    stack = Stack(has_local=True)
    assert (local.mix_label(stack), full.mix_label(stack)) == ("sliding-window", "global")
    assert full.heads_text() == "64 signal + 16 noise heads, 16 KV heads, head dim 128+64"
    assert GDLA.merged_title([local, full], stack) == (
        "Grouped differential latent attention\n(sliding-window or global)"
    )
    gated = _gdla(output_gate="elementwise")
    assert "gated-attention" not in gated.concepts_used()
    assert {"gdla", "rope"} <= gated.concepts_used()
    assert gated.panel().concept == "gdla"


#: Motif 3 Beta's config.json
MOTIF_CONFIG: dict[str, object] = {
    "_debug_force_load_balance": False,
    "architectures": ["MotifForCausalLM"],
    "attention_cls": "gdla",
    "attention_dropout": 0.0,
    "auto_map": {
        "AutoConfig": "configuration_motif.MotifConfig",
        "AutoModel": "modeling_motif.MotifForCausalLM",
        "AutoModelForCausalLM": "modeling_motif.MotifForCausalLM",
    },
    "diff_v2": True,
    "dtype": "bfloat16",
    "elementwise_attn_output_gate": True,
    "eos_token_id": 0,
    "experts_top_k": 8,
    "head_dim": 192,
    "headwise_attn_output_gate": False,
    "hidden_act": "poly_norm",
    "hidden_size": 4096,
    "initializer_range": 0.02,
    "interleave_moe_layer_step": 1,
    "intermediate_size": 12288,
    "k_ratio": 1,
    "kv_lora_rank": 512,
    "load_balance_coeff": 0.0001,
    "max_position_embeddings": 262144,
    "max_window_layers": 9,
    "mhc_enabled": True,
    "mhc_expansion_rate": 4,
    "mhc_identity_init": False,
    "mhc_sinkhorn_iters": 20,
    "model_type": "Motif",
    "moe_intermediate_size": 1280,
    "mscale": 1.0,
    "n_dense_first_layers": 2,
    "num_attention_heads": 80,
    "num_experts": 384,
    "num_hidden_layers": 53,
    "num_key_value_heads": 16,
    "num_noise_heads": 16,
    "num_shared_experts": 1,
    "output_router_logits": False,
    "q_lora_rank": 1024,
    "qk_rope_head_dim": 64,
    "rms_norm_eps": 1e-05,
    "rope_theta": 10000.0,
    "route_norm": True,
    "route_scale": 2.0,
    "router_aux_loss_coef": 0.0,
    "score_before_experts": False,
    "score_func": "sigmoid",
    "sliding_window": 128,
    "sliding_window_pattern": "interleave",
    "sliding_window_period": 4,
    "swa_rope_theta": 10000.0,
    "tie_word_embeddings": False,
    "transformers_version": "5.7.0",
    "use_cache": True,
    "use_sliding_window": True,
    "v_head_dim": 128,
    "vocab_size": 220160,
    "rope_factor": 64.0,
    "original_seq_len": 4096,
    "rope_scaling": {
        "original_max_position_embeddings": 4096,
        "factor": 64.0,
        "mscale": 1.0,
        "rope_type": "yarn",
        "rope_theta": 10000.0,
        "beta_fast": 32.0,
        "beta_slow": 1.0,
        "apply_yarn_scaling": False,
    },
    "polynorm_output_scale": 0.5,
    "polynorm_output_scale_per_layer": {},
    "polynorm_bias_clamp": 0.5,
    "hidden_clamp": 1000000.0,
    "num_nextn_predict_layers": 1,
}


def test_the_importer_reproduces_the_hand_checked_file() -> None:
    imported = assert_import_matches(MOTIF_CONFIG, "motif-3-beta")
    assert [s.mixer for s in imported.layers][:5] == ["global", "local", "local", "local", "global"]

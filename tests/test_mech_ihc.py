"""Independent hyper-connections (Hunyuan's iHC) and MLA sinks (Hy4-preview), by hand."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from sphinx_llmarch.mechanisms.hyper_connections import HyperConnections
from sphinx_llmarch.mechanisms.mla import MLA
from sphinx_llmarch.model.figures import compute, layer_params
from sphinx_llmarch.model.loader import load_file
from sphinx_llmarch.model.stack import LayerSpec

from .conftest import MODELS
from .import_check import assert_import_matches

H = 6144  # hidden_size


def test_ihc_has_pre_and_post_weights_only() -> None:
    ihc = HyperConnections.model_validate(
        {"kind": "hyper_connections", "streams": 4, "residual_mix": False}  # hc_mult
    )
    # hc_fn [2n, n*h], hc_base [2n], hc_scale [2] around every sub-layer
    assert ihc.params_per_sublayer(H) == 2 * 4 * 4 * H + 8 + 2
    # hc_head_fn [n, n*h], hc_head_base [n], hc_head_scale [1] before the final norm
    assert ihc.head_params(H) == 4 * 4 * H + 4 + 1
    assert ihc.label() == "iHC, 4 streams (dynamic mixing)"
    with pytest.raises(ValidationError, match="Sinkhorn constraint"):
        HyperConnections.model_validate(
            {
                "kind": "hyper_connections",
                "streams": 4,
                "residual_mix": False,
                "constraint": "sinkhorn",
            }
        )


def test_mla_sinks_are_one_logit_per_head() -> None:
    spec = {
        "kind": "mla",
        "heads": 64,
        "q_lora_rank": 2048,
        "kv_lora_rank": 512,
        "qk_nope_head_dim": 192,
        "qk_rope_head_dim": 64,
        "v_head_dim": 256,
        "position": {"kind": "rope", "theta": 1e7},
    }
    plain, sunk = MLA.model_validate(spec), MLA.model_validate({**spec, "sinks": True})
    assert sunk.params(H) - plain.params(H) == 64
    assert "attention-sinks" in sunk.concepts_used() and "attention sinks" in sunk.flags()


def test_hy4_layer_by_hand() -> None:
    model = load_file(MODELS / "hy4-preview.yaml").model
    assert model is not None
    arch = model.spec.architecture
    q = H * 2048 + 2048 + 2048 * 64 * 256  # q_a_proj, q_a_layernorm, q_b_proj
    kv = H * (512 + 64) + 512 + 512 * 64 * (192 + 256)  # kv_a_proj_with_mqa, norm, kv_b_proj
    mla = q + kv + 64 * 256 * H + H * 64 * 256 + 64  # o_proj, gate_proj, sinks
    indexer = 2048 * 32 * 128 + H * 128 + 2 * 128 + H * 32  # wq_b, wk, k_norm, weights_proj
    expert = 3 * H * 2048
    moe = 256 * H + 256 + expert + 256 * expert  # router and bias, shared, routed
    ihc = 2 * (4 * H * 8 + 8 + 2)  # around both sub-layers
    shared_layer = mla + moe + 2 * H + ihc
    full_layer = shared_layer + indexer
    assert layer_params(arch, LayerSpec("mla_shared", "moe"))[0] == shared_layer
    assert layer_params(arch, LayerSpec("mla", "moe"))[0] == full_layer
    f = compute(model)
    assert f.kv_cache_bytes_per_token == 78 * (512 + 64) * 2
    # the model card: 770B, 49B activated
    assert abs(f.total_params / 770e9 - 1) < 0.01 and abs(f.active_params / 49e9 - 1) < 0.01


def _hy4_config() -> dict[str, object]:
    """Hy4-preview's config.json, its 78-entry lists written as comprehensions."""
    full = {0, 1, *range(5, 78, 4)}
    return {
        "architectures": ["HYV4ForCausalLM"],
        "model_type": "hy_v4",
        "attention_bias": False,
        "attention_dropout": 0.0,
        "bos_token_id": 120000,
        "eos_token_id": 120025,
        "pad_token_id": 120002,
        "dtype": "bfloat16",
        "torch_dtype": "bfloat16",
        "enable_ihc": True,
        "enable_lm_head_fp32": True,
        "bitwise_backward_align": False,
        "gated_mla": True,
        "gating_type": "elementwise",
        "hc_eps": 1e-06,
        "hc_magnitude": 2.0,
        "hc_mult": 4,
        "head_dim": 64,
        "hidden_act": "silu",
        "hidden_size": 6144,
        "index_head_dim": 128,
        "index_n_heads": 32,
        "index_topk": 2048,
        "indexer_types": ["full" if i in full else "shared" for i in range(78)],
        "initializer_range": 0.006,
        "intermediate_size": 18432,
        "kv_lora_rank": 512,
        "layer_types": ["deepseek_sparse_attention"] * 78,
        "learnable_sink": True,
        "learnable_sink_init": 0.0,
        "max_position_embeddings": 1048576,
        "mlp_layer_types": ["dense"] + ["sparse"] * 77,
        "moe_intermediate_size": 2048,
        "mtp_loss_factor": 0.1,
        "n_group": 1,
        "n_routed_experts": 256,
        "n_shared_experts": 1,
        "norm_topk_prob": True,
        "num_attention_heads": 64,
        "num_experts_per_tok": 8,
        "num_hidden_layers": 78,
        "num_key_value_heads": 8,
        "num_nextn_predict_layers": 1,
        "q_lora_rank": 2048,
        "qk_head_dim": 256,
        "qk_nope_head_dim": 192,
        "qk_rope_head_dim": 64,
        "rms_norm_eps": 1e-05,
        "rope_parameters": {"rope_theta": 10000000, "rope_type": "default"},
        "routed_scaling_factor": 2.827,
        "swiglu_limit": 10.0,
        "tie_word_embeddings": False,
        "topk_group": 1,
        "transformers_version": "5.16.2",
        "use_cache": True,
        "use_dsa": True,
        "use_mla": True,
        "v_head_dim": 256,
        "vocab_size": 120832,
    }


def test_the_importer_reproduces_the_hand_checked_file() -> None:
    imported = assert_import_matches(_hy4_config(), "hy4-preview")
    assert imported.spec.architecture.mtp is not None

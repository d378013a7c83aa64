"""The learned relative position bias (Inkling), checked by hand against its config.json."""

from __future__ import annotations

from sphinx_llmarch.mechanisms import REGISTRY
from sphinx_llmarch.mechanisms.attention import Attention
from sphinx_llmarch.mechanisms.relative_bias import RelativeBias
from sphinx_llmarch.model.figures import compute
from sphinx_llmarch.model.loader import load_file

from .conftest import MODELS
from .import_check import assert_import_matches

H = 6144  # text_config.hidden_size


def _global() -> Attention:
    return Attention.model_validate(
        {
            "kind": "gqa",
            "heads": 64,
            "kv_heads": 8,
            "head_dim": 128,
            "position": {
                "kind": "relative-bias",
                "dims": 16,
                "extent": 1024,
                "log_scaling": {"alpha": 0.1, "floor": 128000},
            },
        }
    )


def test_the_bias_adds_its_projection_and_its_distance_table() -> None:
    attn = _global()
    plain = attn.model_copy(update={"position": REGISTRY.position("nope")(kind="nope")})
    # r_proj: 6144 -> 64 heads x d_rel 16; rel_logits_proj.proj: d_rel 16 x rel_extent 1024
    assert attn.params(H) - plain.params(H) == 6144 * 64 * 16 + 16 * 1024
    # q, k, v, o and the bias, no norm, no convolution
    q, kv, o = 6144 * 8192, 2 * 6144 * 1024, 8192 * 6144
    assert attn.params(H) == q + kv + o + 6144 * 1024 + 16384


def test_the_bias_leaves_the_cache_alone() -> None:
    # keys and values only: 8 KV heads x 128, twice
    assert _global().cache_values_per_token() == 2 * 8 * 128


def test_labels_and_concepts() -> None:
    bias = _global().position
    assert isinstance(bias, RelativeBias)
    assert bias.label() == "Relative bias + log scaling"
    assert bias.detail() == "16 dims per head, 1,024 distances"
    assert bias.concepts_used() == {"relative-bias", "log-scaling"}
    assert bias.rotated_share() is None


def test_inkling_local_layers_bias_their_window() -> None:
    model = load_file(MODELS / "inkling.yaml").model
    assert model is not None
    mixers = model.spec.architecture.mixers
    local, glob = mixers["local"].position_scheme(), mixers["global"].position_scheme()
    assert isinstance(local, RelativeBias) and isinstance(glob, RelativeBias)
    assert (local.extent, glob.extent) == (512, 1024)  # sliding_window_size, rel_extent
    assert local.log_scaling is None and glob.log_scaling is not None
    # 55 local layers of 16 KV heads, 11 global of 8, keys and values of 128, bf16
    assert compute(model).kv_cache_bytes_per_token == (55 * 16 + 11 * 8) * 256 * 2


def _inkling_config() -> dict[str, object]:
    """Inkling's config.json (its audio and vision towers left out: they are not modelled)."""
    return {
        "architectures": ["InklingForConditionalGeneration"],
        "model_type": "inkling_mm_model",
        "eos_token_id": 200006,
        "text_config": {
            "model_max_length": 1048576,
            "torch_dtype": "bfloat16",
            "hidden_size": 6144,
            "num_hidden_layers": 66,
            "vocab_size": 201024,
            "num_attention_heads": 64,
            "num_key_value_heads": 8,
            "head_dim": 128,
            "d_rel": 16,
            "rel_extent": 1024,
            "q_bias": False,
            "o_bias": False,
            "log_scaling_n_floor": 128000,
            "log_scaling_alpha": 0.1,
            "rms_norm_eps": 1e-06,
            "use_embed_norm": True,
            "local_layer_ids": [i for i in range(66) if (i + 1) % 6],
            "dense_mlp_idx": 2,
            "use_sconv": True,
            "sconv_kernel_size": 4,
            "unpadded_vocab_size": 200058,
            "logits_mup_width_multiplier": 24.0,
            "final_logit_softcapping": None,
            "swa_head_dim": 128,
            "swa_num_attention_heads": 64,
            "swa_num_key_value_heads": 16,
            "sliding_window_size": 512,
            "n_routed_experts": 256,
            "num_experts_per_tok": 6,
            "n_shared_experts": 2,
            "shared_expert_sink": True,
            "dense_intermediate_size": 24576,
            "intermediate_size": 3072,
            "route_scale": 8.0,
            "use_gate_bias": True,
            "gate_activation": "sigmoid",
            "norm_after_topk": True,
            "use_global_scale": True,
        },
        "mtp_config": {
            "num_nextn_predict_layers": 8,
            "chain_hidden_post_norm": False,
            "local_layer_ids": [0, 2, 4, 5, 6, 7],
        },
    }


def test_the_importer_reproduces_the_hand_checked_file() -> None:
    imported = assert_import_matches(_inkling_config(), "inkling")
    assert imported.spec.architecture.mtp is not None

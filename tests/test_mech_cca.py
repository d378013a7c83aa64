"""Compressed convolutional attention (ZAYA1-8B): figures against a hand count from the config.

From config.json: hidden_size 2048, num_attention_heads 8, num_key_value_heads 2, head_dim
128, cca_time0 2, cca_time1 2, attention_bias false, 40 layers.  Shapes from the zaya code:
q_proj 2048 -> 1024, k_proj 2048 -> 256, v_proj_current and v_proj_delayed 2048 -> 128
each, a depthwise and a grouped (10 groups) convolution over the 1,280 query/key channels
(with biases), one key temperature per KV head, o_proj 1024 -> 2048.
"""

from __future__ import annotations

import pytest

from sphinx_llmarch.importer.config import HFConfig
from sphinx_llmarch.mechanisms import cca
from sphinx_llmarch.mechanisms.cca import CompressedConvAttention
from sphinx_llmarch.model.figures import BYTES_PER_VALUE, compute
from sphinx_llmarch.model.loader import LoadedModel, load_file

from .conftest import MODELS

H = 2048
ROPE = {"kind": "rope", "theta": 5000000, "fraction": 0.5}


def _layer(**extra: object) -> CompressedConvAttention:
    return CompressedConvAttention.model_validate(
        {
            "kind": "cca",
            "heads": 8,
            "kv_heads": 2,
            "head_dim": 128,
            "channel_kernel": 2,
            "head_kernel": 2,
            "position": ROPE,
            **extra,
        }
    )


def _zaya() -> LoadedModel:
    loaded = load_file(MODELS / "zaya1-8b.yaml").model
    assert loaded is not None
    return loaded


def test_one_layer_by_hand() -> None:
    q, k, v_now, v_prev, o = H * 1024, H * 256, H * 128, H * 128, 1024 * H
    channels = 1024 + 256
    depthwise = channels * 1 * 2 + channels  # one input channel per filter, 2 taps, bias
    grouped = channels * (channels // 10) * 2 + channels  # 10 groups of 128 channels
    temperature = 2
    layer = _layer()
    assert layer.params(H) == q + k + v_now + v_prev + o + depthwise + grouped + temperature
    assert layer.params(H) == 5_575_682
    assert layer.cache_values_per_token() == 2 * 2 * 128  # keys and values, 2 KV heads
    # 2 past inputs of the 1,280 query/key channels, and the 128 delayed values
    assert layer.state_values() == channels * 2 + 128
    assert _layer(bias=True).params(H) - layer.params(H) == 1024 + 2 * 256 + H


def test_zaya1_8b_cache_and_state() -> None:
    f = compute(_zaya())
    assert f.kv_cache_bytes_per_token == 40 * 512 * BYTES_PER_VALUE == 40 * 1024  # 40 KiB
    assert f.linear_state_bytes == 40 * (1280 * 2 + 128) * BYTES_PER_VALUE
    # a sequence's cache grows with its length; the convolution state does not
    assert f.kv_cache_bytes(1000) == 1000 * f.kv_cache_bytes_per_token + f.linear_state_bytes


def test_the_latent_is_narrower_than_the_model() -> None:
    layer = _layer()
    assert layer.q_width == H // 2
    # full-width multi-head attention (16 heads of 128) would cache 8 times as much
    assert 8 * layer.cache_values_per_token() == 2 * 16 * 128


def test_heads_must_group() -> None:
    with pytest.raises(ValueError, match="multiple of kv_heads"):
        _layer(kv_heads=3)


def test_from_config_reads_the_zaya_keys() -> None:
    c = HFConfig(
        {
            "hidden_size": 2048,
            "num_attention_heads": 8,
            "num_key_value_heads": 2,
            "head_dim": 128,
            "cca_time0": 2,
            "cca_time1": 2,
            "attention_bias": False,
        }
    )
    spec = cca.from_config(c, ROPE)
    assert CompressedConvAttention.model_validate(spec) == _layer()
    assert not c.unresolved()


def test_names_and_panel() -> None:
    layer = _zaya().spec.architecture.mixers["cca"]
    assert layer.concepts_used() == {"cca", "rope", "partial-rope"}
    panel = layer.panel()
    assert panel is not None and panel.concept == "cca"


def test_import_of_the_zaya_config_reproduces_the_model_file() -> None:
    from sphinx_llmarch.importer.assemble import import_config

    from .test_importer import architecture, imported

    raw = {
        "model_type": "zaya",
        "attention_bias": False,
        "cca_time0": 2,
        "cca_time1": 2,
        "head_dim": 128,
        "hidden_act": "silu",
        "hidden_size": 2048,
        "layer_types": ["hybrid"] * 40,
        "lm_head_bias": False,
        "max_position_embeddings": 131072,
        "moe_intermediate_size": 2048,
        "num_attention_heads": 8,
        "num_experts": 16,
        "num_experts_per_tok": 1,
        "num_hidden_layers": 40,
        "num_key_value_heads": 2,
        "partial_rotary_factor": 0.5,
        "rms_norm_eps": 1e-05,
        "rope_parameters": {
            "hybrid": {"partial_rotary_factor": 0.5, "rope_theta": 5000000, "rope_type": "default"},
            "hybrid_sliding": {
                "partial_rotary_factor": 0.5,
                "rope_theta": 10000.0,
                "rope_type": "default",
            },
            "rope_type": "default",
        },
        "router_hidden_size": 256,
        "sliding_window": None,
        "tie_word_embeddings": True,
        "vocab_size": 262272,
    }
    assert [u.key for u in import_config(raw, "zaya1-8b").unresolved] == []
    assert architecture(imported(raw, "zaya1-8b")) == architecture(_zaya())

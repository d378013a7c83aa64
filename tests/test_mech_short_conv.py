"""Gated short convolution (LFM2): its figures against a hand count from the configs.

The numbers below are read off the official config.json files of LFM2.5-1.2B-Thinking and
LFM2.5-8B-A1B and the lfm2 / lfm2_moe modelling code; every product is written out so that
a wrong formula in the mechanism or a wrong value in the model file fails here.
"""

from __future__ import annotations

import pytest

from sphinx_llmarch.importer.config import HFConfig
from sphinx_llmarch.mechanisms import short_conv
from sphinx_llmarch.mechanisms.short_conv import ShortConv
from sphinx_llmarch.model.figures import BYTES_PER_VALUE, compute
from sphinx_llmarch.model.loader import LoadedModel, load_file

from .conftest import MODELS


def _model(slug: str) -> LoadedModel:
    loaded = load_file(MODELS / f"{slug}.yaml").model
    assert loaded is not None
    return loaded


def test_one_layer_by_hand() -> None:
    conv = ShortConv(kind="short_conv", width=2048, kernel=3)
    in_proj, filt, out_proj = 2048 * 3 * 2048, 2048 * 3, 2048 * 2048
    assert conv.params(2048) == in_proj + filt + out_proj == 16_783_360
    assert conv.cache_values_per_token() == 0  # no per-token cache
    assert conv.state_values() == 2048 * 2  # the two previous gated inputs per channel
    with_bias = ShortConv(kind="short_conv", width=2048, kernel=3, bias=True)
    assert with_bias.params(2048) - conv.params(2048) == 3 * 2048 + 2048 + 2048


def test_lfm2_5_1_2b_total_by_hand() -> None:
    h, vocab, ffn = 2048, 65536, 8192  # 8192: intermediate_size 12288 auto-adjusted (2/3)
    conv = 3 * h * h + 3 * h + h * h
    attn = h * (32 * 64) + 2 * h * (8 * 64) + (32 * 64) * h + 2 * 64  # + q/k norms
    mlp = 3 * h * ffn
    norms = 2 * h
    total = vocab * h + 10 * conv + 6 * attn + 16 * (mlp + norms) + h  # tied head, final norm
    f = compute(_model("lfm2.5-1.2b"))
    assert f.total_params == total == 1_170_340_608  # the card: 1.17B
    assert f.kv_cache_bytes_per_token == 6 * (2 * 8 * 64) * BYTES_PER_VALUE
    assert f.linear_state_bytes == 10 * (h * 2) * BYTES_PER_VALUE


def test_lfm2_5_350m_feed_forward_width_follows_the_auto_adjustment() -> None:
    m = _model("lfm2.5-350m")
    adjusted = int(2 * 6656 / 3)  # 4437
    rounded = 256 * -(-adjusted // 256)  # up to a multiple of block_multiple_of
    assert m.spec.architecture.ffns["mlp"].params(1024)[0] == 3 * 1024 * rounded
    assert compute(m).linear_state_bytes == 10 * 1024 * 2 * BYTES_PER_VALUE


def test_lfm2_5_8b_a1b_by_hand() -> None:
    h, vocab = 2048, 128000
    conv = 3 * h * h + 3 * h + h * h
    attn = h * 2048 + 2 * h * 512 + 2048 * h + 2 * 64
    dense = 3 * h * 7168
    expert = 3 * h * 1792
    router = h * 32 + 32  # gate and the expert-selection bias
    norms = 2 * h
    fixed = vocab * h + h
    layers = 18 * conv + 6 * attn + 2 * dense + 24 * norms
    f = compute(_model("lfm2.5-8b-a1b"))
    assert f.total_params == fixed + layers + 22 * (router + 32 * expert)
    assert f.active_params == fixed + layers + 22 * (router + 4 * expert)
    assert f.linear_state_bytes == 18 * h * 2 * BYTES_PER_VALUE


def test_lfm2_5_8b_a1b_card_counts_match_the_smaller_vocabulary() -> None:
    """The card's 8.3B / 1.5B fit the predecessor's 65,536-token vocabulary, not 128,000."""
    f = compute(_model("lfm2.5-8b-a1b"))
    extra = (128000 - 65536) * 2048
    assert f.total_params - extra == pytest.approx(8.3e9, rel=0.01)
    assert f.active_params - extra == pytest.approx(1.5e9, rel=0.05)
    assert f.active_params / 1.5e9 - 1 > 0.10  # as configured, beyond the usual bound


def test_from_config_reads_the_lfm2_keys() -> None:
    c = HFConfig({"hidden_size": 2048, "conv_dim": 2048, "conv_L_cache": 3, "conv_bias": False})
    spec = short_conv.from_config(c)
    assert spec == {"kind": "short_conv", "width": 2048, "kernel": 3}
    assert ShortConv.model_validate(spec).params(2048) == 16_783_360
    assert not c.unresolved()
    # lfm2_moe has no conv_dim: the width is the model's
    assert (
        short_conv.from_config(HFConfig({"hidden_size": 1024, "conv_L_cache": 3}))["width"] == 1024
    )


def test_panel_and_names() -> None:
    conv = _model("lfm2.5-1.2b").spec.architecture.mixers["conv"]
    panel = conv.panel()
    assert panel is not None and panel.concept == "short-conv"
    assert conv.concepts_used() == {"short-conv"}
    assert any("no KV cache" in n for n in panel.notes)


_LAYER_TYPES_1_2B = ["conv", "conv", "full_attention"] * 3 + ["conv", "full_attention"] * 3
_LAYER_TYPES_8B = (
    ["conv", "conv", "full_attention"]
    + ["conv", "conv", "conv", "full_attention"] * 4
    + ["conv", "conv", "full_attention", "conv", "conv"]
)


def test_import_of_the_lfm2_config_reproduces_the_model_file() -> None:
    raw = {
        "model_type": "lfm2",
        "block_auto_adjust_ff_dim": True,
        "block_dim": 2048,
        "block_ff_dim": 12288,
        "block_ffn_dim_multiplier": 1.0,
        "block_multiple_of": 256,
        "block_norm_eps": 1e-05,
        "block_use_swiglu": True,
        "conv_L_cache": 3,
        "conv_bias": False,
        "conv_dim": 2048,
        "hidden_size": 2048,
        "intermediate_size": 12288,
        "layer_types": [*_LAYER_TYPES_1_2B, "conv"],
        "max_position_embeddings": 128000,
        "norm_eps": 1e-05,
        "num_attention_heads": 32,
        "num_heads": 32,
        "num_hidden_layers": 16,
        "num_key_value_heads": 8,
        "rope_theta": 1000000.0,
        "tie_embedding": True,
        "use_pos_enc": True,
        "vocab_size": 65536,
    }
    assert len(raw["layer_types"]) == 16
    _same_as_the_model_file(raw, "lfm2.5-1.2b")


def test_import_of_the_lfm2_moe_config_reproduces_the_model_file() -> None:
    raw = {
        "model_type": "lfm2_moe",
        "conv_L_cache": 3,
        "conv_bias": False,
        "hidden_size": 2048,
        "intermediate_size": 7168,
        "layer_types": _LAYER_TYPES_8B,
        "max_position_embeddings": 128000,
        "moe_intermediate_size": 1792,
        "norm_eps": 1e-05,
        "norm_topk_prob": True,
        "num_attention_heads": 32,
        "num_dense_layers": 2,
        "num_experts": 32,
        "num_experts_per_tok": 4,
        "num_hidden_layers": 24,
        "num_key_value_heads": 8,
        "rope_parameters": {"rope_theta": 5000000, "rope_type": "default"},
        "routed_scaling_factor": 1.0,
        "tie_word_embeddings": True,
        "use_expert_bias": True,
        "vocab_size": 128000,
    }
    assert len(_LAYER_TYPES_8B) == 24
    _same_as_the_model_file(raw, "lfm2.5-8b-a1b")


def _same_as_the_model_file(raw: dict[str, object], slug: str) -> None:
    from sphinx_llmarch.importer.assemble import import_config

    from .test_importer import architecture, imported

    assert [u.key for u in import_config(raw, slug).unresolved] == []
    assert architecture(imported(raw, slug)) == architecture(_model(slug))

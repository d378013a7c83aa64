"""Compressed attention (DeepSeek V4): weights and cache by hand from DeepSeek-V4-Flash's
config, its names, its side panel and the importer's reading of ``compress_ratios``.

Hand computation (DeepSeek-V4-Flash: ``hidden_size`` 4096, ``num_attention_heads`` 64,
``head_dim`` 512, ``q_lora_rank`` 1024, ``o_groups`` 8, ``o_lora_rank`` 1024,
``sliding_window`` 128; indexer ``index_n_heads`` 64, ``index_head_dim`` 128,
``index_topk`` 512), following the reference code's modules:

* every layer: ``wq_a`` 4096 × 1024, ``q_norm`` 1024, ``wq_b`` 1024 × 64·512, ``wkv``
  4096 × 512, ``kv_norm`` 512, ``wo_a`` (8 groups of 4096 → 1024) 64·512 × 1024, ``wo_b``
  8·1024 × 4096, ``attn_sink`` 64;
* a compressor of width w over ratio m with s series (2 with overlap): ``wkv`` and
  ``wgate`` 4096 × s·w each, ``ape`` m × s·w, ``norm`` w;
* the CSA indexer: its own compressor at w = 128, ``wq_b`` 1024 × 64·128 and
  ``weights_proj`` 4096 × 64.
"""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from sphinx_llmarch.describe.labels import layer_mix
from sphinx_llmarch.importer.assemble import import_config
from sphinx_llmarch.importer.config import HFConfig
from sphinx_llmarch.mechanisms.base import Stack
from sphinx_llmarch.mechanisms.compressed_attention import CompressedAttention, from_config
from sphinx_llmarch.model.figures import Figures, compute
from sphinx_llmarch.model.loader import LoadedModel, load_text

from .conftest import MODELS

ROPE = {"kind": "rope", "theta": 160000.0, "fraction": 0.125, "interleaved": True}
COMMON: dict[str, Any] = {
    "kind": "compressed_attention",
    "heads": 64,
    "head_dim": 512,
    "q_lora_rank": 1024,
    "o_groups": 8,
    "o_lora_rank": 1024,
    "window": 128,
    "position": ROPE,
}
INDEXER = {"index_heads": 64, "index_head_dim": 128, "top_k": 512}
SWA = CompressedAttention.model_validate({**COMMON, "compress_ratio": 0})
CSA = CompressedAttention.model_validate(
    {**COMMON, "compress_ratio": 4, "overlap": True, "indexer": INDEXER}
)
HCA = CompressedAttention.model_validate({**COMMON, "compress_ratio": 128})

EVERY_LAYER = (
    4096 * 1024
    + 1024
    + 1024 * 64 * 512  # queries through the 1,024 bottleneck
    + 4096 * 512
    + 512  # the shared key-value vector and its norm
    + 64 * 512 * 1024
    + 8 * 1024 * 4096  # grouped low-rank output
    + 64  # sinks
)
HCA_COMPRESSOR = 2 * 4096 * 512 + 128 * 512 + 512
CSA_COMPRESSOR = 2 * 4096 * 2 * 512 + 4 * 2 * 512 + 512
CSA_INDEXER = (2 * 4096 * 2 * 128 + 4 * 2 * 128 + 128) + 1024 * 64 * 128 + 4096 * 64


def test_weights_by_hand_from_the_flash_config() -> None:
    assert EVERY_LAYER == 106_956_352
    assert SWA.params(4096) == EVERY_LAYER
    assert HCA.params(4096) == EVERY_LAYER + HCA_COMPRESSOR == EVERY_LAYER + 4_260_352
    assert CSA.params(4096) == EVERY_LAYER + CSA_COMPRESSOR + CSA_INDEXER
    assert CSA_COMPRESSOR + CSA_INDEXER == 19_142_272


def test_cache_is_the_window_plus_the_compressed_history() -> None:
    # the window: one 512-value K = V vector per token, kept for the last 128 tokens
    assert SWA.cache_parts() == [(512, 128)]
    # HCA: + 512 values per 128 tokens, kept for every token
    assert HCA.cache_parts() == [(512, 128), (512 // 128, None)]
    # CSA: + 512 values per 4 tokens and the indexer's 128-wide keys per 4 tokens
    assert CSA.cache_parts() == [(512, 128), (512 // 4 + 128 // 4, None)]
    assert (SWA.span(), CSA.span(), HCA.span()) == (128, None, None)
    assert CSA.cache_values_per_token() == 512 + 160


def test_names_tell_the_ratios_apart() -> None:
    stack = Stack()
    assert [m.mix_label(stack) for m in (SWA, CSA, HCA)] == ["sliding-window", "CSA", "HCA"]
    assert [m.row_label(stack) for m in (SWA, CSA, HCA)] == [
        "sliding-window MQA",
        "CSA (÷4)",
        "HCA (÷128)",
    ]
    assert CSA.phrase() == "CSA (÷4, top-512)"
    assert CompressedAttention.merged_title([SWA, CSA, HCA], stack) == (
        "Compressed attention (window only / CSA / HCA)\n+ 128-token window"
    )
    assert CSA.notes()[-1] == "CSA: 1 entry per 4 tokens; indexer 64 × 128, top-512"
    assert SWA.panel() is None
    panel = CSA.panel()
    assert panel is not None and panel.key == "mixer-csa"
    assert panel.notes[1] == "+ 128 + 32 (index keys) values per token of compressed history"
    assert {"compressed-attention", "mqa", "sliding-window"} <= CSA.concepts_used()


def test_inconsistent_settings_are_refused() -> None:
    with pytest.raises(ValidationError, match="need a compress_ratio"):
        CompressedAttention.model_validate({**COMMON, "compress_ratio": 0, "indexer": INDEXER})
    with pytest.raises(ValidationError, match="multiple of compress_ratio"):
        CompressedAttention.model_validate({**COMMON, "compress_ratio": 3})


def test_from_config_reads_one_layer_type_per_ratio() -> None:
    raw = {
        "num_attention_heads": 64,
        "head_dim": 512,
        "q_lora_rank": 1024,
        "o_groups": 8,
        "o_lora_rank": 1024,
        "sliding_window": 128,
        "index_n_heads": 64,
        "index_head_dim": 128,
        "index_topk": 512,
    }
    c = HFConfig(raw)
    csa = CompressedAttention.model_validate(from_config(c, 4, ROPE))
    hca = CompressedAttention.model_validate(from_config(c, 128, ROPE))
    assert csa == CSA
    assert hca == HCA


# --------------------------------------------------------------------------- the V4 models


def _figures(slug: str) -> tuple[LoadedModel, Figures]:
    path = MODELS / f"{slug}.yaml"
    result = load_text(path.read_text(encoding="utf-8"), path, path.name)
    assert result.model is not None, result.problems
    return result.model, compute(result.model)


def test_flash_figures_by_hand() -> None:
    """compress_ratios: 2 × 0, then 4 and 128 alternating, 4 last: 21 CSA and 20 HCA."""
    model, f = _figures("deepseek-v4-flash")
    assert layer_mix(model) == [("CSA", 21), ("HCA", 20), ("sliding-window", 2)]
    swa, csa, hca = EVERY_LAYER, CSA.params(4096), HCA.params(4096)
    learned = 256 * 4096 + 256 + 257 * 3 * 4096 * 2048  # gate, bias, 256 routed + 1 shared
    hashed = learned - 256  # no selection bias in the 3 hash-routed layers
    around = 2 * 4096 + 2 * (24 * 16_384 + 24 + 3)  # two RMSNorms, two hyper-connections
    fixed = 2 * 129_280 * 4096 + 4096 + (4 * 16_384 + 4 + 1)  # embedding, head, norm, collapse
    layers = 2 * (swa + hashed) + (csa + hashed) + 20 * (csa + learned) + 20 * (hca + learned)
    assert f.total_params == fixed + layers + 43 * around == 284_332_240_471
    # the MTP layer: window-only attention, top-k MoE, e/h projections, 3 norms, a collapse
    mtp = swa + learned + around + 2 * 4096 * 4096 + 3 * 4096 + (4 * 16_384 + 4 + 1)
    assert f.mtp_params == mtp
    # per token: 512 window values in each of the 43 layers (counted as if global), and the
    # compressed history: 128 + 32 in each CSA layer, 4 in each HCA layer
    compressed = 21 * (128 + 32) + 20 * 4
    assert f.kv_cache_bytes_per_token == (43 * 512 + compressed) * 2 == 50_912
    # at a million tokens the windows are full: 128 tokens each
    context = 1_048_576
    assert f.kv_cache_bytes(context) == 43 * 512 * 2 * 128 + compressed * 2 * context


def test_pro_has_no_window_only_layer_but_its_mtp_layer() -> None:
    model, f = _figures("deepseek-v4-pro")
    assert layer_mix(model) == [("HCA", 31), ("CSA", 30)]
    assert f.kv_cache_bytes_per_token == (61 * 512 + 30 * (128 + 32) + 31 * 4) * 2
    assert model.spec.architecture.mtp is not None
    assert model.spec.architecture.mtp.pattern == ["swa + moe"]


#: DeepSeek-V4-Flash's config.json, its architecture keys as published
FLASH_CONFIG: dict[str, Any] = {
    "architectures": ["DeepseekV4ForCausalLM"],
    "model_type": "deepseek_v4",
    "attention_bias": False,
    "attention_dropout": 0.0,
    "expert_dtype": "fp4",
    "hc_eps": 1e-06,
    "hc_mult": 4,
    "hc_sinkhorn_iters": 20,
    "head_dim": 512,
    "hidden_act": "silu",
    "hidden_size": 4096,
    "index_head_dim": 128,
    "index_n_heads": 64,
    "index_topk": 512,
    "max_position_embeddings": 1048576,
    "moe_intermediate_size": 2048,
    "n_routed_experts": 256,
    "n_shared_experts": 1,
    "norm_topk_prob": True,
    "num_attention_heads": 64,
    "num_experts_per_tok": 6,
    "num_hidden_layers": 43,
    "num_hash_layers": 3,
    "num_key_value_heads": 1,
    "num_nextn_predict_layers": 1,
    "o_groups": 8,
    "o_lora_rank": 1024,
    "q_lora_rank": 1024,
    "qk_rope_head_dim": 64,
    "rms_norm_eps": 1e-06,
    "rope_scaling": {
        "beta_fast": 32,
        "beta_slow": 1,
        "factor": 16,
        "original_max_position_embeddings": 65536,
        "type": "yarn",
    },
    "rope_theta": 10000,
    "routed_scaling_factor": 1.5,
    "scoring_func": "sqrtsoftplus",
    "sliding_window": 128,
    "swiglu_limit": 10.0,
    "tie_word_embeddings": False,
    "topk_method": "noaux_tc",
    "vocab_size": 129280,
    "compress_rope_theta": 160000,
    "compress_ratios": [0, 0, *[4, 128] * 20, 4, 0],
}


def test_the_importer_rebuilds_the_flash_model_file() -> None:
    imported = import_config(FLASH_CONFIG, "deepseek-v4-flash")
    assert [u.key for u in imported.unresolved] == []
    result = load_text(imported.text, MODELS / "deepseek-v4-flash.yaml", "imported.yaml")
    assert result.model is not None, result.problems
    ours, theirs = compute(result.model), _figures("deepseek-v4-flash")[1]
    assert (ours.total_params, ours.active_params) == (theirs.total_params, theirs.active_params)
    assert ours.mtp_params == theirs.mtp_params
    assert ours.kv_cache_bytes_per_token == theirs.kv_cache_bytes_per_token
    assert layer_mix(result.model) == [("CSA", 21), ("HCA", 20), ("sliding-window", 2)]
    assert "selection: hash" in imported.text

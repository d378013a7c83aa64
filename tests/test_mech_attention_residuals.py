"""Block attention residuals (Kimi K3), a feature of the model as a whole.

Weights from Kimi K3's modelling code: in each of the 93 layers, self_attention_res_norm and
mlp_res_norm (RMSNorm scales of 7168) and self_attention_res_proj and mlp_res_proj
(Linear 7168 -> 1, no bias); before the final norm, output_attn_res_norm and
output_attn_res_proj. Every token uses them; they keep no cache.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from sphinx_llmarch.describe.concepts import concepts_of
from sphinx_llmarch.describe.rows import rows_of
from sphinx_llmarch.draw.figure import figure_spec
from sphinx_llmarch.importer.assemble import import_config
from sphinx_llmarch.mechanisms import REGISTRY, Feature
from sphinx_llmarch.mechanisms.attention_residuals import AttentionResiduals
from sphinx_llmarch.model.figures import compute
from sphinx_llmarch.model.loader import LoadResult, load_text

from .test_architecture import MODULES, _literals

TINY = """\
schema_version: 1
slug: tiny
name: Tiny
context: {native: 128}
architecture:
  hidden_size: 64
  vocab_size: 100
  tie_embeddings: false
  norm: {kind: rmsnorm, placement: pre}
  mixers:
    attn: {kind: mha, heads: 2, kv_heads: 2, head_dim: 32, position: {kind: nope}}
  ffns:
    dense: {kind: dense, hidden: 128, activation: swiglu}
  layers:
    count: 3
    schedule: [{repeat: 3, pattern: [attn + dense]}]
  features: [FEATURE]
"""
FEATURE = "{kind: attention_residuals, block_size: 2}"


def tiny(feature: str = FEATURE) -> LoadResult:
    return load_text(TINY.replace("FEATURE", feature), Path("tiny.yaml"), "tiny.yaml")


def test_weights_by_hand() -> None:
    h, layers = 7168, 93
    per_layer = (h + h) + (h + h)  # self_attention_res_norm/_proj, mlp_res_norm/_proj
    output = h + h  # output_attn_res_norm, output_attn_res_proj
    expected = layers * per_layer + output
    assert expected == 2_680_832
    feature = AttentionResiduals(kind="attention_residuals", block_size=12)
    assert feature.params(h, layers) == expected


def test_a_model_counts_them_in_total_and_active_and_caches_nothing_more() -> None:
    with_feature, without = tiny().model, tiny("").model
    assert with_feature is not None and without is not None
    a, b = compute(with_feature), compute(without)
    assert a.total_params - b.total_params == (2 * 3 + 1) * 2 * 64
    assert a.active_params - b.active_params == (2 * 3 + 1) * 2 * 64
    assert a.kv_cache_bytes_per_token == b.kv_cache_bytes_per_token
    assert "attention-residuals" in concepts_of(with_feature)
    assert "attention-residuals" not in concepts_of(without)


def test_it_is_named_drawn_and_explained() -> None:
    model = tiny().model
    assert model is not None
    figures = compute(model)
    assert rows_of(model, figures)["norm"].value == (
        "RMSNorm, pre; block attention residuals (blocks of 2 layers)"
    )
    spec = figure_spec(model, figures)
    assert any(p.key == "attn-res" and p.concept == "attention-residuals" for p in spec.panels)
    notes = {a.node: a.lines for a in spec.annotations}
    assert notes["block_in"] == (
        "attention residuals: sub-layers read a learned mix of 2-layer block sums",
    )
    assert "Attention residuals" in {c.title for c in REGISTRY.concepts()}


def test_the_block_size_is_positive_and_the_kind_known() -> None:
    for bad, message in (
        (FEATURE.replace("block_size: 2", "block_size: 0"), "greater than 0"),
        (FEATURE.replace("attention_residuals", "residual_soup"), "residual_soup"),
    ):
        result = tiny(bad)
        assert result.model is None
        assert any(message in p.message for p in result.problems), result.problems


@pytest.mark.parametrize("size", [12, None])
def test_the_importer_reads_attn_res_block_size(size: int | None) -> None:
    raw = {
        "model_type": "kimi_linear",
        "hidden_size": 64,
        "num_hidden_layers": 2,
        "num_attention_heads": 2,
        "vocab_size": 100,
        "intermediate_size": 128,
        "linear_attn_config": {"num_heads": 2, "head_dim": 32, "full_attn_layers": [2]},
        "kv_lora_rank": 16,
        "qk_nope_head_dim": 16,
        "qk_rope_head_dim": 8,
        "v_head_dim": 16,
        "mla_use_nope": True,
        "attn_res_block_size": size,
    }
    imported = import_config(raw, "tiny-k3")
    assert ("attention_residuals" in imported.text) == (size is not None)
    assert "attn_res_block_size" not in [u.key for u in imported.unresolved]


def test_every_feature_kind_is_named_in_its_own_module_only() -> None:
    homes = {
        kind: Path(str(sys.modules[REGISTRY.feature(kind).__module__].__file__))
        for kind in REGISTRY.kinds(Feature)
    }
    assert "attention_residuals" in homes
    elsewhere = [
        (kind, path.name)
        for path in MODULES
        for kind, home in homes.items()
        if path != home and kind in _literals(path)
    ]
    assert elsewhere == []

"""Looped depth against a hand computation from Nanbeige4.2-3B's config.json: hidden_size
3072, 22 layers, 48 heads, 8 KV heads, head_dim 128, intermediate_size 10752, vocabulary
166144 (untied), num_loops 2, skip_loop_final_norm false.

The weights count once; every pass keeps its own KV cache (the mlx-lm port makes
num_loops x num_hidden_layers caches), so the cache per token counts 44 layers.
"""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from sphinx_llmarch.describe.concepts import concepts_of
from sphinx_llmarch.describe.rows import rows_of
from sphinx_llmarch.draw.figure import figure_spec
from sphinx_llmarch.importer.config import HFConfig
from sphinx_llmarch.mechanisms import looped
from sphinx_llmarch.mechanisms.looped import LoopedDepth
from sphinx_llmarch.model.figures import compute
from sphinx_llmarch.model.loader import LoadedModel, load_file

from .conftest import MODELS

HIDDEN, LAYERS, HEADS, KV, HEAD, FFN, VOCAB = 3072, 22, 48, 8, 128, 10752, 166144


def nanbeige() -> LoadedModel:
    loaded = load_file(MODELS / "nanbeige-4.2-3b.yaml").model
    assert loaded is not None
    return loaded


def test_the_weights_count_once() -> None:
    attention = HIDDEN * HEADS * HEAD + 2 * HIDDEN * KV * HEAD + HEADS * HEAD * HIDDEN
    layer = attention + 3 * HIDDEN * FFN + 2 * HIDDEN
    total = 2 * VOCAB * HIDDEN + LAYERS * layer + HIDDEN
    f = compute(nanbeige())
    assert f.total_params == f.active_params == total == 4_169_800_704


def test_the_cache_counts_every_pass() -> None:
    per_layer = 2 * KV * HEAD * 2  # keys and values, bf16
    f = compute(nanbeige())
    assert f.kv_cache_bytes_per_token == 2 * LAYERS * per_layer == 176 * 1024
    assert f.kv_cache_bytes(1000) == 1000 * 2 * LAYERS * per_layer


def test_a_shared_cache_counts_once() -> None:
    loop = LoopedDepth(passes=2, shared_cache=True)
    assert loop.cache_passes() == 1
    assert LoopedDepth(passes=3).cache_passes() == 3


def test_a_loop_runs_at_least_twice() -> None:
    with pytest.raises(ValidationError):
        LoopedDepth(passes=1)


def test_words_concept_and_drawing() -> None:
    model = nanbeige()
    f = compute(model)
    rows = rows_of(model, f)
    assert rows["loop"].value == "× 2 passes (same weights)"
    fact = (
        "The 22 layers run twice with the same weights "
        "(44 layer passes per token; each pass its own KV cache)"
    )
    assert rows["loop"].parts == (fact,)
    assert "looped-depth" in concepts_of(model)
    spec = figure_spec(model, f)
    assert spec.footer[0] == "22 layers × 2 passes (same weights): 22 GQA"
    assert "22 ×, run twice" in spec.main
    assert "pass 2" in spec.main
    assert spec.panels[0].title == "Looped depth (twice)"


def test_a_model_without_a_loop_says_nothing_of_it() -> None:
    loaded = load_file(MODELS / "nanbeige-4.1-3b.yaml").model
    assert loaded is not None
    f = compute(loaded)
    assert rows_of(loaded, f)["loop"].cell is None
    assert "looped-depth" not in concepts_of(loaded)
    assert f.kv_cache_bytes_per_token == 32 * 2 * 4 * 128 * 2


def test_the_importer_reads_the_loop() -> None:
    c = HFConfig({"num_loops": 2, "skip_loop_final_norm": False, "loop_loss_weights": []})
    assert looped.from_config(c) == {"passes": 2}
    assert [u.key for u in c.unresolved()] == []
    c = HFConfig({"num_loops": 3, "skip_loop_final_norm": True, "loop_share_kv": True})
    assert looped.from_config(c) == {"passes": 3, "norm_between": False, "shared_cache": True}
    assert looped.from_config(HFConfig({"num_loops": 1})) is None

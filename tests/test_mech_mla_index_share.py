"""DSA with a shared indexer (GLM-5.2's IndexShare): layers without an indexer of their own.

The figures are checked against a hand computation from GLM-5.2's config.json: hidden 6144,
q_lora_rank 2048, 32 indexer heads of 128, top-2048; indexer_types full at layers 0-2 and
6, 10, ..., 74, shared at the other 57 layers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from sphinx_llmarch.describe.concepts import concepts_of
from sphinx_llmarch.describe.labels import layer_mix
from sphinx_llmarch.importer.assemble import import_config
from sphinx_llmarch.mechanisms.mla import MLA, SparseIndexer
from sphinx_llmarch.model.figures import compute
from sphinx_llmarch.model.loader import LoadedModel, load_file, load_text

from .conftest import MODELS

HIDDEN, Q_LORA, HEADS, DIM = 6144, 2048, 32, 128
#: one indexer: query projection from the query latent, one key head, its LayerNorm
#: (weight and bias), and the per-head weights projection
INDEXER = Q_LORA * HEADS * DIM + HIDDEN * DIM + 2 * DIM + HIDDEN * HEADS
FULL = [0, 1, 2, *range(6, 78, 4)]


def glm(slug: str) -> LoadedModel:
    loaded = load_file(MODELS / f"{slug}.yaml").model
    assert loaded is not None
    return loaded


def test_hand_computed_indexer_size() -> None:
    assert INDEXER == 8_388_608 + 786_432 + 256 + 196_608 == 9_371_904
    assert len(FULL) == 21


def test_a_shared_layer_has_the_mla_weights_but_no_indexer() -> None:
    m = glm("glm-5.2").spec.architecture.mixers
    own, shared = m["mla"], m["mla_shared"]
    assert own.params(HIDDEN) - shared.params(HIDDEN) == INDEXER
    # the latent cache is the same in both: 512 + 64 values per token
    assert own.cache_values_per_token() == shared.cache_values_per_token() == 576


def test_glm_5_2_totals_follow_from_glm_5_1_less_57_indexers() -> None:
    f51, f52 = compute(glm("glm-5.1")), compute(glm("glm-5.2"))
    assert f51.total_params - f52.total_params == 57 * INDEXER
    assert f51.active_params - f52.active_params == 57 * INDEXER
    assert f52.kv_cache_bytes_per_token == 78 * 576 * 2


def test_the_schedule_places_the_indexers_where_the_config_does() -> None:
    model = glm("glm-5.2")
    arch = model.spec.architecture
    own = [i for i, s in enumerate(model.layers) if s.mixer and not _shared(arch.mixers[s.mixer])]
    assert own == FULL
    assert dict(layer_mix(model)) == {"MLA + DSA": 21, "MLA + DSA (shared index)": 57}
    assert "dsa-shared-index" in concepts_of(model)
    assert "dsa-shared-index" not in concepts_of(glm("glm-5.1"))


def _shared(mixer: Any) -> bool:
    return isinstance(mixer, MLA) and mixer.sparse is not None and mixer.sparse.shared


def test_a_shared_layer_states_no_indexer_shape_and_an_own_one_states_it() -> None:
    assert SparseIndexer(top_k=2048, shared=True).params(HIDDEN, Q_LORA) == 0
    with pytest.raises(ValidationError, match="has no indexer"):
        SparseIndexer(index_heads=32, index_head_dim=128, top_k=2048, shared=True)
    with pytest.raises(ValidationError, match="give index_heads"):
        SparseIndexer(top_k=2048)


def test_panels_and_labels_tell_the_two_layer_types_apart() -> None:
    m = glm("glm-5.2").spec.architecture.mixers
    own, shared = m["mla"].panel(), m["mla_shared"].panel()
    assert own.key != shared.key
    assert any("no indexer weights" in n for n in shared.notes)
    assert "shared index" in m["mla_shared"].phrase()
    assert "shared index" not in m["mla"].phrase()


# --------------------------------------------------------------------------- importer

GLM_DSA: dict[str, Any] = {
    "architectures": ["GlmMoeDsaForCausalLM"],
    "model_type": "glm_moe_dsa",
    "hidden_size": HIDDEN,
    "vocab_size": 154880,
    "num_hidden_layers": 78,
    "num_attention_heads": 64,
    "num_key_value_heads": 64,
    "q_lora_rank": Q_LORA,
    "kv_lora_rank": 512,
    "qk_nope_head_dim": 192,
    "qk_rope_head_dim": 64,
    "v_head_dim": 256,
    "index_n_heads": HEADS,
    "index_head_dim": DIM,
    "index_topk": 2048,
    "intermediate_size": 12288,
    "moe_intermediate_size": 2048,
    "n_routed_experts": 256,
    "n_shared_experts": 1,
    "num_experts_per_tok": 8,
    "first_k_dense_replace": 3,
    "scoring_func": "sigmoid",
    "topk_method": "noaux_tc",
    "hidden_act": "silu",
    "rms_norm_eps": 1e-5,
    "max_position_embeddings": 1048576,
    "rope_parameters": {"rope_theta": 8000000, "rope_type": "default"},
    "rope_interleave": True,
    "tie_word_embeddings": False,
}


def _own_layers(raw: dict[str, Any]) -> list[int]:
    result = import_config(raw, "glm-test")
    loaded = load_text(result.text, Path("/m/glm-test.yaml"), "glm-test.yaml")
    assert loaded.model is not None, loaded.problems
    arch = loaded.model.spec.architecture
    return [i for i, s in enumerate(loaded.model.layers) if not _shared(arch.mixers[s.mixer or ""])]


@pytest.mark.parametrize(
    "keys",
    [
        {"indexer_types": ["full" if i in FULL else "shared" for i in range(78)]},
        {"index_topk_freq": 4, "index_skip_topk_offset": 3},  # the same list, derived
    ],
    ids=["indexer_types", "freq-offset"],
)
def test_the_importer_reads_which_layers_share(keys: dict[str, Any]) -> None:
    assert _own_layers({**GLM_DSA, **keys}) == FULL


def test_without_sharing_keys_every_layer_has_its_indexer() -> None:
    assert _own_layers(GLM_DSA) == list(range(78))

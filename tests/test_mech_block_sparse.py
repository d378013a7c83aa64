"""Block-sparse attention (MiniMax Sparse Attention) against a hand computation from MiniMax
M3's config.json: hidden_size 6144, 64 heads, 4 KV heads, head_dim 128, per-head QK-norm;
sparse_attention_config: 4 index heads of 128 (one index key head), blocks of 128 tokens,
top 16 blocks plus the local block, no index values (sparse_disable_index_value 1).
"""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from sphinx_llmarch.importer.assemble import import_config
from sphinx_llmarch.importer.config import HFConfig
from sphinx_llmarch.mechanisms import block_sparse
from sphinx_llmarch.mechanisms.block_sparse import BlockSparseAttention
from sphinx_llmarch.model.loader import load_file

from .conftest import MODELS, REPO
from .test_importer import architecture, imported

HIDDEN, HEADS, KV, HEAD = 6144, 64, 4, 128
INDEX_HEADS, INDEX_DIM = 4, 128
POSITION = {"kind": "rope", "theta": 5000000.0, "fraction": 0.5}
INDEX = {"heads": INDEX_HEADS, "head_dim": INDEX_DIM, "block_size": 128, "top_blocks": 16}


def m3_sparse(**extra: object) -> BlockSparseAttention:
    spec = {
        "kind": "block_sparse",
        "heads": HEADS,
        "kv_heads": KV,
        "head_dim": HEAD,
        "qk_norm": "head",
        "position": POSITION,
        "index": {**INDEX, "local_blocks": 1},
        **extra,
    }
    return BlockSparseAttention.model_validate(spec)


def test_weights_are_the_gqa_projections_plus_the_index_branch() -> None:
    gqa = HIDDEN * HEADS * HEAD + 2 * HIDDEN * KV * HEAD + HEADS * HEAD * HIDDEN + 2 * HEAD
    # index_qkv_proj: 4 query heads and one key head of 128, no value; two RMSNorms of 128
    index = HIDDEN * (INDEX_HEADS * INDEX_DIM + INDEX_DIM) + 2 * INDEX_DIM
    assert m3_sparse().params(HIDDEN) == gqa + index == 110_887_424


def test_the_cache_keeps_every_key_and_value_and_the_index_key() -> None:
    assert m3_sparse().cache_values_per_token() == 2 * KV * HEAD + INDEX_DIM == 1152
    assert m3_sparse().span() is None  # nothing is dropped: the blocks are chosen per query


def test_without_qk_norm_the_index_has_no_norms() -> None:
    difference = m3_sparse().params(HIDDEN) - m3_sparse(qk_norm="none").params(HIDDEN)
    assert difference == 2 * HEAD + 2 * INDEX_DIM


def test_heads_must_share_kv_heads_evenly() -> None:
    with pytest.raises(ValidationError, match="multiple of kv_heads"):
        m3_sparse(kv_heads=6)


def test_words_and_panel() -> None:
    m = m3_sparse()
    assert m.abbreviation() == "block-sparse GQA"
    assert m.phrase() == "block-sparse GQA (top-16 blocks of 128)"
    assert m.notes()[0] == "each query reads the top 16 blocks of 128 tokens and the local block"
    assert m.concepts_used() == {"block-sparse", "gqa", "rope", "partial-rope", "qk-norm"}
    assert m.panel().concept == "block-sparse"


def config(**sparse: object) -> HFConfig:
    cfg = {
        "use_sparse_attention": True,
        "sparse_attention_freq": [0, 1],
        "sparse_disable_index_value": [0, 1],
        "sparse_num_index_heads": INDEX_HEADS,
        "sparse_index_dim": INDEX_DIM,
        "sparse_block_size": 128,
        "sparse_topk_blocks": 16,
        "sparse_local_block": 1,
        "sparse_init_block": 0,
        "sparse_score_type": "max",
        **sparse,
    }
    return HFConfig({"sparse_attention_config": cfg})


def test_the_importer_makes_only_the_marked_layers_sparse() -> None:
    dense = {"kind": "gqa", "heads": HEADS, "kv_heads": KV, "head_dim": HEAD, "position": POSITION}
    c = config()
    assert block_sparse.from_config(c, dense, 0) is dense
    spec = block_sparse.from_config(c, dense, 1)
    assert spec["kind"] == "block_sparse"
    assert BlockSparseAttention.model_validate(spec).index.local_blocks == 1
    assert [u.key for u in c.unresolved()] == []


def test_the_importer_refuses_an_index_with_values() -> None:
    dense = {"kind": "gqa", "heads": HEADS, "kv_heads": KV, "head_dim": HEAD, "position": POSITION}
    with pytest.raises(ValueError, match="not modelled"):
        block_sparse.from_config(config(sparse_disable_index_value=[0, 0]), dense, 1)


WAVE2 = REPO.parent / "shared" / "reference" / "configs-wave2" / "minimax-m3.json"


@pytest.mark.skipif(not WAVE2.is_file(), reason="no reference copy of MiniMax M3's config")
def test_minimax_m3_imports_to_the_hand_checked_architecture() -> None:
    raw = json.loads(WAVE2.read_text())
    result = import_config(raw, "minimax-m3")
    assert [u.key for u in result.unresolved] == []
    hand = load_file(MODELS / "minimax-m3.yaml").model
    assert hand is not None
    assert architecture(imported(raw, "minimax-m3")) == architecture(hand)

"""N-gram embeddings (LongCat-Flash-Lite), checked by hand against its config.json."""

from __future__ import annotations

import textwrap
from pathlib import Path

from sphinx_llmarch.describe.concepts import concepts_of
from sphinx_llmarch.draw.mainpanel import main_panel
from sphinx_llmarch.mechanisms.ngram_embedding import NgramEmbeddings
from sphinx_llmarch.model.figures import compute
from sphinx_llmarch.model.loader import LoadedModel, load_file, load_text

from .conftest import MODELS

V, H = 131072, 3072  # vocab_size, hidden_size
# emb_neighbor_num 4, emb_split_num 4, ngram_vocab_size_ratio 78
NGRAM = NgramEmbeddings(neighbours=4, splits=4, ratio=78)


def test_tables_rows_and_widths() -> None:
    assert NGRAM.tables == 4 * (4 - 1) == 12
    assert NGRAM.width(H) == 3072 // 12 == 256
    m = 78 * 131072
    assert NGRAM.rows(V) == sum(m + 2 * i + 1 for i in range(12)) == 12 * m + 144


def test_params_are_the_tables_and_their_projections() -> None:
    tables = (12 * 78 * 131072 + 144) * 256
    projections = 12 * 256 * 3072
    assert NGRAM.params(V, H) == tables + projections == 31_416_422_400
    # a token reads one 256-wide row of each table and uses every projection
    assert NGRAM.active_params(H) == 12 * 256 + projections


def _model(ngram: bool) -> LoadedModel:
    extra = "  ngram_embeddings: {neighbours: 4, splits: 4, ratio: 78}\n" if ngram else ""
    text = (
        textwrap.dedent("""\
        slug: toy-ngram
        name: Toy N-gram
        context: {native: 4096}
        architecture:
          hidden_size: 3072
          vocab_size: 131072
          tie_embeddings: false
          norm: {kind: rmsnorm, placement: pre}
          mixers:
            attn: {kind: mha, heads: 24, kv_heads: 24, head_dim: 128, position: {kind: rope}}
          ffns:
            mlp: {kind: dense, hidden: 8192, activation: swiglu}
          layers: {count: 2, schedule: [attn + mlp, attn + mlp]}
        """)
        + extra
    )
    loaded = load_text(text, Path("/m/toy-ngram.yaml"), "toy-ngram.yaml").model
    assert loaded is not None
    return loaded


def test_figures_count_the_tables_in_the_total_only() -> None:
    plain, ngram = compute(_model(False)), compute(_model(True))
    assert ngram.total_params - plain.total_params == NGRAM.params(V, H)
    assert ngram.active_params - plain.active_params == NGRAM.active_params(H)
    assert ngram.embedding_params == plain.embedding_params  # the token embedding and head
    assert ngram.kv_cache_bytes_per_token == plain.kv_cache_bytes_per_token


def test_concept_and_box() -> None:
    model = _model(True)
    assert "ngram-embeddings" in concepts_of(model)
    assert "ngram-embeddings" not in concepts_of(_model(False))
    panel = main_panel(model)
    assert "N-gram embeddings" in panel.dot
    assert any(link.concept == "ngram-embeddings" for link in panel.links)


def test_longcat_flash_lite_by_hand() -> None:
    model = load_file(MODELS / "longcat-flash-lite.yaml").model
    assert model is not None
    f = compute(model)
    mla = (3072 * 1536 + 1536 + 1536 * 32 * 192) + (3072 * 576 + 512 + 512 * 32 * 256)
    mla += 32 * 128 * 3072
    dense, expert = 3 * 3072 * 6144, 3 * 3072 * 1024
    router = (256 + 128) * 3072 + (256 + 128)  # classifier and correction bias, 384 choices
    norms = 28 * 2 * 3072 + 3072
    embeddings = 2 * 131072 * 3072  # untied
    ngram = (12 * 78 * 131072 + 144) * 256 + 12 * 256 * 3072
    layers = 28 * mla + 28 * dense + 14 * (router + 256 * expert) + norms
    assert f.total_params == embeddings + ngram + layers
    active = embeddings + 12 * 256 + 12 * 256 * 3072 + layers - 14 * (256 - 12) * expert
    assert f.active_params == active
    assert f.kv_cache_bytes_per_token == 28 * (512 + 64) * 2

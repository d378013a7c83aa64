"""Hyper-connections: their weights by hand from DeepSeek-V4-Flash's config, their place in
the figures, the diagram, the rows and the importer.

Hand computation (DeepSeek-V4-Flash: ``hidden_size`` 4096, ``hc_mult`` 4,
``hc_sinkhorn_iters`` 20).  Around every sub-layer the reference code keeps ``fn`` of
(2 + 4) · 4 = 24 rows by 4 · 4096 = 16,384 columns, a ``base`` of 24 and a ``scale`` of 3;
where the stack ends ``hc_head`` keeps ``fn`` of 4 × 16,384, a ``base`` of 4 and a
``scale`` of 1.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from pydantic import ValidationError

from sphinx_llmarch.describe.concepts import concepts_of
from sphinx_llmarch.describe.rows import rows_of
from sphinx_llmarch.draw.figure import figure_spec
from sphinx_llmarch.importer.assemble import import_config
from sphinx_llmarch.mechanisms.hyper_connections import HyperConnections
from sphinx_llmarch.model.figures import compute
from sphinx_llmarch.model.loader import LoadedModel, load_text

FLASH = {"kind": "hyper_connections", "streams": 4, "constraint": "sinkhorn", "sinkhorn_iters": 20}
PER_SUBLAYER = 24 * 16_384 + 24 + 3  # 393,243
HEAD = 4 * 16_384 + 4 + 1  # 65,541


def test_weights_by_hand_from_the_flash_config() -> None:
    hc = HyperConnections.model_validate(FLASH)
    assert hc.coefficients() == 4 + 4 + 16
    assert hc.params_per_sublayer(4096) == PER_SUBLAYER == 393_243
    assert hc.head_params(4096) == HEAD == 65_541
    static = HyperConnections.model_validate(
        {"kind": "hyper_connections", "streams": 4, "mixing": "static"}
    )
    assert static.params_per_sublayer(4096) == 24  # learned constants only
    assert static.head_params(4096) == 4


def test_inconsistent_settings_are_refused() -> None:
    with pytest.raises(ValidationError, match="needs constraint 'sinkhorn'"):
        HyperConnections.model_validate(
            {"kind": "hyper_connections", "streams": 4, "sinkhorn_iters": 20}
        )
    with pytest.raises(ValidationError, match="at least 2 streams"):
        HyperConnections.model_validate({"kind": "hyper_connections", "streams": 1})


MODEL = textwrap.dedent("""\
    slug: toy-streams
    name: Toy Streams
    context:
      native: 4096
    architecture:
      hidden_size: 4096
      vocab_size: 100
      tie_embeddings: false
      norm: {kind: rmsnorm, placement: pre}
      mixers:
        attn: {kind: mqa, heads: 4, kv_heads: 1, head_dim: 64, position: {kind: rope, theta: 10000}}
      ffns:
        mlp: {kind: dense, hidden: 128, activation: swiglu}
      layers:
        count: 3
        schedule: [{repeat: 3, pattern: [attn + mlp]}]
      mtp:
        modules: 1
    """)
STREAMS = (
    "  residual: {kind: hyper_connections, streams: 4, constraint: sinkhorn, sinkhorn_iters: 20}\n"
)


def _load(text: str) -> LoadedModel:
    result = load_text(text, Path("/m/toy-streams.yaml"), "toy-streams.yaml")
    assert result.problems == ()
    assert result.model is not None
    return result.model


def test_every_sublayer_and_each_stream_end_carry_their_weights() -> None:
    plain, wide = compute(_load(MODEL)), compute(_load(MODEL + STREAMS))
    # 3 layers of 2 sub-layers, and one collapse before the final norm
    assert wide.total_params - plain.total_params == 3 * 2 * PER_SUBLAYER + HEAD
    assert wide.active_params - plain.active_params == 3 * 2 * PER_SUBLAYER + HEAD
    # the MTP module is a layer of the stack with its own collapse before the shared head
    assert wide.mtp_params - plain.mtp_params == 2 * PER_SUBLAYER + HEAD
    assert wide.kv_cache_bytes_per_token == plain.kv_cache_bytes_per_token  # no cache


def test_diagram_rows_and_concepts_show_it() -> None:
    model = _load(MODEL + STREAMS)
    figures = compute(model)
    spec = figure_spec(model, figures)
    assert 'label="Copy into 4\\nresidual streams"' in spec.main
    assert 'label="Learned collapse of\\n4 streams"' in spec.main
    assert any(
        link.node == "stream_in" and link.concept == "hyper-connections" for link in spec.links
    )
    [panel] = [p for p in spec.panels if p.key == "residual-hc"]
    assert panel.title == "Manifold-constrained hyper-connections"
    assert 'label="Residual mix\\n4 × 4 matrix"' in panel.dot
    [note] = [a for a in spec.annotations if a.node == "stream_in"]
    assert note.lines[1] == "residual mix kept doubly stochastic (Sinkhorn, 20 iterations)"
    assert "Residual stream: manifold-constrained hyper-connections" in spec.description
    rows = rows_of(model, figures)
    assert rows["residual"].value == "mHC, 4 streams (dynamic mixing)"
    assert rows_of(_load(MODEL), compute(_load(MODEL)))["residual"].cell is None
    assert "hyper-connections" in concepts_of(model)
    assert 'label="Copy into' not in figure_spec(_load(MODEL), compute(_load(MODEL))).main


def test_the_importer_reads_the_deepseek_v4_keys() -> None:
    raw = {
        "model_type": "llama",
        "hidden_size": 64,
        "num_hidden_layers": 2,
        "num_attention_heads": 4,
        "num_key_value_heads": 4,
        "intermediate_size": 128,
        "vocab_size": 100,
        "max_position_embeddings": 512,
        "hc_mult": 4,
        "hc_sinkhorn_iters": 20,
        "hc_eps": 1e-6,
    }
    imported = import_config(raw, "toy")
    assert "residual:\n    kind: hyper_connections\n    streams: 4\n" in imported.text
    assert "sinkhorn_iters: 20" in imported.text
    assert not {"hc_mult", "hc_sinkhorn_iters", "hc_eps"} & {u.key for u in imported.unresolved}

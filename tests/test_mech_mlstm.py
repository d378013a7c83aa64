"""mLSTM (xLSTM 7B): its figures against a hand count from the config and the xlstm code.

From config.json: embedding_dim 4096, num_blocks 32, num_heads 8, qk_dim_factor 0.5,
v_dim_factor 1.0, ffn_proj_factor 2.667 rounded up to a multiple of 64, use_bias false,
vocab_size 50304, untied.  A model without attention has no KV cache: its figures and
charts say what it keeps instead.
"""

from __future__ import annotations

import math

from sphinx_llmarch.describe.labels import decoder_type
from sphinx_llmarch.describe.records import summary_of
from sphinx_llmarch.describe.rows import rows_of
from sphinx_llmarch.draw import charts
from sphinx_llmarch.draw.figure import footer
from sphinx_llmarch.importer.config import HFConfig
from sphinx_llmarch.mechanisms import mlstm
from sphinx_llmarch.mechanisms.dense import DenseFFN
from sphinx_llmarch.mechanisms.mlstm import MLSTM
from sphinx_llmarch.model.figures import BYTES_PER_VALUE, compute
from sphinx_llmarch.model.loader import LoadedModel, load_file

from .conftest import MODELS

H, HEADS, QK, V = 4096, 8, 4096 // 2, 4096


def _xlstm() -> LoadedModel:
    loaded = load_file(MODELS / "xlstm-7b.yaml").model
    assert loaded is not None
    return loaded


def test_one_layer_by_hand() -> None:
    layer = MLSTM(kind="mlstm", heads=HEADS, qk_head_dim=QK // HEADS, v_head_dim=V // HEADS)
    q = k = H * QK
    v = ogate = H * V
    igate = fgate = H * HEADS + HEADS  # one pre-activation per head, with bias
    norm, out = V, V * H  # the per-head norm's scale (no bias), the output projection
    assert layer.params(H) == q + k + v + ogate + igate + fgate + norm + out == 67_178_512
    assert layer.cache_values_per_token() == 0
    # memory C (256 x 512), normaliser n (256) and stabiliser m (1), per head
    assert layer.state_values() == HEADS * (256 * 512 + 256 + 1)


def test_xlstm_7b_total_by_hand() -> None:
    ffn = 64 * math.ceil(H * 2.667 / 64)
    assert ffn == 10944
    block = 67_178_512 + 3 * H * ffn + 2 * H  # mLSTM layer, SwiGLU, two RMSNorms
    total = 32 * block + 2 * 50304 * H + H  # untied embedding and head, final norm
    f = compute(_xlstm())
    assert f.total_params == total == 6_865_424_896  # the report: 7B
    assert f.kv_cache_bytes_per_token == 0
    assert f.linear_state_bytes == 32 * 8 * (256 * 512 + 256 + 1) * BYTES_PER_VALUE
    # the state is the whole cache, whatever the context
    assert f.kv_cache_bytes(8192) == f.kv_cache_bytes(1_000_000) == f.linear_state_bytes


def test_a_model_without_attention_says_so() -> None:
    m = _xlstm()
    f = compute(m)
    assert decoder_type(m.spec.architecture, m.layers) == "Recurrent"
    rows = rows_of(m, f)
    assert rows["kv_cache"].value == "none"
    assert "64.1 MiB fixed state" in " ".join(rows["kv_cache"].cell or ())
    assert footer(rows, f)[-1].endswith("no KV cache, 64.1 MiB fixed state (bf16)")
    chart = charts.kv_cache([summary_of(m, f)])
    assert "none (64.1 MiB fixed state)" in chart
    # drawn with the other fixed-state models, not as a dense transformer
    timeline = charts.timeline([summary_of(m, f)])
    assert "llmarch-hybrid" in timeline and "Hybrid or recurrent" in timeline


def test_from_config_derives_the_widths() -> None:
    c = HFConfig(
        {
            "embedding_dim": 4096,
            "num_heads": 8,
            "head_dim": 512,
            "qk_dim_factor": 0.5,
            "v_dim_factor": 1.0,
            "gate_soft_cap": 15.0,
            "use_bias": False,
        }
    )
    spec = mlstm.from_config(c)
    assert spec == {
        "kind": "mlstm",
        "heads": 8,
        "qk_head_dim": 256,
        "v_head_dim": 512,
        "gate_soft_cap": 15.0,
    }
    assert MLSTM.model_validate(spec).params(4096) == 67_178_512
    assert not c.unresolved()


def test_panel_and_names() -> None:
    layer = _xlstm().spec.architecture.mixers["mlstm"]
    panel = layer.panel()
    assert panel is not None and panel.concept == "mlstm"
    assert layer.flags() == ["gate soft-cap 15"]
    assert layer.position_scheme() is None  # no positional encoding


def test_import_of_the_xlstm_config() -> None:
    """Every architecture key is read; the logit soft-cap (no schema field) is reported, and
    the context, which no key states, is left for the author."""
    import yaml

    from sphinx_llmarch.importer.assemble import import_config

    raw = {
        "model_type": "xlstm",
        "add_out_norm": True,
        "add_post_blocks_norm": True,
        "add_post_norm": False,
        "add_qk_norm": False,
        "embedding_dim": 4096,
        "ffn_proj_factor": 2.667,
        "ffn_round_up_to_multiple_of": 64,
        "gate_soft_cap": 15.0,
        "head_dim": 512,
        "mlstm_round_up_to_multiple_of": 64,
        "norm_eps": 1e-06,
        "num_blocks": 32,
        "num_heads": 8,
        "output_logit_soft_cap": 30.0,
        "qk_dim_factor": 0.5,
        "tie_word_embeddings": False,
        "use_bias": False,
        "v_dim_factor": 1.0,
        "vocab_size": 50304,
        "weight_mode": "single",
    }
    result = import_config(raw, "xlstm-7b")
    # the config states no context length, which a model file needs: the import says so
    assert [u.key for u in result.unresolved] == ["max_position_embeddings"]
    arch = yaml.safe_load(result.text)["architecture"]
    hand = _xlstm().spec.architecture
    assert (arch["hidden_size"], arch["vocab_size"], arch["tie_embeddings"]) == (4096, 50304, False)
    assert MLSTM.model_validate(arch["mixers"]["mlstm"]) == hand.mixers["mlstm"]
    assert DenseFFN.model_validate(arch["ffns"]["mlp"]) == hand.ffns["mlp"]
    assert arch["layers"]["count"] == 32
    # a config with a post-norm would not be drawn as this model: the key stays unread
    assert "add_post_norm" in [
        u.key for u in import_config({**raw, "add_post_norm": True}, "x").unresolved
    ]

"""Laguna's attention: one softplus gate per head, and query heads that differ by layer type.

The hand computations below use Laguna XS.2's config.json: hidden_size 2048, head_dim 128,
num_key_value_heads 8, num_attention_heads_per_layer 48 (full) / 64 (sliding), gating true
(per head: g_proj maps the hidden state to the head count), q_norm / k_norm of head_dim.
"""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from sphinx_llmarch.mechanisms.attention import Attention
from sphinx_llmarch.model.figures import compute
from sphinx_llmarch.model.loader import load_file

from .conftest import MODELS

HIDDEN, HEAD, KV = 2048, 128, 8


def laguna_attention(heads: int, **extra: object) -> Attention:
    spec = {
        "kind": "gqa",
        "heads": heads,
        "kv_heads": KV,
        "head_dim": HEAD,
        "qk_norm": "head",
        "output_gate": "headwise",
        "gate_function": "softplus",
        "position": {"kind": "rope", "theta": 10000.0},
        **extra,
    }
    return Attention.model_validate(spec)


def by_hand(heads: int) -> int:
    q = HIDDEN * heads * HEAD
    k = v = HIDDEN * KV * HEAD
    out = heads * HEAD * HIDDEN
    qk_norm = 2 * HEAD  # one RMSNorm of head_dim for queries, one for keys
    gate = HIDDEN * heads  # g_proj: hidden -> one value per head
    return q + k + v + out + qk_norm + gate


@pytest.mark.parametrize("heads", [48, 64, 72])
def test_a_per_head_gate_adds_one_weight_per_head_and_input_channel(heads: int) -> None:
    assert laguna_attention(heads).params(HIDDEN) == by_hand(heads)


def test_the_gate_function_does_not_change_the_count_but_elementwise_does() -> None:
    softplus = laguna_attention(48)
    sigmoid = laguna_attention(48, gate_function="sigmoid")
    elementwise = laguna_attention(48, output_gate="elementwise")
    assert softplus.params(HIDDEN) == sigmoid.params(HIDDEN)
    # per element the gate is as wide as all heads: 128 times the per-head gate
    assert elementwise.params(HIDDEN) - softplus.params(HIDDEN) == HIDDEN * 48 * (HEAD - 1)


def test_a_gate_function_needs_a_gate() -> None:
    with pytest.raises(ValidationError, match="needs an 'output_gate'"):
        laguna_attention(48, output_gate="none")


def test_the_panel_names_the_gate_function() -> None:
    panel = laguna_attention(64).panel()
    assert panel is not None
    assert any(getattr(item, "label", "") == "Softplus" for item in panel.items)
    assert "a softplus gate, one per head, scales the attention output" in panel.notes


def test_laguna_xs2_figures_by_hand() -> None:
    loaded = load_file(MODELS / "laguna-xs.2.yaml").model
    assert loaded is not None
    f = compute(loaded)
    # every layer caches 8 KV heads x 128 for keys and for values, whatever its query heads
    assert f.kv_cache_bytes_per_token == 40 * 2 * KV * HEAD * 2
    # layers: 10 full (48 heads) + 30 sliding (64 heads); layer 0 dense, the rest MoE
    swiglu = 3 * HIDDEN
    moe_always = HIDDEN * 256 + 256 + swiglu * 512  # router, selection bias, shared expert
    moe_total, moe_active = moe_always + 256 * swiglu * 512, moe_always + 8 * swiglu * 512
    norms = 2 * HIDDEN
    attention = 10 * by_hand(48) + 30 * by_hand(64)
    ends = 2 * 100352 * HIDDEN + HIDDEN  # untied embedding and head, final norm
    dense = swiglu * 8192
    assert f.total_params == ends + attention + 40 * norms + dense + 39 * moe_total
    assert f.active_params == ends + attention + 40 * norms + dense + 39 * moe_active


@pytest.mark.parametrize(
    ("slug", "layers", "sliding_heads"),
    [("laguna-xs.2", 40, 64), ("laguna-xs-2.1", 40, 64), ("laguna-s-2.1", 48, 72)],
)
def test_every_laguna_layer_caches_the_same_kv_heads(
    slug: str, layers: int, sliding_heads: int
) -> None:
    loaded = load_file(MODELS / f"{slug}.yaml").model
    assert loaded is not None
    assert compute(loaded).kv_cache_bytes_per_token == layers * 2 * KV * HEAD * 2
    mixers = [loaded.spec.architecture.mixers[n] for n in ("global", "local")]
    assert all(isinstance(m, Attention) for m in mixers)
    assert {m.heads for m in mixers if isinstance(m, Attention)} == {48, sliding_heads}

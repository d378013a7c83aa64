"""Zero-computation experts (LongCat-Flash-Lite), checked by hand against its config.json."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from sphinx_llmarch.describe.rows import rows_of
from sphinx_llmarch.mechanisms import Stack
from sphinx_llmarch.mechanisms.moe import MoE
from sphinx_llmarch.model.figures import compute
from sphinx_llmarch.model.loader import load_file

from .conftest import MODELS

H = 3072  # hidden_size
EXPERT = 3 * H * 1024  # a SwiGLU expert of expert_ffn_hidden_size 1024


def _moe(**zero: Any) -> MoE:
    return MoE.model_validate(
        {
            "kind": "moe",
            "experts": 256,  # n_routed_experts
            "active": 12,  # moe_topk
            "expert_hidden": 1024,
            "activation": "swiglu",
            "router": {"scoring": "softmax", "bias": True},
            "zero": {"count": 128, "kind": "identity", **zero},  # zero_expert_num, _type
        }
    )


def test_zero_experts_cost_only_their_router_rows() -> None:
    total, active = _moe().params(H)
    # the classifier and the score-correction bias cover all 256 + 128 choices
    router = (256 + 128) * H + (256 + 128)
    assert total == router + 256 * EXPERT
    # without a published average, every one of the 12 choices counts as a real expert
    assert active == router + 12 * EXPERT


def test_a_stated_average_sets_the_active_experts() -> None:
    router = (256 + 128) * H + 384
    assert _moe(mean_real=8).params(H)[1] == router + 8 * EXPERT
    assert _moe(mean_real=7.5).params(H)[1] == router + round(7.5 * EXPERT)
    with pytest.raises(ValidationError, match="mean_real exceeds"):
        _moe(mean_real=13)


def test_words_say_what_the_count_means() -> None:
    moe = _moe()
    assert moe.note() == (
        "MoE: 256 experts, 12 active + 128 identity experts (up to 12 real per token)"
    )
    assert "zero-experts" in moe.concepts_used(Stack())
    assert "the active count assumes every choice is real (an upper bound)" in moe.panel(H).notes
    averaged = _moe(mean_real=8)
    assert averaged.note().endswith("(on average 8 of the 12 choices real)")


def test_the_fact_table_says_the_active_count_is_a_bound() -> None:
    lite = load_file(MODELS / "longcat-flash-lite.yaml").model
    assert lite is not None
    values = rows_of(lite, compute(lite))
    assert values["parameters"].value.startswith("68.6B total, at most 4.92B active")
    assert values["active_params"].value.startswith("at most 4.92B")
    assert not _moe(mean_real=8).active_is_bound() and _moe().active_is_bound()

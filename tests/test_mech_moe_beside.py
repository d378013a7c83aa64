"""Two extensions of ``mechanisms/moe.py``, checked against hand computations from configs.

* Gemma 4 26B-A4B (``enable_moe_block``): a dense MLP and 128 experts side by side in every
  layer, each path with norms of its own, and a router with a learned input scale and a
  learned scale per expert (``ParallelDense.norms``, ``Router.input_scale``,
  ``Router.expert_scale``).
* Command A+ (``shared_expert_combination_strategy: average``): the routed and the shared
  output are averaged, not added (``SharedExperts.combine``).
"""

from __future__ import annotations

from typing import Any

from sphinx_llmarch.mechanisms.moe import MoE
from sphinx_llmarch.mechanisms.sketch import Box, Operator, Sketch


def _labels(sketch: Sketch) -> set[str]:
    return {
        i.label if isinstance(i, Box) else i.symbol
        for i in sketch.items
        if isinstance(i, Box | Operator)
    }


GEMMA: dict[str, Any] = {
    "kind": "moe",
    "experts": 128,  # num_experts
    "active": 8,  # top_k_experts
    "expert_hidden": 704,  # moe_intermediate_size
    "activation": "geglu",
    "router": {"scoring": "softmax", "input_scale": True, "expert_scale": True},
    "parallel_dense": {"hidden": 2112, "activation": "geglu", "norms": 3},
}


def test_gemma_4_experts_beside_a_dense_mlp() -> None:
    h = 2816
    expert = 3 * h * 704
    dense = 3 * h * 2112  # the layer's mlp, intermediate_size
    router = h * 128 + h + 128  # proj, scale, per_expert_scale
    norms = 3 * h  # post_feedforward_layernorm_1, pre_ and post_feedforward_layernorm_2
    always = dense + router + norms
    assert MoE.model_validate(GEMMA).params(h) == (always + 128 * expert, always + 8 * expert)
    # over the 30 layers: the experts hold 22.8B of the model's 25.2B parameters
    assert 30 * 128 * expert == 22_837_985_280


def test_gemma_4_panel_names_the_dense_path_and_its_norms() -> None:
    panel = MoE.model_validate(GEMMA).panel(2816)
    assert "Dense FFN\n(every token)" in _labels(panel)
    assert "+ dense FFN, hidden size 2,112" in panel.notes
    assert "each path with its own norms (3)" in panel.notes
    assert MoE.model_validate(GEMMA).note() == "MoE: 128 experts, 8 active + a dense FFN"


COMMAND: dict[str, Any] = {
    "kind": "moe",
    "experts": 128,
    "active": 8,
    "expert_hidden": 4096,  # intermediate_size
    "activation": "swiglu",
    "router": {"scoring": "sigmoid"},
    "shared": {"count": 4, "hidden": 4096, "combine": "average"},
}


def test_averaged_shared_experts_weigh_as_summed_ones() -> None:
    h = 4096
    expert = 3 * h * 4096
    shared = 3 * h * (4 * 4096)  # one MLP of intermediate_size x num_shared_experts
    always = h * 128 + shared
    averaged = MoE.model_validate(COMMAND)
    assert averaged.params(h) == (always + 128 * expert, always + 8 * expert)
    summed = MoE.model_validate({**COMMAND, "shared": {"count": 4, "hidden": 4096}})
    assert averaged.params(h) == summed.params(h)


def test_averaged_shared_experts_are_drawn_as_a_mean() -> None:
    panel = MoE.model_validate(COMMAND).panel(4096)
    assert "½Σ" in _labels(panel)
    assert "routed and shared outputs averaged" in panel.notes
    summed = MoE.model_validate({**COMMAND, "shared": {"count": 4, "hidden": 4096}}).panel(4096)
    assert "½Σ" not in _labels(summed) and "+" in _labels(summed)

"""PolyNorm, the learned activation of Motif's MLPs and experts, by hand from its config."""

from __future__ import annotations

from sphinx_llmarch.mechanisms import Stack
from sphinx_llmarch.mechanisms.activations import ACTIVATIONS, mlp_params
from sphinx_llmarch.mechanisms.dense import DenseFFN
from sphinx_llmarch.mechanisms.moe import MoE

H = 4096  # hidden_size


def test_a_polynorm_mlp_has_three_matrices_and_four_coefficients() -> None:
    # gate_proj, up_proj, down_proj; act_fn.weight [3] and act_fn.bias [1]
    assert mlp_params(H, 12288, "polynorm", False) == 3 * H * 12288 + 4
    assert ACTIVATIONS["polynorm"].gated


def test_every_expert_learns_its_own_coefficients() -> None:
    moe = MoE.model_validate(
        {
            "kind": "moe",
            "experts": 384,  # num_experts
            "active": 8,  # experts_top_k
            "expert_hidden": 1280,  # moe_intermediate_size
            "activation": "polynorm",  # hidden_act poly_norm
            "router": {"scoring": "sigmoid", "bias": True},
            "shared": {"count": 1, "hidden": 1280},
        }
    )
    expert = 3 * H * 1280 + 4  # GroupedPolyNorm: weight [E, 3], bias [E, 1]
    router = 384 * H + 384
    total, active = moe.params(H)
    assert total == router + expert + 384 * expert  # one shared expert, its own PolyNorm
    assert active == router + expert + 8 * expert
    assert "polynorm" in moe.concepts_used(Stack())


def test_dense_block() -> None:
    dense = DenseFFN.model_validate({"kind": "dense", "hidden": 12288, "activation": "polynorm"})
    assert dense.params(H) == (3 * H * 12288 + 4,) * 2
    assert dense.compare_text() == "PolyNorm GLU, hidden 12,288"

"""Latent MoE: routed experts between a shared down- and up-projection, optionally normed.

Hand computations from the configs and modelling code: Nemotron 3 Ultra (fc1_latent_proj /
fc2_latent_proj, no bias, no norm; ReLU² experts of two matrices) and Kimi K3
(routed_expert_down_proj / routed_expert_up_proj and routed_expert_norm; SiTU experts of
three matrices; two shared experts as one MLP of twice the width).
"""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from sphinx_llmarch.importer.config import HFConfig
from sphinx_llmarch.importer.families import FAMILY
from sphinx_llmarch.mechanisms.moe import MoE, from_config


def moe(**fields: object) -> MoE:
    return MoE.model_validate(
        {"kind": "moe", "router": {"scoring": "sigmoid", "bias": True}, **fields}
    )


def test_nemotron_3_ultra_moe_layer() -> None:
    h, latent = 8192, 2048
    routed = {"experts": 512, "active": 22, "expert_hidden": 5120, "activation": "relu2"}
    block = moe(**routed, latent=latent, shared={"count": 1, "hidden": 10240})
    router = 512 * h + 512  # gate.weight, e_score_correction_bias
    projections = h * latent + latent * h  # fc1_latent_proj, fc2_latent_proj
    shared = h * 10240 + 10240 * h  # up_proj, down_proj
    expert = latent * 5120 + 5120 * latent
    fixed = router + projections + shared
    assert block.params(h) == (fixed + 512 * expert, fixed + 22 * expert)


def test_kimi_k3_moe_layer_with_its_latent_norm() -> None:
    h, latent = 7168, 3584
    block = moe(
        experts=896,
        active=16,
        expert_hidden=3072,
        activation="situ",
        latent=latent,
        latent_norm=True,
        shared={"count": 2, "hidden": 3072},
    )
    router = 896 * h + 896
    projections = h * latent + latent * h + latent  # down, up, routed_expert_norm
    shared = 3 * h * (2 * 3072)  # shared_experts: one SiTU MLP of 2 x moe_intermediate_size
    expert = 3 * latent * 3072
    fixed = router + projections + shared
    total, active = block.params(h)
    assert (total, active) == (fixed + 896 * expert, fixed + 16 * expert)
    assert total - moe(**{**block.model_dump(), "latent_norm": False}).params(h)[0] == latent


def test_a_latent_norm_needs_a_latent_width() -> None:
    with pytest.raises(ValidationError, match="latent_norm"):
        moe(experts=8, active=2, expert_hidden=64, activation="swiglu", latent_norm=True)


def test_the_panel_shows_the_norm_between_the_experts_and_the_up_projection() -> None:
    block = moe(
        experts=896, active=16, expert_hidden=3072, activation="situ", latent=3584, latent_norm=True
    )
    edges = [(e.tail, e.head) for e in block.panel(7168).items if hasattr(e, "tail")]
    assert ("mix", "ln") in edges and ("ln", "up") in edges


def test_the_importer_reads_both_spellings() -> None:
    k3 = HFConfig(
        {
            "num_experts": 896,
            "num_experts_per_token": 16,
            "moe_intermediate_size": 3072,
            "routed_expert_hidden_size": 3584,
            "latent_moe_use_norm": True,
            "hidden_act": "situ",
        }
    )
    spec = from_config(k3, FAMILY["kimi_linear"])
    assert spec is not None and (spec["latent"], spec["latent_norm"]) == (3584, True)
    ultra = HFConfig({"n_routed_experts": 512, "num_experts_per_tok": 22, "moe_latent_size": 2048})
    spec = from_config(ultra, FAMILY["nemotron_h"])
    assert spec is not None and spec["latent"] == 2048 and "latent_norm" not in spec

"""Hash-routed MoE layers and sqrt-softplus scoring (DeepSeek V4): weights by hand from
DeepSeek-V4-Flash's config, names, panel and the importer's reading of the router.

Hand computation (DeepSeek-V4-Flash: ``hidden_size`` 4096, ``n_routed_experts`` 256,
``num_experts_per_tok`` 6, ``moe_intermediate_size`` 2048, ``n_shared_experts`` 1): each
expert is a gated MLP of 3 × 4096 × 2048 weights; the gate keeps a 256 × 4096 weight in
every MoE layer, and a 256-value selection bias only where it routes by score. Hash layers
(the first ``num_hash_layers``) keep instead a 129,280 × 6 table of expert ids, an integer
lookup that is not counted.
"""

from __future__ import annotations

from typing import Any

from sphinx_llmarch.importer.config import HFConfig
from sphinx_llmarch.importer.families import Family
from sphinx_llmarch.mechanisms.base import Stack
from sphinx_llmarch.mechanisms.moe import MoE, from_config

BLOCK: dict[str, Any] = {
    "kind": "moe",
    "experts": 256,
    "active": 6,
    "expert_hidden": 2048,
    "activation": "swiglu",
    "shared": {"count": 1, "hidden": 2048},
}
LEARNED = MoE.model_validate({**BLOCK, "router": {"scoring": "sqrtsoftplus", "bias": True}})
HASHED = MoE.model_validate({**BLOCK, "router": {"scoring": "sqrtsoftplus", "selection": "hash"}})
EXPERT = 3 * 4096 * 2048  # 25,165,824
GATE = 256 * 4096


def test_weights_by_hand_from_the_flash_config() -> None:
    assert LEARNED.params(4096) == (
        GATE + 256 + 257 * EXPERT,  # 256 routed + 1 shared
        GATE + 256 + 7 * EXPERT,  # 6 routed + 1 shared
    )
    assert LEARNED.params(4096) == (6_468_665_600, 177_209_600)
    # a hash layer keeps the gate (its scores weight the chosen experts) but no bias
    total, active = HASHED.params(4096)
    assert (total, active) == (GATE + 257 * EXPERT, GATE + 7 * EXPERT)


def test_names_panel_and_concepts_say_how_it_routes() -> None:
    assert (LEARNED.mix_label(), HASHED.mix_label()) == ("MoE", "hash-routed MoE")
    assert HASHED.note() == "hash-routed MoE: 256 experts, 6 active + 1 shared"
    assert HASHED.phrase().startswith("hash-routed MoE with 256 experts")
    assert "hash-routing" in HASHED.concepts_used(Stack())
    assert "hash-routing" not in LEARNED.concepts_used(Stack())
    router = next(b for b in HASHED.panel(4096).items if getattr(b, "name", "") == "router")
    assert router.label == "Hash router\n(token id → 6 experts)"  # type: ignore[union-attr]
    router = next(b for b in LEARNED.panel(4096).items if getattr(b, "name", "") == "router")
    assert router.label == "Router\n(sqrtsoftplus, top-6)"  # type: ignore[union-attr]


def test_the_importer_keeps_sqrtsoftplus_scoring() -> None:
    raw = {
        "n_routed_experts": 256,
        "num_experts_per_tok": 6,
        "moe_intermediate_size": 2048,
        "n_shared_experts": 1,
        "scoring_func": "sqrtsoftplus",
        "topk_method": "noaux_tc",
        "hidden_act": "silu",
    }
    spec = from_config(HFConfig(raw), Family())
    assert spec is not None
    assert spec["router"] == {"scoring": "sqrtsoftplus", "bias": True}

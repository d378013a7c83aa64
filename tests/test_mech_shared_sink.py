"""Shared experts weighted by the router (Inkling's shared-expert sink), by hand."""

from __future__ import annotations

from sphinx_llmarch.mechanisms.moe import MoE

H = 6144  # text_config.hidden_size


def _moe(sink: bool) -> MoE:
    return MoE.model_validate(
        {
            "kind": "moe",
            "experts": 256,
            "active": 6,
            "expert_hidden": 3072,
            "activation": "swiglu",
            "router": {"scoring": "sigmoid", "bias": True},
            "shared": {"count": 2, "hidden": 3072, "sink": sink},
        }
    )


def test_the_sink_adds_a_router_row_per_shared_expert() -> None:
    expert = 3 * H * 3072
    total, active = _moe(True).params(H)
    # router: 256 routed + 2 shared rows (shared_expert_sink), a selection bias per routed expert
    router = (256 + 2) * H + 256
    assert total == router + 2 * expert + 256 * expert
    assert active == router + 2 * expert + 6 * expert
    assert total - _moe(False).params(H)[0] == 2 * H


def test_the_panel_says_so() -> None:
    notes = _moe(True).panel(H).notes
    assert "the router weighs the shared experts with the routed ones" in notes

"""Independent hyper-connections (Hunyuan's iHC) and MLA sinks (Hy4-preview), by hand."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from sphinx_llmarch.mechanisms.hyper_connections import HyperConnections
from sphinx_llmarch.mechanisms.mla import MLA

H = 6144  # hidden_size


def test_ihc_has_pre_and_post_weights_only() -> None:
    ihc = HyperConnections.model_validate(
        {"kind": "hyper_connections", "streams": 4, "residual_mix": False}  # hc_mult
    )
    # hc_fn [2n, n*h], hc_base [2n], hc_scale [2] around every sub-layer
    assert ihc.params_per_sublayer(H) == 2 * 4 * 4 * H + 8 + 2
    # hc_head_fn [n, n*h], hc_head_base [n], hc_head_scale [1] before the final norm
    assert ihc.head_params(H) == 4 * 4 * H + 4 + 1
    assert ihc.label() == "iHC, 4 streams (dynamic mixing)"
    with pytest.raises(ValidationError, match="Sinkhorn constraint"):
        HyperConnections.model_validate(
            {
                "kind": "hyper_connections",
                "streams": 4,
                "residual_mix": False,
                "constraint": "sinkhorn",
            }
        )


def test_mla_sinks_are_one_logit_per_head() -> None:
    spec = {
        "kind": "mla",
        "heads": 64,
        "q_lora_rank": 2048,
        "kv_lora_rank": 512,
        "qk_nope_head_dim": 192,
        "qk_rope_head_dim": 64,
        "v_head_dim": 256,
        "position": {"kind": "rope", "theta": 1e7},
    }
    plain, sunk = MLA.model_validate(spec), MLA.model_validate({**spec, "sinks": True})
    assert sunk.params(H) - plain.params(H) == 64
    assert "attention-sinks" in sunk.concepts_used() and "attention sinks" in sunk.flags()

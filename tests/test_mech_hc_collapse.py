"""Hyper-connections whose streams end in a plain mean (Motif 3 Beta), by hand."""

from __future__ import annotations

from sphinx_llmarch.mechanisms.hyper_connections import HyperConnections

H = 4096  # hidden_size


def _hc(collapse: str) -> HyperConnections:
    return HyperConnections.model_validate(
        {
            "kind": "hyper_connections",
            "streams": 4,  # mhc_expansion_rate
            "constraint": "sinkhorn",
            "sinkhorn_iters": 20,  # mhc_sinkhorn_iters
            "collapse": collapse,
        }
    )


def test_a_mean_has_no_weights() -> None:
    assert _hc("mean").head_params(H) == 0
    assert _hc("learned").head_params(H) == 4 * H * 4 + 4 + 1
    assert _hc("mean").collapse_label() == "Mean of\n4 streams"
    # the mixing around each sub-layer is unchanged: 4 pre, 4 post, 16 residual weights
    assert _hc("mean").params_per_sublayer(H) == 4 * H * 24 + 24 + 3

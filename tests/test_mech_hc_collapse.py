"""Hyper-connections whose streams end in a plain mean (Motif 3 Beta), by hand."""

from __future__ import annotations

from sphinx_llmarch.mechanisms.hyper_connections import HyperConnections
from sphinx_llmarch.model.figures import compute, layer_params
from sphinx_llmarch.model.loader import load_file
from sphinx_llmarch.model.stack import LayerSpec

from .conftest import MODELS

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
    assert _hc("weighted").head_params(H) == 4 * H * 4 + 4 + 1
    assert _hc("mean").collapse_label() == "Mean of\n4 streams"
    # the mixing around each sub-layer is unchanged: 4 pre, 4 post, 16 residual weights
    assert _hc("mean").params_per_sublayer(H) == 4 * H * 24 + 24 + 3


def test_motif_layer_by_hand() -> None:
    model = load_file(MODELS / "motif-3-beta.yaml").model
    assert model is not None
    arch = model.spec.architecture
    gdla = (H * 1024 + 1024 + 1024 * 80 * 192) + (H * 576 + 512 + 512 * 16 * 256)
    gdla += H * 64 + 64 * 128 * H + 1024 * 64 * 128  # lambda, out, elementwise gate
    expert = 3 * H * 1280 + 4  # PolyNorm: three weights and a bias per expert
    moe = 384 * H + 384 + expert + 384 * expert  # router with its bias, shared, routed
    hc = 2 * (4 * H * 24 + 24 + 3)  # around the attention and the feed-forward sub-layer
    layer = gdla + moe + 2 * H + hc
    assert layer_params(arch, LayerSpec("global", "moe")) == (layer, layer - 376 * expert)
    # the streams end in a mean: nothing between the last layer and the final norm
    f = compute(model)
    assert f.kv_cache_bytes_per_token == 53 * (512 + 64) * 2

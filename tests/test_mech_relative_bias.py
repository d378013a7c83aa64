"""The learned relative position bias (Inkling), checked by hand against its config.json."""

from __future__ import annotations

from sphinx_llmarch.mechanisms import REGISTRY
from sphinx_llmarch.mechanisms.attention import Attention
from sphinx_llmarch.mechanisms.relative_bias import RelativeBias
from sphinx_llmarch.model.figures import compute
from sphinx_llmarch.model.loader import load_file

from .conftest import MODELS

H = 6144  # text_config.hidden_size


def _global() -> Attention:
    return Attention.model_validate(
        {
            "kind": "gqa",
            "heads": 64,
            "kv_heads": 8,
            "head_dim": 128,
            "position": {
                "kind": "relative-bias",
                "dims": 16,
                "extent": 1024,
                "log_scaling": {"alpha": 0.1, "floor": 128000},
            },
        }
    )


def test_the_bias_adds_its_projection_and_its_distance_table() -> None:
    attn = _global()
    plain = attn.model_copy(update={"position": REGISTRY.position("nope")(kind="nope")})
    # r_proj: 6144 -> 64 heads x d_rel 16; rel_logits_proj.proj: d_rel 16 x rel_extent 1024
    assert attn.params(H) - plain.params(H) == 6144 * 64 * 16 + 16 * 1024
    # q, k, v, o and the bias, no norm, no convolution
    q, kv, o = 6144 * 8192, 2 * 6144 * 1024, 8192 * 6144
    assert attn.params(H) == q + kv + o + 6144 * 1024 + 16384


def test_the_bias_leaves_the_cache_alone() -> None:
    # keys and values only: 8 KV heads x 128, twice
    assert _global().cache_values_per_token() == 2 * 8 * 128


def test_labels_and_concepts() -> None:
    bias = _global().position
    assert isinstance(bias, RelativeBias)
    assert bias.label() == "Relative bias + log scaling"
    assert bias.detail() == "16 dims per head, 1,024 distances"
    assert bias.concepts_used() == {"relative-bias", "log-scaling"}
    assert bias.rotated_share() is None


def test_inkling_local_layers_bias_their_window() -> None:
    model = load_file(MODELS / "inkling.yaml").model
    assert model is not None
    mixers = model.spec.architecture.mixers
    local, glob = mixers["local"].position_scheme(), mixers["global"].position_scheme()
    assert isinstance(local, RelativeBias) and isinstance(glob, RelativeBias)
    assert (local.extent, glob.extent) == (512, 1024)  # sliding_window_size, rel_extent
    assert local.log_scaling is None and glob.log_scaling is not None
    # 55 local layers of 16 KV heads, 11 global of 8, keys and values of 128, bf16
    assert compute(model).kv_cache_bytes_per_token == (55 * 16 + 11 * 8) * 256 * 2

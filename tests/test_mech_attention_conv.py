"""Short convolutions inside attention (Inkling), checked by hand against its config.json."""

from __future__ import annotations

from sphinx_llmarch.mechanisms.attention import Attention
from sphinx_llmarch.model.figures import BYTES_PER_VALUE, compute, layer_params
from sphinx_llmarch.model.loader import load_file
from sphinx_llmarch.model.stack import LayerSpec

from .conftest import MODELS

H = 6144  # text_config.hidden_size


def _local(output_width: int | None) -> Attention:
    conv: dict[str, int] = {"kernel": 4}
    if output_width:
        conv["output_width"] = output_width
    return Attention.model_validate(
        {
            "kind": "gqa",
            "heads": 64,
            "kv_heads": 16,
            "head_dim": 128,
            "window": 512,
            "conv": conv,
            "position": {"kind": "nope"},
        }
    )


def test_convolutions_count_one_weight_per_channel_and_tap() -> None:
    plain = _local(None).model_copy(update={"conv": None})
    # k_sconv and v_sconv: 16 KV heads x 128 channels, 4 taps, no bias
    assert _local(None).params(H) - plain.params(H) == 2 * 2048 * 4
    # plus attn_sconv and mlp_sconv at the model width
    assert _local(H).params(H) - plain.params(H) == 2 * 2048 * 4 + 2 * 6144 * 4


def test_convolutions_keep_their_last_inputs_as_state() -> None:
    assert _local(None).state_values() == 2 * 2048 * 3
    assert _local(H).state_values() == (2 * 2048 + 2 * 6144) * 3
    assert _local(H).cache_values_per_token() == 2 * 2048  # the cache is unchanged


def test_words_and_panel() -> None:
    attn = _local(H)
    assert "short convolutions" in attn.flags()
    assert "short convolutions (4 taps) on keys, values and sub-layer outputs" in attn.notes()
    assert "attention-conv" in attn.concepts_used()
    panel = attn.panel()
    assert panel is not None and panel.concept == "attention-conv"


def test_inkling_layer_and_state_by_hand() -> None:
    model = load_file(MODELS / "inkling.yaml").model
    assert model is not None
    f = compute(model)
    local_state = (2 * 16 * 128 + 2 * H) * 3
    global_state = (2 * 8 * 128 + 2 * H) * 3
    assert f.linear_state_bytes == (55 * local_state + 11 * global_state) * BYTES_PER_VALUE
    # one global MoE layer by hand: attention, convolutions, QK-norm, bias, norms, experts
    attn = H * 8192 + 2 * H * 1024 + 8192 * H + (H * 64 * 16 + 16 * 1024)
    attn += 2 * 1024 * 4 + 2 * H * 4 + 2 * 128
    expert = 3 * H * 3072
    router = (256 + 2) * H + 256  # routed and shared-sink rows; a selection bias per routed
    moe = 256 * expert + 2 * expert + router
    layer = attn + moe + 2 * H
    arch = model.spec.architecture
    assert layer_params(arch, LayerSpec("global", "moe")) == (layer, layer - 250 * expert)

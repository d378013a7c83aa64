"""Kimi Delta Attention's decay and output-gate projections: low-rank or full-rank.

Kimi Linear and Solar Open 2 project both through the head dim; Kimi K3 makes the output
gate full-rank (``use_full_rank_gate``); Ling 3.0 makes both full-rank (``no_kda_lora``).
Each figure below is added up tensor by tensor from the modelling code's shapes.
"""

from __future__ import annotations

from sphinx_llmarch.importer.config import HFConfig
from sphinx_llmarch.mechanisms.kimi_delta import KimiDeltaAttention, from_config


def kda(heads: int, dim: int, **projections: str) -> KimiDeltaAttention:
    return KimiDeltaAttention.model_validate(
        {
            "kind": "kimi_delta",
            "key_heads": heads,
            "value_heads": heads,
            "key_head_dim": dim,
            "value_head_dim": dim,
            "conv_kernel": 4,
            **projections,
        }
    )


def test_ling_3_flash_layer_with_every_projection_full_rank() -> None:
    # hidden 2560, 32 heads of 128: q/k/v_proj, b_proj, f_proj, g_proj, three depthwise
    # convolutions of width 4 without bias, A_log, dt_bias, o_norm, o_proj
    h, width = 2560, 32 * 128
    expected = (
        3 * h * width  # q_proj, k_proj, v_proj
        + h * 32  # b_proj
        + h * width  # f_proj (full-rank decay)
        + h * width  # g_proj (full-rank output gate)
        + 3 * width * 4  # q/k/v_conv1d
        + 32  # A_log
        + width  # dt_bias
        + 128  # o_norm
        + width * h  # o_proj
    )
    assert expected == 63_049_888
    assert kda(32, 128, decay_proj="full", gate_proj="full").params(h) == expected


def test_kimi_k3_layer_with_a_full_rank_output_gate() -> None:
    h, width = 7168, 96 * 128
    expected = (
        3 * h * width
        + h * 96
        + h * 128
        + 128 * width  # f_a_proj, f_b_proj (low-rank decay)
        + h * width  # g_proj (use_full_rank_gate)
        + 3 * width * 4
        + 96
        + width
        + 128
        + width * h
    )
    assert kda(96, 128, gate_proj="full").params(h) == expected
    # the state does not depend on the projections: 96 heads of 128 x 128, conv windows of 3
    assert kda(96, 128, gate_proj="full").state_values() == 96 * 128 * 128 + 3 * width * 3


def test_low_rank_projections_are_the_default_and_cost_less() -> None:
    h = 4096
    low = kda(64, 128)
    assert low.decay_proj == low.gate_proj == "low-rank"
    full = kda(64, 128, decay_proj="full", gate_proj="full")
    # each full-rank projection replaces h x 128 + 128 x 8192 by h x 8192
    saved = 2 * (h * 8192 - (h * 128 + 128 * 8192))
    assert full.params(h) - low.params(h) == saved
    assert low.notes() == []
    assert full.notes() == ["full-rank decay and output gate projections"]
    assert kda(64, 128, gate_proj="full").notes() == ["full-rank output gate projection"]


def test_the_importer_reads_each_models_switch() -> None:
    k3 = HFConfig(
        {
            "linear_attn_config": {
                "num_heads": 96,
                "head_dim": 128,
                "short_conv_kernel_size": 4,
                "use_full_rank_gate": True,
            }
        }
    )
    assert (from_config(k3).get("decay_proj"), from_config(k3).get("gate_proj")) == (None, "full")
    ling = HFConfig(
        {
            "num_attention_heads": 32,
            "head_dim": 128,
            "short_conv_kernel_size": 4,
            "no_kda_lora": True,
            "kda_lower_bound": -5.0,
        }
    )
    spec = from_config(ling)
    assert spec["key_heads"] == 32 and spec["conv_kernel"] == 4
    assert spec["decay_proj"] == spec["gate_proj"] == "full"
    assert "no_kda_lora" in ling.used and "kda_lower_bound" in ling.used
    solar = HFConfig({"linear_attn_config": {"num_heads": 64, "head_dim": 128}})
    assert "gate_proj" not in from_config(solar)

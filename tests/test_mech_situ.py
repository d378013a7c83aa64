"""SiTU, Kimi K3's activation: a gated MLP of three matrices whose soft caps add no weights.

Kimi K3's dense first layer: hidden 7168, intermediate_size 33792, gate_proj, up_proj and
down_proj without biases; ``activation_situ_beta`` and ``activation_situ_linear_beta`` are
the two caps.
"""

from __future__ import annotations

from sphinx_llmarch.importer.config import HFConfig
from sphinx_llmarch.importer.families import FAMILY
from sphinx_llmarch.mechanisms import activations
from sphinx_llmarch.mechanisms.dense import DenseFFN


def test_situ_is_gated_like_swiglu() -> None:
    assert activations.ACTIVATIONS["situ"].gated
    h, hidden = 7168, 33792
    expected = h * hidden + h * hidden + hidden * h  # gate_proj, up_proj, down_proj
    assert expected == 726_663_168
    assert activations.mlp_params(h, hidden, "situ", False) == expected
    dense = DenseFFN.model_validate({"kind": "dense", "hidden": hidden, "activation": "situ"})
    assert dense.params(h) == (expected, expected)


def test_the_importer_reads_situ_and_its_caps() -> None:
    c = HFConfig(
        {
            "model_type": "kimi_linear",
            "hidden_act": "situ",
            "activation_situ_beta": 4.0,
            "activation_situ_linear_beta": 25.0,
        }
    )
    assert activations.from_config(c, FAMILY["kimi_linear"]) == "situ"
    assert {"activation_situ_beta", "activation_situ_linear_beta"} <= c.used

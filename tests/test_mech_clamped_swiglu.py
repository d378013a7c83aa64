"""The clamped SwiGLU (``swigluoai``: gpt-oss, MiniMax M3) against MiniMax M3's config.json:
hidden_size 6144, dense_intermediate_size 12288 (layers 0-2), experts and the shared expert
3072 wide; swiglu_alpha 1.702, swiglu_limit 7.
"""

from __future__ import annotations

from sphinx_llmarch.importer.config import HFConfig
from sphinx_llmarch.importer.families import FAMILY
from sphinx_llmarch.mechanisms import activations
from sphinx_llmarch.mechanisms.activations import ACTIVATIONS, mlp_params
from sphinx_llmarch.mechanisms.dense import DenseFFN

HIDDEN = 6144


def test_it_has_the_three_matrices_of_a_swiglu() -> None:
    # gate and up projections (the clamps and the +1 are not weights), and the down projection
    assert mlp_params(HIDDEN, 12288, "clamped-swiglu", False) == 3 * HIDDEN * 12288
    assert mlp_params(HIDDEN, 3072, "clamped-swiglu", False) == mlp_params(
        HIDDEN, 3072, "swiglu", False
    )
    dense = DenseFFN.model_validate(
        {"kind": "dense", "hidden": 12288, "activation": "clamped-swiglu"}
    )
    assert dense.params(HIDDEN) == (226_492_416, 226_492_416)


def test_it_is_gated_and_named() -> None:
    act = ACTIVATIONS["clamped-swiglu"]
    assert act.gated
    assert act.label == "Clamped SwiGLU"
    assert act.concept.key == "clamped-swiglu"
    panel = activations.panel("clamped-swiglu", "hidden size 12,288", expert=False)
    assert panel.title == "Feed forward (Clamped SwiGLU)"


def test_the_importer_reads_swigluoai_with_its_constants() -> None:
    c = HFConfig({"hidden_act": "swigluoai", "swiglu_alpha": 1.702, "swiglu_limit": 7.0})
    assert activations.from_config(c, FAMILY["llama"]) == "clamped-swiglu"
    assert [u.key for u in c.unresolved()] == []


def test_other_constants_stay_unexplained() -> None:
    c = HFConfig({"hidden_act": "swigluoai", "swiglu_alpha": 1.702, "swiglu_limit": 10.0})
    assert activations.from_config(c, FAMILY["llama"]) == "clamped-swiglu"
    assert [u.key for u in c.unresolved()] == ["swiglu_limit"]

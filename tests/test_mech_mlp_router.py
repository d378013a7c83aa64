"""The MLP-routed MoE (ZAYA1-8B): figures against a hand count from the config and code.

From config.json: hidden_size 2048, num_experts 16, num_experts_per_tok 1,
moe_intermediate_size 2048, router_hidden_size 256.  The zaya router: down_proj 2048 ->
256 with bias, a router-state scale of 256 (layers after the first), an RMSNorm of 256,
fc1 and fc2 of 256 x 256 with biases, out_proj 256 -> 17 (16 experts and a skip class),
and a balancing bias per class.
"""

from __future__ import annotations

from sphinx_llmarch.importer.config import HFConfig
from sphinx_llmarch.importer.families import Family
from sphinx_llmarch.mechanisms import mlp_router
from sphinx_llmarch.mechanisms.mlp_router import MLPRouterMoE
from sphinx_llmarch.mechanisms.sketch import Box
from sphinx_llmarch.model.figures import compute
from sphinx_llmarch.model.loader import LoadedModel, load_file

from .conftest import MODELS

H, R = 2048, 256
EXPERT = 3 * H * 2048  # gate, up and down projections of one SwiGLU expert
ROUTER = (H * R + R) + R + R + 2 * (R * R + R) + R * 17 + 17


def _zaya() -> LoadedModel:
    loaded = load_file(MODELS / "zaya1-8b.yaml").model
    assert loaded is not None
    return loaded


def test_one_block_by_hand() -> None:
    moe = _zaya().spec.architecture.ffns["moe"]
    assert isinstance(moe, MLPRouterMoE)
    assert moe.router_params(H) == ROUTER == 661_009
    assert moe.params(H) == (ROUTER + 16 * EXPERT, ROUTER + 1 * EXPERT)


def test_zaya1_8b_totals_by_hand() -> None:
    cca, norms = 5_575_682, 2 * H  # the attention layer (tests/test_mech_cca.py), two norms
    embedding = 262272 * H  # tied
    layers = 40 * (cca + norms + ROUTER)
    f = compute(_zaya())
    assert f.total_params == embedding + H + layers + 40 * 16 * EXPERT
    assert f.active_params == embedding + H + layers + 40 * 1 * EXPERT
    # the card's 8.4B total and 760M active leave the embedding out
    total, active = f.counted("without-embeddings")
    assert abs(total / 8.4e9 - 1) < 0.02 and abs(active / 760e6 - 1) < 0.02
    assert f.total_params / 8.4e9 - 1 > 0.03 and f.active_params / 760e6 - 1 > 0.5


def test_switches_change_the_count() -> None:
    moe = _zaya().spec.architecture.ffns["moe"]
    plain = moe.model_copy(update={"skip_expert": False, "depth_mixing": False})
    assert moe.router_params(H) - plain.router_params(H) == R + (R + 1)  # scale; 17th class
    assert "mlp-router" in moe.concepts_used(_zaya().stack)


def test_panel_names_the_mlp_router() -> None:
    panel = _zaya().spec.architecture.ffns["moe"].panel(H)
    assert panel is not None
    [router] = [i for i in panel.items if isinstance(i, Box) and i.name == "router"]
    assert router.label.startswith("MLP router (softmax, top-1)")
    assert any("no expert" in n for n in panel.notes)


def test_from_config_reads_router_hidden_size() -> None:
    c = HFConfig(
        {
            "hidden_size": 2048,
            "num_experts": 16,
            "num_experts_per_tok": 1,
            "moe_intermediate_size": 2048,
            "router_hidden_size": 256,
            "hidden_act": "silu",
        }
    )
    spec = mlp_router.from_config(c, Family())
    assert spec is not None and spec["kind"] == "moe_mlp_router" and spec["router_hidden"] == 256
    block = MLPRouterMoE.model_validate(spec)
    assert block.classes == 17

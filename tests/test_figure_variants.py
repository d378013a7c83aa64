"""Variants that no real model file uses yet, each counted by hand: a mutation test found
that a wrong count in any of them would pass the tests of the real models.

Also the importer's answers where the reference configs take one branch only.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from sphinx_llmarch.importer.assemble import import_config, slug_from
from sphinx_llmarch.importer.config import ConfigError, HFConfig
from sphinx_llmarch.mechanisms import lightning
from sphinx_llmarch.mechanisms.attention import Attention
from sphinx_llmarch.mechanisms.lightning import Lightning
from sphinx_llmarch.mechanisms.mla import MLA
from sphinx_llmarch.model.loader import load_text
from sphinx_llmarch.model.stack import needs_schedule

from .conftest import TESTS
from .reference import REFERENCE, WAVE2, missing
from .test_importer import LLAMA, imported

ROPE = {"kind": "rope", "theta": 10000}


def lightning_layer(**options: Any) -> Lightning:
    spec = {"kind": "lightning", "heads": 4, "head_dim": 32, "position": ROPE, **options}
    return Lightning.model_validate(spec)


def test_lightning_without_gate_and_with_qk_norm_over_all_heads() -> None:
    h, inner = 256, 4 * 32
    plain = 3 * h * inner + inner + inner * h  # q, k, v; the output norm; the output
    assert lightning_layer().params(h) == plain
    assert lightning_layer(output_gate="elementwise").params(h) == plain + h * inner
    assert lightning_layer(qk_norm="head").params(h) == plain + 2 * 32
    assert lightning_layer(qk_norm="layer").params(h) == plain + 2 * inner
    assert lightning_layer().state_values() == 4 * 32 * 32


def test_lightning_heads_fall_back_to_the_attention_heads() -> None:
    c = HFConfig({"num_attention_heads": 16, "head_dim": 64})
    spec = lightning.from_config(c, ROPE)
    assert (spec["heads"], spec["head_dim"], "qk_norm" in spec) == (16, 64, False)
    c = HFConfig({"num_attention_heads": 16, "num_kv_heads_for_linear_attn": 8, "head_dim": 64})
    assert lightning.from_config(c, ROPE)["heads"] == 8


def test_mla_with_qk_norm_over_all_heads() -> None:
    h = 512
    fields = {
        "kind": "mla",
        "heads": 8,
        "q_lora_rank": None,
        "kv_lora_rank": 64,
        "qk_nope_head_dim": 32,
        "qk_rope_head_dim": 16,
        "v_head_dim": 32,
        "position": ROPE,
    }
    base = MLA.model_validate(fields).params(h)
    assert base == h * 8 * 48 + h * (64 + 16) + 64 + 64 * 8 * (32 + 32) + 8 * 32 * h
    assert MLA.model_validate({**fields, "qk_norm": "layer"}).params(h) == base + 2 * 8 * 48
    assert MLA.model_validate({**fields, "qk_norm": "head"}).params(h) == base + 2 * 48
    # a learned relative bias: a projection per head to 16 dims, and a 1,024-entry table
    bias = {"kind": "relative-bias", "dims": 16, "extent": 1024}
    with_bias = MLA.model_validate({**fields, "position": bias}).params(h)
    assert with_bias == base + h * 8 * 16 + 16 * 1024


def test_an_mla_config_with_a_gate_says_whether_it_is_gated_mla() -> None:
    path = WAVE2 / "kimi-k3.json"
    if not path.is_file():
        missing(str(WAVE2))
    raw = json.loads(path.read_text(encoding="utf-8"))
    text = raw["text_config"]  # the language model's keys
    assert text.get("mla_use_output_gate") is True
    text["gated_mla"] = False
    assert not import_config(raw, "kimi-k3").unresolved


def test_three_runs_of_one_mixer_need_a_schedule() -> None:
    tiny = (TESTS / "roots" / "test-basic" / "models" / "tiny-gqa.yaml").read_text()
    text = tiny.replace(
        "  ffns:\n",
        "  ffns:\n    wide:\n      kind: dense\n      hidden: 1024\n      activation: swiglu\n",
    ).replace(
        "      - repeat: 4\n        pattern: [attn + mlp]",
        "      - attn + mlp\n      - repeat: 2\n        pattern: [attn + wide]\n      - attn + mlp",
    )
    model = load_text(text, Path("/m/tiny-gqa.yaml"), "tiny-gqa.yaml").model
    assert model is not None
    assert needs_schedule(model.spec.architecture, model.layers)  # mlp, wide, mlp: 3 runs


def test_slug_from_names() -> None:
    assert slug_from("Qwen/Qwen3-8B") == "qwen-qwen3-8b"
    assert slug_from("Org--Model  v2") == "org-model-v2"
    assert slug_from("???") == "model"


def test_a_nemotron_h_config_without_its_pattern_is_refused() -> None:
    with pytest.raises(ConfigError) as caught:
        import_config({"model_type": "nemotron_h", "num_hidden_layers": 4}, "x")
    assert caught.value.key == "hybrid_override_pattern"
    assert caught.value.message == "a Nemotron-H config needs its layer pattern"


def test_step_without_head_wise_gates() -> None:
    path = REFERENCE / "step-3.5-flash.json"
    if not path.is_file():
        missing(str(REFERENCE))
    raw = json.loads(path.read_text(encoding="utf-8"))
    raw["use_head_wise_attn_gate"] = False
    text = import_config(raw, "step-3.5-flash").text
    model = load_text(text, Path("/m/step-3.5-flash.yaml"), "step-3.5-flash.yaml").model
    assert model is not None
    gates = {m.output_gate for m in model.spec.architecture.mixers.values()}
    assert gates == {"none"}


def test_attention_sinks_add_one_logit_per_head() -> None:
    fields = {"kind": "gqa", "heads": 8, "kv_heads": 2, "head_dim": 32, "position": ROPE}
    base = Attention.model_validate(fields).params(256)
    assert base == 256 * (8 * 32 + 2 * 2 * 32) + 8 * 32 * 256
    assert Attention.model_validate({**fields, "sinks": True}).params(256) == base + 8


def test_mla_with_attention_biases_is_refused() -> None:
    path = REFERENCE / "deepseek-v3.json"
    if not path.is_file():
        missing(str(REFERENCE))
    raw = json.loads(path.read_text(encoding="utf-8"))
    assert not import_config(raw, "deepseek-v3").unresolved
    raw["attention_bias"] = True
    assert [u.key for u in import_config(raw, "deepseek-v3").unresolved] == ["attention_bias"]


@pytest.mark.parametrize("key", ["attention_bias", "qkv_bias", "use_qkv_bias"])
def test_each_spelling_of_qkv_biases(key: str) -> None:
    [mixer] = imported({**LLAMA, key: True}).spec.architecture.mixers.values()
    assert mixer.bias in ("qkv", "all")
    [plain] = imported(LLAMA).spec.architecture.mixers.values()
    assert plain.bias == "none"


def test_an_attention_output_gate_switched_off_is_read() -> None:
    assert not import_config({**LLAMA, "attention_output_gate": False}, "x").unresolved

"""``llmarch import``: configs of every family become valid model files with the right facts."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from sphinx_llmarch.cli import main
from sphinx_llmarch.importer.assemble import compress, import_config
from sphinx_llmarch.model.loader import LoadedModel, load_file, load_text

from .conftest import MODELS, REPO

#: reference copies of the official config.json files (kept outside the project)
REFERENCE = Path(
    os.environ.get("LLMARCH_REFERENCE_CONFIGS", REPO.parent / "shared" / "reference" / "configs")
)
CONFIGS = sorted(REFERENCE.glob("*.json")) if REFERENCE.is_dir() else []

#: where the hand-checked file deliberately differs from its config, and why
EXCEPTIONS = {
    "gemma-3-27b": (
        "vocab",
        (
            "Google's reference code has 262,144 rows; the Hugging Face "
            "conversion pads the table to 262,208 (recorded in the notes)"
        ),
    ),
    "mimo-v2-flash": ("mtp", "the 3 MTP layers are stated in the model card, not the config"),
    "qwen3-next-80b-a3b": ("mtp", "the MTP module is in the checkpoint, not the config"),
}


def imported(raw: dict[str, Any], slug: str = "imported") -> LoadedModel:
    result = import_config(raw, slug)
    loaded = load_text(result.text, Path(f"/m/{slug}.yaml"), f"{slug}.yaml")
    assert loaded.problems == (), loaded.problems
    assert loaded.model is not None
    return loaded.model


def architecture(model: LoadedModel) -> dict[str, Any]:
    """The facts of the architecture, independent of how mixers are named or grouped."""
    a = model.spec.architecture
    return {
        "hidden": a.hidden_size,
        "vocab": a.vocab_size,
        "tie": a.tie_embeddings,
        "norm": a.norm.model_dump(),
        "layers": [
            (
                a.mixers[s.mixer].model_dump() if s.mixer else None,
                a.ffns[s.ffn].model_dump() if s.ffn else None,
            )
            for s in model.layers
        ],
        "mtp": a.mtp.modules if a.mtp else None,
        "context": model.spec.context.native,
    }


@pytest.mark.skipif(not CONFIGS, reason=f"no reference configs in {REFERENCE}")
@pytest.mark.parametrize("config", CONFIGS, ids=lambda p: p.stem)
def test_import_reproduces_the_hand_checked_architecture(config: Path) -> None:
    slug = config.stem
    ours = architecture(imported(json.loads(config.read_text()), slug))
    hand = load_file(MODELS / f"{slug}.yaml").model
    assert hand is not None
    expected = architecture(hand)
    if slug in EXCEPTIONS:
        field, reason = EXCEPTIONS[slug]
        assert ours[field] != expected[field], f"exception no longer needed: {reason}"
        ours[field] = expected[field]
    assert ours == expected


def test_every_gallery_config_is_covered() -> None:
    if not CONFIGS:
        pytest.skip("no reference configs")
    assert len(CONFIGS) >= 33


# --------------------------------------------------------------------------- other families

LLAMA = {
    "model_type": "llama",
    "hidden_size": 2048,
    "intermediate_size": 5632,
    "num_hidden_layers": 4,
    "num_attention_heads": 32,
    "num_key_value_heads": 4,
    "vocab_size": 32000,
    "max_position_embeddings": 4096,
    "rms_norm_eps": 1e-5,
    "rope_theta": 10000.0,
    "hidden_act": "silu",
    "tie_word_embeddings": False,
    "torch_dtype": "bfloat16",
    "bos_token_id": 1,
}


def test_llama_style_config() -> None:
    model = imported(LLAMA)
    a = model.spec.architecture
    [mixer] = a.mixers.values()
    assert (mixer.kind, mixer.heads, mixer.kv_heads, mixer.head_dim) == ("gqa", 32, 4, 64)
    [ffn] = a.ffns.values()
    assert (ffn.kind, ffn.hidden, ffn.activation) == ("dense", 5632, "swiglu")
    assert [s.text for s in model.layers] == ["attn + mlp"] * 4


def test_mistral_sliding_window_applies_to_every_layer() -> None:
    model = imported({**LLAMA, "model_type": "mistral", "sliding_window": 4096})
    assert [m.window for m in model.spec.architecture.mixers.values()] == [None]  # no layer_types
    with_types = imported(
        {
            **LLAMA,
            "model_type": "qwen2",
            "sliding_window": 4096,
            "layer_types": ["sliding_attention", "full_attention"] * 2,
        }
    )
    windows = sorted(str(m.window) for m in with_types.spec.architecture.mixers.values())
    assert windows == ["4096", "None"]


def test_mixtral_moe_keys() -> None:
    model = imported(
        {
            **LLAMA,
            "model_type": "mixtral",
            "num_local_experts": 8,
            "num_experts_per_tok": 2,
            "intermediate_size": 14336,
        }
    )
    [moe] = model.spec.architecture.ffns.values()
    assert (moe.kind, moe.experts, moe.active, moe.expert_hidden) == ("moe", 8, 2, 14336)
    assert moe.router.scoring == "softmax" and moe.shared is None


def test_qwen2_moe_shared_expert_and_sparse_step() -> None:
    model = imported(
        {
            **LLAMA,
            "model_type": "qwen2_moe",
            "num_experts": 60,
            "num_experts_per_tok": 4,
            "moe_intermediate_size": 1408,
            "shared_expert_intermediate_size": 5632,
            "decoder_sparse_step": 1,
            "mlp_only_layers": [0],
        }
    )
    ffns = [s.ffn for s in model.layers]
    assert ffns[0] != ffns[1]  # layer 0 is dense
    moe = model.spec.architecture.ffns[ffns[1]]
    assert moe.shared is not None and (moe.shared.hidden, moe.shared.gate) == (5632, True)


def test_gemma2_sandwich_norm_and_tied_default() -> None:
    model = imported(
        {
            **LLAMA,
            "model_type": "gemma2",
            "hidden_activation": "gelu_pytorch_tanh",
            "sliding_window": 4096,
            "head_dim": 256,
            "layer_types": ["sliding_attention", "full_attention"] * 2,
            "tie_word_embeddings": None,
        }
    )
    a = model.spec.architecture
    assert (a.norm.placement, a.norm.zero_centered, a.tie_embeddings) == ("sandwich", True, True)
    assert {f.activation for f in a.ffns.values()} == {"geglu"}


def test_phi3_partial_rotary() -> None:
    model = imported({**LLAMA, "model_type": "phi3", "partial_rotary_factor": 0.75})
    [mixer] = model.spec.architecture.mixers.values()
    assert mixer.position.fraction == 0.75


def test_gpt2_defaults() -> None:
    model = imported(
        {
            "model_type": "gpt2",
            "n_embd": 768,
            "n_layer": 2,
            "n_head": 12,
            "vocab_size": 50257,
            "n_positions": 1024,
            "activation_function": "gelu_new",
            "layer_norm_epsilon": 1e-5,
        }
    )
    a = model.spec.architecture
    assert (a.norm.kind, a.tie_embeddings) == ("layernorm", True)
    [ffn] = a.ffns.values()
    assert (ffn.hidden, ffn.activation, ffn.bias) == (3072, "gelu", True)  # 4 x n_embd


def test_multimodal_wrapper_reads_the_text_config() -> None:
    model = imported({"model_type": "mistral3", "text_config": LLAMA, "vision_config": {}})
    assert model.spec.architecture.hidden_size == 2048


def test_unknown_keys_are_reported_not_dropped() -> None:
    result = import_config({**LLAMA, "rope_magic": 3, "logit_softcapping": 30.0}, "x")
    assert result.unknown == ["rope_magic", "logit_softcapping"]


def test_compress() -> None:
    assert compress(["a"] * 3) == [{"repeat": 3, "pattern": ["a"]}]
    assert compress(["a", "a", "a", "b"] * 12) == [
        {"repeat": 12, "pattern": [{"repeat": 3, "pattern": ["a"]}, "b"]}
    ]
    assert compress(["d", "m", "m"]) == ["d", {"repeat": 2, "pattern": ["m"]}]


# --------------------------------------------------------------------------- command line


def test_cli_import_writes_a_valid_file(tmp_path: Path, capsys) -> None:
    config = tmp_path / "Tiny-Llama-1B" / "config.json"
    config.parent.mkdir()
    config.write_text(json.dumps({**LLAMA, "mystery_key": 1}))
    out = tmp_path / "tiny-llama-1b.yaml"
    assert main(["import", str(config), "-o", str(out)]) == 0
    assert "key 'mystery_key' not understood" in capsys.readouterr().err
    result = load_file(out)
    assert result.ok and result.model is not None
    assert result.model.slug == "tiny-llama-1b"  # from the folder's name
    assert main(["validate", str(out)]) == 0


def test_cli_stats_accepts_a_config(tmp_path: Path, capsys) -> None:
    config = tmp_path / "config.json"
    config.write_text(json.dumps(LLAMA))
    assert main(["stats", str(config), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    per_layer = 2048 * (2048 + 2 * 256) + 2048 * 2048 + 3 * 2048 * 5632 + 2 * 2048
    assert data["total_params"] == 2 * 32000 * 2048 + 2048 + 4 * per_layer


def test_cli_import_of_a_broken_config(tmp_path: Path, capsys) -> None:
    config = tmp_path / "config.json"
    config.write_text("{not json")
    assert main(["import", str(config)]) == 1
    assert "cannot read the config" in capsys.readouterr().err

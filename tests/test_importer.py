"""``llmarch import``: configs of every family become valid model files with the right facts."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from sphinx_llmarch.cli import main
from sphinx_llmarch.importer.assemble import compress, import_config
from sphinx_llmarch.importer.config import WRAPPERS
from sphinx_llmarch.model.figures import compute
from sphinx_llmarch.model.loader import LoadedModel, load_file, load_text
from sphinx_llmarch.model.stack import parse_spec

from .conftest import MODELS, REPO
from .reference import REQUIRED, missing

#: reference copies of the official config.json files (kept outside the project): the
#: first wave's folder, and the second wave's beside it
REFERENCE = Path(
    os.environ.get("LLMARCH_REFERENCE_CONFIGS", REPO.parent / "shared" / "reference" / "configs")
)
FOLDERS = [REFERENCE, REFERENCE.with_name(REFERENCE.name + "-wave2")]
CONFIGS = sorted(REFERENCE.glob("*.json")) if REFERENCE.is_dir() else []
ALL_CONFIGS = [p for folder in FOLDERS if folder.is_dir() for p in sorted(folder.glob("*.json"))]

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
    "laguna-xs.2": (
        "context",
        "the model card gives 131,072 tokens; the config's max_position_embeddings is 262,144",
    ),
}


#: the reference configs the importer refuses, with the first key it names; every other one
#: must import (a refusal that appears is a regression, not a pass)
REFUSED = {
    "longcat-flash-lite": "model_type",  # the config names no model_type
    "xlstm-7b": "max_position_embeddings",  # no context length is given
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
        "mtp": _mtp(model),
        "context": model.spec.context.native,
    }


def _mtp(model: LoadedModel) -> tuple[int, list[tuple[Any, Any]]] | None:
    """The number of MTP modules, and the mixer and FFN of each layer of one module
    (without a pattern, a module repeats the last layer)."""
    a = model.spec.architecture
    if a.mtp is None:
        return None
    names = list(a.mixers), list(a.ffns)
    pattern = a.mtp.pattern
    specs = [parse_spec(t, *names) for t in pattern] if pattern else [model.layers[-1]]
    layers = [
        (
            a.mixers[s.mixer].model_dump() if s.mixer else None,
            a.ffns[s.ffn].model_dump() if s.ffn else None,
        )
        for s in specs
    ]
    return a.mtp.modules, layers


@pytest.mark.skipif(not CONFIGS and not REQUIRED, reason=f"no reference configs in {REFERENCE}")
@pytest.mark.parametrize("config", ALL_CONFIGS, ids=lambda p: p.stem)
def test_import_reproduces_the_hand_checked_architecture(config: Path) -> None:
    slug = config.stem
    raw = json.loads(config.read_text())
    if slug in REFUSED:
        pytest.skip("the config is refused (see the test of every reference config)")
    ours = architecture(imported(raw, slug))
    hand = load_file(MODELS / f"{slug}.yaml").model
    assert hand is not None
    expected = architecture(hand)
    if slug in EXCEPTIONS:
        field, reason = EXCEPTIONS[slug]
        assert ours[field] != expected[field], f"exception no longer needed: {reason}"
        ours[field] = expected[field]
    assert ours == expected


def _outcome(config: Path) -> tuple[str, str]:
    """('refused', keys) | ('compared', '') | ('no model file', '') for one reference config."""
    result = import_config(json.loads(config.read_text()), config.stem)
    if result.unresolved:
        return "refused", ", ".join(u.key for u in result.unresolved)
    if not (MODELS / f"{config.stem}.yaml").is_file():
        return "no model file", ""
    return "compared", ""


#: slug -> why the imported figures differ from the hand-checked file's, and by how much
FIGURE_EXCEPTIONS: dict[str, tuple[str, Any]] = {
    "gemma-3-27b": (
        "the hand-checked file keeps Google's 262,144-row vocabulary; the config pads it",
        lambda ours, hand: ours.total_params - hand.total_params == 64 * 5376,
    ),
}


@pytest.mark.parametrize("config", ALL_CONFIGS, ids=lambda p: p.stem)
def test_every_reference_config_imports_the_right_model_or_is_refused(config: Path) -> None:
    raw = json.loads(config.read_text())
    result = import_config(raw, config.stem)
    keys = [u.key for u in result.unresolved]
    if config.stem in REFUSED:
        assert keys[:1] == [REFUSED[config.stem]]
    else:
        assert keys == [], "a config that imported is refused now"
    if result.unresolved:
        # a refusal names keys of this very config, each with its value
        flat = {**raw, **next((raw[w] for w in WRAPPERS if isinstance(raw.get(w), dict)), {})}
        for u in result.unresolved:
            # (or a key the config lacks and a model file needs)
            assert u.key.split(".")[0] in flat or u.value is None, u
        return
    ours = compute(imported(raw, config.stem))
    path = MODELS / f"{config.stem}.yaml"
    if not path.is_file():
        pytest.skip(f"imports; no model file {path.name} to compare its figures with")
    hand_model = load_file(path).model
    assert hand_model is not None
    hand = compute(hand_model)
    if config.stem in FIGURE_EXCEPTIONS:
        reason, holds = FIGURE_EXCEPTIONS[config.stem]
        assert holds(ours, hand), reason
        assert ours.kv_cache_bytes_per_token == hand.kv_cache_bytes_per_token
        return
    figures = ("total_params", "active_params", "mtp_params", "kv_cache_bytes_per_token")
    if EXCEPTIONS.get(config.stem, ("",))[0] == "mtp":  # the config does not state the MTP
        assert ours.mtp_params == 0 < hand.mtp_params, EXCEPTIONS[config.stem][1]
        figures = tuple(f for f in figures if f != "mtp_params")
    assert [getattr(ours, f) for f in figures] == [getattr(hand, f) for f in figures]


def test_the_import_outcomes_are_reported() -> None:
    if not ALL_CONFIGS:
        missing(str(REFERENCE))
    outcomes = {p.stem: _outcome(p) for p in ALL_CONFIGS}
    width = max(map(len, outcomes))
    for slug, (what, keys) in sorted(outcomes.items()):
        print(f"{slug.ljust(width)}  {what}{': ' + keys if keys else ''}")
    # the first wave's models all import to their hand-checked figures
    assert all(outcomes[p.stem][0] == "compared" for p in CONFIGS)


@pytest.mark.parametrize("config", ALL_CONFIGS, ids=lambda p: p.stem)
def test_an_unknown_architectural_key_is_refused(config: Path) -> None:
    raw = json.loads(config.read_text())
    if config.stem in REFUSED:
        pytest.skip("the config is refused already, for the keys listed by the test above")
    wrapper = next((w for w in WRAPPERS if isinstance(raw.get(w), dict)), None)
    target = raw[wrapper] if wrapper else raw
    target["attention_compress_ratio"] = 4
    [u] = import_config(raw, config.stem).unresolved
    assert (u.key, u.value, u.reason) == ("attention_compress_ratio", 4, "not understood")


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
    assert [(u.key, u.value, u.reason) for u in result.unresolved] == [
        ("rope_magic", 3, "not understood"),
        ("logit_softcapping", 30.0, "not understood"),
    ]


def test_irrelevant_keys_are_accounted_for_and_null_values_state_nothing() -> None:
    extra = {"torch_dtype": "bfloat16", "do_sample": False, "rope_scaling": None, "top_k": 50}
    assert import_config({**LLAMA, **extra}, "x").unresolved == []


def test_a_key_irrelevant_only_for_some_values() -> None:
    off = {**LLAMA, "use_sliding_window": False, "max_window_layers": 28, "sliding_window": 4096}
    assert import_config(off, "x").unresolved == []
    on = import_config({**off, "use_sliding_window": True}, "x")
    assert {u.key for u in on.unresolved} == {"use_sliding_window", "max_window_layers"}


def test_nested_rope_keys_are_accounted_one_by_one() -> None:
    scaled = {**LLAMA, "rope_scaling": {"rope_type": "yarn", "factor": 4.0, "mystery": 1}}
    [u] = import_config(scaled, "x").unresolved
    assert (u.key, u.value) == ("rope_scaling.mystery", 1)
    # the constants of the scaling's curve are documented as irrelevant
    curve = {**LLAMA, "rope_scaling": {"rope_type": "yarn", "factor": 4.0, "beta_fast": 32}}
    assert import_config(curve, "x").unresolved == []
    unknown_kind = {**LLAMA, "rope_scaling": {"rope_type": "wobble", "factor": 2.0}}
    [u] = import_config(unknown_kind, "x").unresolved
    assert u.key == "rope_scaling.rope_type" and "wobble" in u.reason


def test_top_level_and_grouped_rope_settings_must_agree() -> None:
    both = {**LLAMA, "rope_parameters": {"rope_theta": 500000.0, "rope_type": "default"}}
    [u] = import_config(both, "x").unresolved
    assert u.key == "rope_parameters.rope_theta" and "10000" in u.reason


def test_an_unknown_model_type_is_refused() -> None:
    result = import_config({**LLAMA, "model_type": "novel_arch"}, "x")
    [u] = result.unresolved
    assert (u.key, u.value) == ("model_type", "novel_arch")


def test_constant_factors_become_notes() -> None:
    result = import_config({**LLAMA, "embedding_multiplier": 12.0, "logits_scaling": 8}, "x")
    assert result.unresolved == []
    [note] = load_text(result.text, Path("/m/x.yaml"), "x.yaml").model.spec.notes  # type: ignore[union-attr]
    assert note.text == (
        "Constant factors of the configuration (no weights): embedding_multiplier = 12.0, "
        "logits_scaling = 8."
    )


def test_a_draft_lists_the_keys_and_does_not_pass_validation() -> None:
    result = import_config({**LLAMA, "compress_ratios": [0, 4]}, "x", draft=True)
    assert "draft:\n- key: compress_ratios\n  value: '[0, 4]'" in result.text
    loaded = load_text(result.text, Path("/m/x.yaml"), "x.yaml")
    assert loaded.model is not None  # valid, but unfinished
    [problem] = loaded.problems
    assert problem.subtype == "draft" and "(compress_ratios)" in problem.message


def test_compress() -> None:
    assert compress(["a"] * 3) == [{"repeat": 3, "pattern": ["a"]}]
    assert compress(["a", "a", "a", "b"] * 12) == [
        {"repeat": 12, "pattern": [{"repeat": 3, "pattern": ["a"]}, "b"]}
    ]
    assert compress(["d", "m", "m"]) == ["d", {"repeat": 2, "pattern": ["m"]}]


# --------------------------------------------------------------------------- command line


def test_cli_import_writes_a_valid_file_and_a_summary(tmp_path: Path, capsys) -> None:
    config = tmp_path / "Tiny-Llama-1B" / "config.json"
    config.parent.mkdir()
    config.write_text(json.dumps(LLAMA))
    out = tmp_path / "tiny-llama-1b.yaml"
    assert main(["import", str(config), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    result = load_file(out)
    assert result.ok and result.model is not None
    assert result.model.slug == "tiny-llama-1b"  # from the folder's name
    assert main(["validate", str(out)]) == 0
    # the one-screen summary to hold against the model card
    assert "decoder type      Dense" in err
    assert "layer mix         4 GQA" in err
    assert "parameters        307M total, all active per token" in err
    assert "KV cache / token  4 KiB (bf16)" in err  # 4 layers x K and V x 4 heads x 64 x 2 B


def test_cli_import_refuses_keys_it_cannot_represent(tmp_path: Path, capsys) -> None:
    config = tmp_path / "config.json"
    config.write_text(json.dumps({**LLAMA, "mystery_key": 1, "kv_compress_ratio": 4}))
    out = tmp_path / "x.yaml"
    assert main(["import", str(config), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "cannot represent 2 keys of this config" in err
    assert "  mystery_key = 1  (not understood)" in err
    assert "  kv_compress_ratio = 4  (not understood)" in err
    assert not out.exists()


def test_cli_draft_writes_the_file_and_validate_reports_it(tmp_path: Path, capsys) -> None:
    config = tmp_path / "config.json"
    config.write_text(json.dumps({**LLAMA, "kv_compress_ratio": 4}))
    out = tmp_path / "x.yaml"
    assert main(["import", str(config), "--slug", "x", "--draft", "-o", str(out)]) == 1
    assert "DRAFT             kv_compress_ratio = 4 (not understood)" in capsys.readouterr().err
    assert main(["validate", str(out)]) == 1
    report = capsys.readouterr().out
    assert "draft: unfinished draft: 1 config key not represented (kv_compress_ratio)" in report


def test_cli_stats_accepts_a_config(tmp_path: Path, capsys) -> None:
    config = tmp_path / "config.json"
    config.write_text(json.dumps(LLAMA))
    assert main(["stats", str(config), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    per_layer = 2048 * (2048 + 2 * 256) + 2048 * 2048 + 3 * 2048 * 5632 + 2 * 2048
    assert data["total_params"] == 2 * 32000 * 2048 + 2048 + 4 * per_layer


def test_cli_stats_follows_the_same_rule(tmp_path: Path, capsys) -> None:
    config = tmp_path / "config.json"
    config.write_text(json.dumps({**LLAMA, "kv_compress_ratio": 4}))
    assert main(["stats", str(config)]) == 1
    assert "kv_compress_ratio = 4" in capsys.readouterr().err
    assert main(["stats", str(config), "--draft", "--json"]) == 0


# --------------------------------------------------------------------------- broken configs


def _deep(depth: int) -> str:
    return "[" * depth + "]" * depth


#: name -> (file content, the one message expected after "llmarch: <file>: ")
BROKEN: dict[str, tuple[str | bytes, str]] = {
    "not-json": ("{not json", "not JSON: Expecting property name enclosed in double quotes"),
    "empty": ("", "not JSON: Expecting value at line 1, column 1"),
    "not-utf8": (b'{"a": "\xff"}', "not UTF-8 text (byte 7)"),
    "a-list": ("[1, 2]", "a config.json holds a JSON object at the top"),
    "a-string": ('"llama"', "a config.json holds a JSON object at the top"),
    "string-layers": (
        json.dumps({**LLAMA, "num_hidden_layers": "61"}),
        "num_hidden_layers: must be a whole number, not a string '61'",
    ),
    "fractional-width": (
        json.dumps({**LLAMA, "hidden_size": 2048.5}),
        "hidden_size: must be a whole number, not a number 2048.5",
    ),
    "zero-heads": (
        json.dumps({**LLAMA, "num_attention_heads": 0}),
        "num_attention_heads: must be positive, not 0",
    ),
    "negative-vocab": (
        json.dumps({**LLAMA, "vocab_size": -5}),
        "vocab_size: must be positive, not -5",
    ),
    "boolean-layers": (
        json.dumps({**LLAMA, "num_hidden_layers": True}),
        "num_hidden_layers: must be a whole number, not a boolean True",
    ),
    "short-layer-types": (
        json.dumps({**LLAMA, "layer_types": ["full_attention"] * 3}),
        "layer_types: has 3 entries for 4 layers; one per layer is needed",
    ),
    "layer-types-not-a-list": (
        json.dumps({**LLAMA, "layer_types": "full_attention"}),
        "layer_types: must be a list of layer types, not a string",
    ),
    "short-hybrid-pattern": (
        json.dumps(
            {**LLAMA, "model_type": "nemotron_h", "hybrid_override_pattern": "M*E", "n_groups": 8}
        ),
        "hybrid_override_pattern: has 3 layers for num_hidden_layers 4",
    ),
    "unknown-pattern-code": (
        json.dumps({**LLAMA, "model_type": "nemotron_h", "hybrid_override_pattern": "MNE*"}),
        "hybrid_override_pattern: has unknown layer codes 'N' (known: 'M', '*', 'E', '-')",
    ),
    "model-type-number": (
        json.dumps({**LLAMA, "model_type": 3}),
        "model_type: must be a string, not a number",
    ),
    "deep-nesting": (_deep(100_000), "not a config: its JSON is nested too deeply to read"),
    "huge": (
        '{"pad": "' + "x" * (50 << 20) + '"}',
        "the file has 52,428,811 bytes; a config.json has well under 4 MiB",
    ),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
@pytest.mark.parametrize("command", ["import", "stats"])
def test_a_broken_config_gets_one_message_and_exit_code_2(
    tmp_path: Path, capsys, name: str, command: str
) -> None:
    content, expected = BROKEN[name]
    config = tmp_path / "config.json"
    if isinstance(content, bytes):
        config.write_bytes(content)
    else:
        config.write_text(content, encoding="utf-8")
    assert main([command, str(config)]) == 2
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"llmarch: {config}: {expected}"), lines[0]
    assert "Traceback" not in captured.err and captured.out == ""


def test_a_missing_config_is_unusable(tmp_path: Path, capsys) -> None:
    assert main(["import", str(tmp_path / "nope.json")]) == 2
    assert "cannot read the file: No such file or directory" in capsys.readouterr().err


def test_rope_given_per_layer_type() -> None:
    raw = {
        **LLAMA,
        "sliding_window": 1024,
        "layer_types": ["sliding_attention", "full_attention"] * 2,
        "rope_parameters": {
            "full_attention": {"rope_type": "yarn", "rope_theta": 5e5, "factor": 16.0},
            "sliding_attention": {"rope_type": "default", "rope_theta": 1e4, "beta_fast": 32},
        },
    }
    raw.pop("rope_theta")
    model = imported(raw)
    positions = {str(m.window): m.position for m in model.spec.architecture.mixers.values()}
    assert positions["None"].theta == 5e5 and positions["None"].scaling.factor == 16.0
    assert positions["1024"].theta == 1e4 and positions["1024"].scaling is None
    raw["rope_parameters"]["full_attention"]["wobble"] = 1
    [u] = import_config(raw, "x").unresolved
    assert u.key == "rope_parameters.full_attention.wobble"


NEMOTRON = {
    **LLAMA,
    "model_type": "nemotron_h",
    "hybrid_override_pattern": "M*M-",
    "mamba_num_heads": 8,
    "mamba_head_dim": 64,
    "ssm_state_size": 16,
    "n_groups": 1,
    "conv_kernel": 4,
    "hidden_act": "relu2",
}


def test_nemotron_layer_words_are_the_pattern_spelled_out() -> None:
    words = {**NEMOTRON, "layers_block_type": ["mamba", "attention", "mamba", "mlp"]}
    words.pop("hybrid_override_pattern")
    by_chars, by_words = imported(NEMOTRON), imported(words)
    assert [s.text for s in by_words.layers] == [s.text for s in by_chars.layers]
    both = {**NEMOTRON, "layers_block_type": ["mamba", "attention", "mamba", "moe"]}
    assert [u.key for u in import_config(both, "x").unresolved] == ["hybrid_override_pattern"]


def test_mlp_layer_types_must_agree_with_the_dense_prefix() -> None:
    moe = {**LLAMA, "n_routed_experts": 8, "num_experts_per_tok": 2, "moe_intermediate_size": 64}
    agree = {**moe, "first_k_dense_replace": 1, "mlp_layer_types": ["dense"] + ["sparse"] * 3}
    assert import_config(agree, "x").unresolved == []
    assert [
        u.key for u in import_config({**agree, "first_k_dense_replace": 2}, "x").unresolved
    ] == ["mlp_layer_types"]


def test_a_declared_state_precision_is_read_only_where_a_layer_keeps_a_state() -> None:
    # a GQA-only model: the key is a number format of nothing here
    plain = import_config({**LLAMA, "mamba_ssm_cache_dtype": "float32"}, "x")
    assert plain.unresolved == [] and "state_precision" not in plain.text
    hybrid = import_config({**NEMOTRON, "mamba_ssm_cache_dtype": "float32"}, "x")
    assert hybrid.unresolved == [] and "state_precision: fp32" in hybrid.text
    odd = import_config({**NEMOTRON, "mamba_ssm_cache_dtype": "float8_e4m3"}, "x")
    assert [(u.key, u.value) for u in odd.unresolved] == [("mamba_ssm_cache_dtype", "float8_e4m3")]

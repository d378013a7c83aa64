"""The schema and the loader: valid files load, every kind of bad input is located."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from sphinx_llmarch.describe.labels import layer_mix, layer_mix_text
from sphinx_llmarch.mechanisms import REGISTRY, Mixer
from sphinx_llmarch.model.loader import load_file, load_text
from sphinx_llmarch.model.schema import json_schema
from sphinx_llmarch.model.yamlread import read_yaml, resolve_plain

from .conftest import MODELS, TESTS

TINY = (TESTS / "roots" / "test-basic" / "models" / "tiny-gqa.yaml").read_text()


def load(text: str, slug: str = "tiny-gqa"):
    return load_text(text, Path(f"/m/{slug}.yaml"), f"{slug}.yaml")


def problems(text: str, slug: str = "tiny-gqa") -> list[str]:
    return [str(p) for p in load(text, slug).problems]


@pytest.mark.parametrize("path", sorted(MODELS.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_model_file_validates(path: Path) -> None:
    result = load_file(path)
    assert result.problems == ()
    assert result.model is not None
    assert result.model.slug == path.stem


def test_tiny_model_loads_with_its_schedule() -> None:
    model = load(TINY).model
    assert model is not None
    assert len(model.layers) == 4
    assert layer_mix_text(layer_mix(model)) == "4 GQA"


def test_yaml_12_scalars() -> None:
    assert resolve_plain("1e-06") == 1e-06  # a string under YAML 1.1
    assert resolve_plain("no") == "no"  # a boolean under YAML 1.1
    assert resolve_plain("1_000") == 1000
    assert resolve_plain("0x10") == 16
    assert resolve_plain("2024-01-02") == "2024-01-02"  # dates are validated by the schema
    assert resolve_plain("~") is None
    assert resolve_plain("true") is True


def test_unsafe_tag_is_refused_and_never_constructed() -> None:
    text = TINY.replace("name: Tiny GQA", 'name: !!python/object/apply:os.system ["false"]')
    assert problems(text) == [
        "tiny-gqa.yaml:4: name: unsupported YAML tag '!!python/object/apply:os.system' refused"
    ]


def test_custom_tags_are_refused() -> None:
    text = TINY.replace("family: Tiny", "family: !include other.yaml")
    assert problems(text) == ["tiny-gqa.yaml:6: family: unsupported YAML tag '!include' refused"]


def test_duplicate_key() -> None:
    text = TINY.replace("family: Tiny\n", "family: Tiny\nfamily: Other\n")
    assert problems(text) == ["tiny-gqa.yaml:7: family: duplicate key 'family' (first on line 6)"]


def test_syntax_error_has_a_line() -> None:
    text = TINY.replace("    eps: 1e-06\n", "   eps: 1e-06\n")
    [message] = problems(text)
    assert message.startswith("tiny-gqa.yaml:25: YAML syntax error:")


def test_alias_bomb_is_stopped() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        prev = chr(ord("a") + i - 1)
        name = chr(ord("a") + i)
        lines.append(f"{name}: &{name} [{', '.join(['*' + prev] * 10)}]")
    doc = read_yaml("\n".join(lines))
    assert doc.data is None
    assert "too large" in doc.issues[0].message


def test_recursive_alias_is_stopped() -> None:
    doc = read_yaml("a: &a [*a]")
    assert doc.data is None
    assert doc.issues


def test_empty_file_and_non_mapping() -> None:
    assert problems("") == ["tiny-gqa.yaml:1: the file is empty"]
    assert problems("- a\n- b\n") == ["tiny-gqa.yaml:1: a model file must be a mapping of fields"]


def test_unknown_field_suggests_the_right_name() -> None:
    text = TINY.replace("      kv_heads: 2", "      kv_head: 2")
    assert problems(text) == [
        "tiny-gqa.yaml:27: architecture.mixers.attn: missing required field 'kv_heads'",
        (
            "tiny-gqa.yaml:30: architecture.mixers.attn.kv_head: unknown field 'kv_head'; "
            "did you mean 'kv_heads'?"
        ),
    ]


def test_wrong_type_names_the_value() -> None:
    text = TINY.replace("      heads: 8", "      heads: eight")
    assert problems(text) == [
        (
            "tiny-gqa.yaml:29: architecture.mixers.attn.heads: Input should be a valid integer "
            "(got 'eight')"
        )
    ]


def test_integers_are_strict() -> None:
    text = TINY.replace("  hidden_size: 256", '  hidden_size: "256"')
    assert problems(text) == [
        "tiny-gqa.yaml:19: architecture.hidden_size: Input should be a valid integer (got '256')"
    ]


def test_unknown_mixer_kind() -> None:
    text = TINY.replace("      kind: gqa", "      kind: flash")
    [message] = problems(text)
    kinds = ", ".join(REGISTRY.kinds(Mixer))  # every registered mixer, in registration order
    assert kinds.startswith("mha, gqa, mqa, mla, ")
    assert message == (
        "tiny-gqa.yaml:28: architecture.mixers.attn.kind: unknown kind 'flash'; expected one of: "
        + ", ".join(REGISTRY.kinds(Mixer))
    )


def test_heads_must_match_the_kind() -> None:
    text = TINY.replace("      kv_heads: 2", "      kv_heads: 8")
    assert problems(text) == [
        "tiny-gqa.yaml:27: architecture.mixers.attn: 8 heads with 8 KV heads is 'mha', not 'gqa'"
    ]


def test_rope_theta_may_be_unknown_but_nope_takes_none() -> None:
    assert problems(TINY.replace("        theta: 10000\n", "")) == []
    text = TINY.replace("        kind: rope\n", "        kind: nope\n")
    assert problems(text) == [
        (
            "tiny-gqa.yaml:34: architecture.mixers.attn.position.theta: unknown field 'theta'; "
            "a field of kind 'rope', 'p_rope', not of 'nope'"
        )
    ]


def test_a_field_of_another_kind_is_named_as_such() -> None:
    text = TINY.replace("      head_dim: 32\n", "      head_dim: 32\n      kv_lora_rank: 64\n")
    assert problems(text) == [
        (
            "tiny-gqa.yaml:32: architecture.mixers.attn.kv_lora_rank: unknown field "
            "'kv_lora_rank'; a field of kind 'mla', 'gdla', not of 'gqa'"
        )
    ]


def test_schedule_must_add_up() -> None:
    text = TINY.replace("      - repeat: 4", "      - repeat: 3")
    assert problems(text) == [
        "tiny-gqa.yaml:41: architecture.layers.count: the schedule has 3 layers but count is 4"
    ]


def test_schedule_names_must_exist() -> None:
    text = TINY.replace("[attn + mlp]", "[attn + ffn]")
    assert problems(text) == [
        (
            "tiny-gqa.yaml:44: architecture.layers.schedule[0].pattern[0]: 'attn + ffn' is not "
            "'mixer + ffn', 'mixer' or 'ffn' (known names: attn, mlp)"
        )
    ]


def test_unused_mixer_is_reported() -> None:
    text = TINY.replace(
        "  ffns:\n",
        "    spare:\n      kind: mqa\n      heads: 4\n      kv_heads: 1\n"
        "      head_dim: 8\n      position: {kind: nope}\n  ffns:\n",
    )
    assert problems(text) == [
        "tiny-gqa.yaml:35: architecture.mixers.spare: 'spare' is not used by any layer"
    ]


def test_slug_must_match_the_file_name() -> None:
    assert problems(TINY, slug="other") == [
        "other.yaml:3: slug: slug 'tiny-gqa' must match the file name 'other'"
    ]


def test_note_fields_must_exist() -> None:
    text = TINY + textwrap.dedent("""\
        notes:
          - field: architecture.hidden_sizes
            text: A note about a field that does not exist.
    """)
    assert problems(text) == [
        "tiny-gqa.yaml:46: notes[0].field: 'architecture.hidden_sizes' is not a field of this file"
    ]


def test_nested_groups_and_single_purpose_layers() -> None:
    text = TINY.replace(
        "      - repeat: 4\n        pattern: [attn + mlp]\n",
        "      - repeat: 2\n        pattern: [attn, {repeat: 1, pattern: [mlp]}]\n",
    )
    model = load(text).model
    assert model is not None
    assert [s.text for s in model.layers] == ["attn", "mlp", "attn", "mlp"]
    assert layer_mix_text(layer_mix(model)) == "2 GQA and 2 FFN"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("671B", 671 * 10**9),
        ("1.5T", 1_500_000_000_000),
        ("236M", 236_000_000),
        ("3.35B", 3_350_000_000),
    ],
)
def test_parameter_count_suffixes(text: str, value: int) -> None:
    model = load(TINY.replace("  total: 3M", f"  total: {text}")).model
    assert model is not None
    assert model.spec.official_params is not None
    assert model.spec.official_params.total == value


def test_json_schema_covers_every_mixer_kind() -> None:
    schema = json_schema()
    kinds = {
        kind
        for definition in schema["$defs"].values()
        for kind in _kinds(definition.get("properties", {}).get("kind", {}))
    }
    assert {
        "mha",
        "gqa",
        "mqa",
        "mla",
        "gated_deltanet",
        "kimi_delta",
        "lightning",
        "mamba2",
        "dense",
        "moe",
    } <= kinds
    assert schema["$schema"].startswith("https://json-schema.org/")


def _kinds(prop: dict) -> list[str]:
    return prop.get("enum", [prop["const"]] if "const" in prop else [])


@pytest.mark.parametrize("text", ["null\n", "~\n", "--- \n...\n"])
def test_a_null_document_is_reported(text: str) -> None:
    # found by the property tests: a document holding only null used to pass silently
    assert problems(text) == ["tiny-gqa.yaml:1: a model file must be a mapping of fields"]


def test_control_characters_are_refused_where_they_are() -> None:
    # found by the property tests: an escape character in a name broke the diagram's SVG
    text = TINY.replace("name: Tiny GQA", 'name: "Tiny \\e GQA"')
    assert problems(text) == ["tiny-gqa.yaml:4: name: the control character U+001B is not allowed"]


def test_unconfirmed_fields_must_exist_and_be_left_out() -> None:
    text = TINY.replace(
        "architecture:",
        "unconfirmed:\n  - architecture.mixers.attn.qk_norm\n  - architecture.norm.eps\n"
        "  - architecture.mixers.nothing.qk_norm\n  - architecture.norm.colour\n"
        "architecture:",
        1,
    )
    found = problems(text)
    assert len(found) == 3
    assert "unconfirmed[1]: 'architecture.norm.eps' has a value in this file" in found[0]
    assert found[1].endswith(
        "unconfirmed[2]: 'architecture.mixers.nothing.qk_norm' does not lead to a field of this file"
    )
    assert found[2].endswith(
        "unconfirmed[3]: 'architecture.norm.colour' is not a field of the schema"
    )


def test_a_state_precision_needs_a_layer_with_a_state() -> None:
    text = TINY.replace("  tie_embeddings:", "  state_precision: fp32\n  tie_embeddings:")
    [problem] = problems(text)
    assert problem.endswith(
        "architecture.state_precision: no layer of this model keeps a fixed state"
    )
    assert problems(text.replace("fp32", "int4"))[0].startswith("tiny-gqa.yaml:")

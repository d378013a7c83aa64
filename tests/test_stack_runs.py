"""The layer stack: schedules expanded into layers, and the runs of equal layers.

Runs give the spans the diagrams write beside the feed-forward box ("layer 1: dense FFN /
layers 2–61: MoE"), so an off-by-one in them is a wrong number on the page. The cases cover
prefixes of one, two and three layers, suffixes, nested repeats and patterns repeated
exactly twice; the real models close the loop through the diagram's notes.
"""

from __future__ import annotations

import pytest

from sphinx_llmarch.draw.figure import ffn_notes, span_text
from sphinx_llmarch.model.loader import LoadedModel, load_file
from sphinx_llmarch.model.schema import LayerGroup
from sphinx_llmarch.model.stack import (
    LayerSpec,
    Run,
    ScheduleError,
    context,
    expand,
    needs_schedule,
    parse_spec,
    runs,
)

from .conftest import MODELS

MIXERS, FFNS = ["attn", "lin"], ["dense", "moe"]
A, B = LayerSpec("attn", "dense"), LayerSpec("attn", "moe")
L = LayerSpec("lin", "moe")


def group(repeat: int, *pattern: object) -> LayerGroup:
    return LayerGroup.model_validate({"repeat": repeat, "pattern": list(pattern)})


def spans(layers: list[LayerSpec]) -> list[tuple[int, int, str]]:
    return [(r.first, r.last, r.spec.text) for r in runs(layers)]


@pytest.mark.parametrize("prefix", [1, 2, 3])
def test_a_dense_prefix_of_one_two_or_three_layers(prefix: int) -> None:
    layers = [A] * prefix + [B] * 10
    assert spans(layers) == [(1, prefix, "attn + dense"), (prefix + 1, prefix + 10, "attn + moe")]
    [first, rest] = runs(layers)
    assert (first.count, rest.count) == (prefix, 10)


def test_a_suffix_and_a_single_layer_in_the_middle() -> None:
    layers = [B] * 4 + [A] + [B] * 2 + [L] * 3
    assert spans(layers) == [
        (1, 4, "attn + moe"),
        (5, 5, "attn + dense"),
        (6, 7, "attn + moe"),
        (8, 10, "lin + moe"),
    ]


def test_runs_of_one_layer_and_of_none() -> None:
    assert spans([A]) == [(1, 1, "attn + dense")]
    assert spans([A, B, A]) == [
        (1, 1, "attn + dense"),
        (2, 2, "attn + moe"),
        (3, 3, "attn + dense"),
    ]
    assert list(runs([])) == []
    assert Run(7, 7, A).count == 1


def test_nested_repeats_expand_in_order() -> None:
    # 2 x (3 x linear, then attention), then 2 dense layers at the end
    items = [group(2, group(3, "lin + moe"), "attn + moe"), group(2, "attn + dense")]
    layers = expand(items, MIXERS, FFNS)
    assert layers == [L, L, L, B, L, L, L, B, A, A]
    assert spans(layers) == [
        (1, 3, "lin + moe"),
        (4, 4, "attn + moe"),
        (5, 7, "lin + moe"),
        (8, 8, "attn + moe"),
        (9, 10, "attn + dense"),
    ]


def test_a_pattern_repeated_exactly_twice() -> None:
    layers = expand([group(2, "attn + dense", "lin + moe")], MIXERS, FFNS)
    assert layers == [A, L, A, L]
    assert len(spans(layers)) == 4
    assert expand([group(1, "attn + dense")], MIXERS, FFNS) == [A]


def test_expand_collects_unknown_names_with_their_path() -> None:
    errors: list[ScheduleError] = []
    items = ["attn + moe", group(2, "attn + nothing")]
    assert expand(items, MIXERS, FFNS, errors=errors) == [B]
    [error] = errors
    assert error.path == ("architecture", "layers", "schedule", 1, "pattern", 0)
    assert "'attn + nothing'" in error.message


@pytest.mark.parametrize(
    ("text", "spec"),
    [
        ("attn + moe", B),
        ("attn", LayerSpec("attn", None)),
        ("moe", LayerSpec(None, "moe")),
        (" lin+moe ", L),
    ],
)
def test_parse_spec(text: str, spec: LayerSpec) -> None:
    assert parse_spec(text, MIXERS, FFNS) == spec


@pytest.mark.parametrize(
    "text", ["moe + attn", "attn + lin", "moe + dense", "x", "attn + moe + moe"]
)
def test_parse_spec_refuses(text: str) -> None:
    with pytest.raises(ValueError, match="is not 'mixer \\+ ffn'"):
        parse_spec(text, MIXERS, FFNS)


def test_span_text() -> None:
    assert span_text([(1, 1)], 61) == "layer 1"
    assert span_text([(2, 61)], 61) == "layers 2–61"
    assert span_text([(1, 61)], 61) == "all layers"
    assert span_text([(1, 1), (3, 4)], 61) == "layer 1, layers 3–4"
    assert span_text([(1, 1), (3, 3), (5, 5)], 61) == "3 of 61 layers"


def notes(slug: str) -> list[str]:
    model = load_file(MODELS / f"{slug}.yaml").model
    assert model is not None
    return [line.split(":")[0] for line in ffn_notes(model)]


@pytest.mark.parametrize(
    ("slug", "expected"),
    [
        ("kimi-k2", ["layer 1", "layers 2–61"]),  # first_k_dense_replace 1
        ("kimi-linear-48b-a3b", ["layer 1", "layers 2–27"]),  # first_k_dense_replace 1
        ("mimo-v2-flash", ["layer 1", "layers 2–48"]),  # moe_layer_freq [0, 1, 1, ...]
        ("deepseek-v3", ["layers 1–3", "layers 4–61"]),  # first_k_dense_replace 3
        ("ling-2.5-1t", ["layers 1–4", "layers 5–80"]),  # first_k_dense_replace 4
        ("llama-4-maverick", ["24 of 48 layers", "24 of 48 layers"]),  # alternating
    ],
)
def test_the_feed_forward_spans_of_real_models(slug: str, expected: list[str]) -> None:
    assert notes(slug) == expected


def loaded(slug: str) -> LoadedModel:
    model = load_file(MODELS / f"{slug}.yaml").model
    assert model is not None
    return model


def test_what_the_mechanisms_may_ask_of_the_stack() -> None:
    v3 = loaded("deepseek-v3")
    stack = context(v3.spec.architecture, v3.layers)
    assert stack.first_ffn is v3.spec.architecture.ffns["dense"]  # the first layer's FFN
    assert stack.has_local is False
    gemma = loaded("gemma-3-27b")
    assert context(gemma.spec.architecture, gemma.layers).has_local is True


@pytest.mark.parametrize(
    ("slug", "needed"),
    [
        ("llama-3-8b", False),  # one kind of layer
        ("deepseek-v3", False),  # a dense prefix alone
        ("gemma-3-27b", True),  # two kinds of mixer
        ("llama-4-maverick", True),  # dense and MoE alternate: more than two runs
        ("nemotron-3-super-120b-a12b", True),  # layers with a mixer or an FFN only
    ],
)
def test_which_stacks_need_a_schedule(slug: str, needed: bool) -> None:
    model = loaded(slug)
    assert needs_schedule(model.spec.architecture, model.layers) is needed

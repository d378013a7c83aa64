"""The changes a family-tree edge names, from the two models' specs."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from sphinx_llmarch.describe.changes import MINOR, SAME, changes
from sphinx_llmarch.model.loader import LoadedModel, load_file

from .conftest import MODELS, REPO


@cache
def _model(folder: Path, slug: str) -> LoadedModel:
    model = load_file(folder / f"{slug}.yaml").model
    assert model is not None, slug
    return model


def _real(slug: str) -> LoadedModel:
    return _model(REPO / "models", slug)


PAIRS = [
    ("deepseek-v3", "deepseek-r1", [SAME]),
    ("kimi-k2.5", "kimi-k2.6", [MINOR]),  # a norm's epsilon
    ("deepseek-v3", "deepseek-v3.2", ["MLA → MLA + DSA"]),
    (
        "deepseek-v3",
        "kimi-k2",
        [
            "MoE 256×8 → 384×8",
            "− multi-token prediction",
            "RoPE + YaRN: θ 10,000 ×40 → θ 50,000 ×32",
            "context 163,840 → 131,072",
        ],
    ),
    (
        "olmo-2-7b",
        "olmo-3-7b",
        ["+ sliding-window 3:1", "RoPE → RoPE / RoPE + YaRN", "context 4,096 → 65,536"],
    ),
    ("olmo-3-7b", "olmo-3-32b", ["MHA → GQA", "32 → 64 layers", "width 4,096 → 5,120"]),
    ("gpt-oss-120b", "gpt-oss-20b", ["MoE 128×4 → 32×4", "36 → 24 layers"]),
    (
        "qwen3-32b",
        "qwen3-235b-a22b",
        ["dense → MoE 128×8", "64 → 94 layers", "width 5,120 → 4,096"],
    ),
    (
        "qwen3.5-397b",
        "qwen3.6-27b",
        ["MoE 512×10 → dense", "60 → 64 layers", "width 4,096 → 5,120"],
    ),
    (
        "glm-4.7",
        "glm-4.5",
        [
            "RoPE → Partial RoPE",
            "+ QK-norm",
            "+ attention bias",
            "+ multi-token prediction",
            "context 202,752 → 131,072",
        ],
    ),
    (
        "mimo-v2-flash",
        "mimo-v2.5",
        [
            "− multi-token prediction",
            "Partial RoPE: θ 5,000,000 → θ 10,000,000",  # the global layers' base only
            "context 262,144 → 1,048,576",
        ],
    ),
    (
        "minimax-m2.5",
        "minimax-m3",
        [
            "+ block-sparse GQA 19:1",
            "MoE 256×8 → 128×4",
            "shared experts 0 → 1",
            "+ 3 dense FFN layers",
            "multi-token prediction 3 → 1 modules",
            "62 → 60 layers",
            "width 3,072 → 6,144",
            "context 196,608 → 1,048,576",
        ],
    ),
    (
        "qwen3-8b",
        "qwen3-next-80b-a3b",
        [
            "+ Gated DeltaNet 3:1",
            "RoPE → Partial RoPE",
            "dense → MoE 512×10",
            "+ multi-token prediction",
            "36 → 48 layers",
            "width 4,096 → 2,048",
            "context 40,960 → 262,144",
        ],
    ),
    (
        "ling-2.5-1t",
        "ling-3.0-flash",
        [
            "Lightning Attention and MLA → Kimi Delta Attention and MLA",
            "Partial RoPE / RoPE → RoPE",
            "− QK-norm",
            "MoE 256×8 → 512×8",
            "+ multi-token prediction",
            "80 → 42 layers",
            "width 8,192 → 2,560",
            "context 131,072 → 262,144",
        ],
    ),
    (
        "llama-3-8b",
        "gpt2-xl",
        [
            "GQA → MHA",
            "RoPE → Learned positions",
            "+ attention bias",
            "32 → 48 layers",
            "width 4,096 → 1,600",
            "context 8,192 → 1,024",
        ],
    ),
]


@pytest.mark.parametrize(("base", "model", "expected"), PAIRS)
def test_real_pairs(base: str, model: str, expected: list[str]) -> None:
    assert changes(_real(base), _real(model)) == expected


def _pairs() -> list[tuple[str, str]]:
    slugs = {p.stem for p in MODELS.glob("*.yaml")}
    pairs = []
    for slug in sorted(slugs):
        base = _model(MODELS, slug).spec.based_on
        if base in slugs:
            pairs.append((base, slug))
    return pairs


@pytest.mark.parametrize(("base", "model"), _pairs())
def test_every_edge(base: str, model: str) -> None:
    a, b = _model(MODELS, base), _model(MODELS, model)
    forward, backward = changes(a, b), changes(b, a)
    assert changes(b, b) == [SAME]
    assert forward and all(line.strip() == line and line for line in forward)
    assert (forward == [SAME]) == (backward == [SAME])
    assert (forward == [MINOR]) == (backward == [MINOR])
    if forward == [SAME]:  # said only of two architectures equal in every field
        assert a.spec.architecture == b.spec.architecture
    # what one direction adds, the other removes; a swap reads the other way back
    for line in forward:
        if line.startswith("+ ") and not line[2:].rsplit(" ", 1)[-1][:1].isdigit():
            assert f"− {line[2:]}" in backward
        if " → " in line and line.count(" → ") == 1:
            head, _, tail = line.partition(" → ")
            assert any(" → " in other for other in backward), line
            assert head and tail
    # depth and width changes name the two models' own numbers
    if len(a.layers) != len(b.layers):
        assert f"{len(a.layers)} → {len(b.layers)} layers" in forward

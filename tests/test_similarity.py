"""Similar models: after an edit, the lists worked out from the last build's are the lists
worked out from scratch, whatever changed (a model's concepts, size, type or date, a
model added or removed)."""

from __future__ import annotations

import random
from typing import Any

import pytest

from sphinx_llmarch.describe.similarity import all_similar

CONCEPTS = ["gqa", "mla", "moe", "swa", "rope", "nope", "qk-norm", "mamba", "sinks", "mtp"]


def _summary(rng: random.Random) -> dict[str, Any]:
    return {
        "concepts": rng.sample(CONCEPTS, rng.randint(0, 5)),
        # few distinct values: many ties, broken by slug
        "total_params": rng.choice([10**8, 10**9, 8 * 10**9, 10**11]),
        "decoder_type": rng.choice(["dense", "moe"]),
        "release_date": rng.choice(["2023-05-01", "2024-01-02", "2025-07-30", ""]),
    }


def _edit(rng: random.Random, models: dict[str, dict[str, Any]], serial: int) -> None:
    what = rng.choice(["concepts", "params", "type", "date", "add", "remove", "same"])
    slug = rng.choice(sorted(models))
    if what == "add":
        models[f"new-{serial}"] = _summary(rng)
    elif what == "remove" and len(models) > 2:
        del models[slug]
    elif what == "concepts":
        models[slug] = {**models[slug], "concepts": rng.sample(CONCEPTS, 3)}
    elif what == "params":
        models[slug] = {**models[slug], "total_params": rng.choice([10**7, 3 * 10**10])}
    elif what == "type":
        models[slug] = {**models[slug], "decoder_type": "hybrid"}
    elif what == "date":
        models[slug] = {**models[slug], "release_date": "2026-02-03"}


@pytest.mark.parametrize("seed", range(12))
def test_lists_after_edits_are_the_lists_from_scratch(seed: int) -> None:
    rng = random.Random(seed)
    models = {f"m{i:02d}": _summary(rng) for i in range(rng.randint(3, 30))}
    last = all_similar(models)
    for serial in range(25):
        for _ in range(rng.randint(1, 3)):
            _edit(rng, models, serial)
        again = all_similar(models, last=last)
        assert again.lists == all_similar(models).lists
        last = again


def test_the_lists_are_the_most_alike_first() -> None:
    base = {"total_params": 10**9, "decoder_type": "dense", "release_date": "2024-01-02"}
    models = {
        "a": {**base, "concepts": ["gqa", "rope"]},
        "b": {**base, "concepts": ["gqa", "rope"]},  # a's twin
        "c": {**base, "concepts": ["gqa"]},
        "d": {**base, "concepts": ["mla", "moe"], "decoder_type": "moe"},
    }
    assert all_similar(models, n=2)["a"] == ["b", "c"]
    assert all_similar(models, n=3)["d"] == ["a", "b", "c"]  # equal scores: by slug

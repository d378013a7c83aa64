"""How alike two models are, from the concepts they use, their scale, type and age.

Computed from the models' summaries (plain data), once per build for all model pages.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Mapping, Sequence
from typing import Any

Summary = dict[str, Any]


class _Features:
    """What similarity compares, precomputed once per model."""

    __slots__ = ("decoder", "mask", "scale", "size", "year")

    def __init__(self, summary: Summary, index: Mapping[str, int]) -> None:
        self.mask = sum(1 << index[c] for c in summary["concepts"] if c in index)
        self.size = self.mask.bit_count()
        self.scale = math.log10(max(int(summary["total_params"]), 1))
        self.decoder = summary["decoder_type"]
        self.year = int(summary["release_date"][:4]) if summary["release_date"] else None


def _score(a: _Features, b: _Features) -> float:
    union = (a.mask | b.mask).bit_count()
    concepts = (a.mask & b.mask).bit_count() / union if union else 0.0
    scale = 1 - min(abs(a.scale - b.scale) / 2, 1)
    same_type = 1.0 if a.decoder == b.decoder else 0.0
    age = 1 - min(abs(a.year - b.year) / 3, 1) if a.year and b.year else 0.0
    return 0.55 * concepts + 0.2 * scale + 0.15 * same_type + 0.1 * age


def _concept_index(summaries: Sequence[Summary]) -> dict[str, int]:
    """A bit position for every concept the models use."""
    concepts = sorted({c for s in summaries for c in s["concepts"]})
    return {c: i for i, c in enumerate(concepts)}


def all_similar(summaries: Mapping[str, Summary], n: int = 4) -> dict[str, list[str]]:
    """For every model, the ``n`` most alike, best first (ties broken by slug).

    Quadratic in the number of models, with cheap steps (bit masks), and computed once per
    build for all model pages.
    """
    index = _concept_index(list(summaries.values()))
    slugs = sorted(summaries)
    features = [_Features(summaries[slug], index) for slug in slugs]
    scores: list[list[tuple[float, str]]] = [[] for _ in slugs]
    for i in range(len(slugs)):
        for j in range(i + 1, len(slugs)):
            score = _score(features[i], features[j])
            scores[i].append((-score, slugs[j]))
            scores[j].append((-score, slugs[i]))
    return {
        slug: [other for _, other in heapq.nsmallest(n, scores[i])] for i, slug in enumerate(slugs)
    }

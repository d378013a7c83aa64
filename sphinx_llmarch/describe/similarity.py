"""How alike two models are, from the concepts they use, their scale, type and age.

Computed from the models' summaries (plain data), once per build for all model pages;
after an edit, from the last build's lists: only the rows an edited model can enter or
leave are worked out again.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

Summary = dict[str, Any]


class _Features:
    """What similarity compares, precomputed once per model."""

    __slots__ = ("concepts", "decoder", "mask", "scale", "size", "year")

    def __init__(self, summary: Summary, index: Mapping[str, int]) -> None:
        self.concepts = frozenset(summary["concepts"])
        self.mask = sum(1 << index[c] for c in summary["concepts"] if c in index)
        self.size = self.mask.bit_count()
        self.scale = math.log10(max(int(summary["total_params"]), 1))
        self.decoder = summary["decoder_type"]
        self.year = int(summary["release_date"][:4]) if summary["release_date"] else None

    def traits(self) -> tuple[object, ...]:
        """All a score depends on (the bit mask itself varies with the other models)."""
        return (tuple(sorted(self.concepts)), self.scale, self.decoder, self.year)


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


def all_similar(
    summaries: Mapping[str, Summary], n: int = 4, last: Similar | None = None
) -> Similar:
    """For every model, the ``n`` most alike, best first (ties broken by slug).

    Quadratic in the number of models, with cheap steps (bit masks).  ``last``, what an
    earlier call returned (for the same ``n``), makes it linear when few models changed:
    a model none of whose ``n`` changed can only gain a changed one.
    """
    index = _concept_index(list(summaries.values()))
    features = {slug: _Features(summary, index) for slug, summary in summaries.items()}
    traits = {slug: f.traits() for slug, f in features.items()}
    before = last.traits if last is not None else {}
    changed = {slug for slug, t in traits.items() if before.get(slug) != t}
    gone = set(before) - set(traits)
    lists: dict[str, list[str]] = {}
    for slug in sorted(summaries):
        kept = last.lists.get(slug) if last is not None and slug not in changed else None
        if (
            kept is None
            or len(kept) < n
            or not changed.isdisjoint(kept)
            or not gone.isdisjoint(kept)
        ):
            others: Iterable[str] = features  # every other model, worked out again
        else:
            others = [*kept, *changed]
        lists[slug] = _best(slug, others, features, n)
    return Similar(lists, traits)


def _best(slug: str, others: Iterable[str], features: Mapping[str, _Features], n: int) -> list[str]:
    me = features[slug]
    scored = ((-_score(me, features[o]), o) for o in others if o != slug)
    return [other for _, other in heapq.nsmallest(n, scored)]


@dataclass(frozen=True)
class Similar:
    """Each model's most alike models (``lists``), and what they were worked out from."""

    lists: dict[str, list[str]]
    #: per model, what its similarity to any other depends on
    traits: dict[str, tuple[object, ...]]

    def __getitem__(self, slug: str) -> list[str]:
        return self.lists[slug]

"""Plain-data views of a model: summaries, export records, comparison fields, similarity.

Everything here is computed once from a loaded model and its figures, and is plain,
picklable data: the domain stores summaries, the export writes records, comparison
tables and the compare page show the same fields.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Mapping, Sequence
from typing import Any

from . import fmt
from .concepts import concepts_of
from .figures import Figures
from .labels import (
    ACTIVATIONS,
    attention_summary,
    heads_text,
    norm_name,
    position_label,
    unconfirmed_text,
)
from .loader import LoadedModel
from .schema import SCHEMA_VERSION, DenseFFN, MoE, position_of
from .stack import decoder_type, layer_mix, layer_mix_text, used_ffns, used_mixers

Summary = dict[str, Any]


def summary_of(model: LoadedModel, figures: Figures) -> Summary:
    """The facts that overviews, the gallery and the charts use; plain data."""
    spec = model.spec
    arch = spec.architecture
    layers = model.layers
    return {
        "slug": spec.slug,
        "name": spec.name,
        "organisation": spec.organisation or "unknown",
        "family": spec.family or spec.organisation or spec.name,
        "based_on": spec.based_on,
        "release_date": spec.release_date.isoformat() if spec.release_date else "",
        "total_params": figures.total_params,
        "active_params": figures.active_params,
        "kv_cache_bytes_per_token": figures.kv_cache_bytes_per_token,
        "decoder_type": decoder_type(arch, layers),
        "layer_mix": layer_mix_text(layer_mix(arch, layers)),
        "concepts": concepts_of(model),
        "context": spec.context.native,
        "layers": len(layers),
        "hidden_size": arch.hidden_size,
        "compare": {key: value for key, _, value in compare_fields(model, figures)},
    }


def record_of(model: LoadedModel, figures: Figures) -> dict[str, Any]:
    """A model's entry in the export: its file's data, the computed figures, derived labels."""
    spec = model.spec
    arch = spec.architecture
    layers = model.layers
    computed: dict[str, Any] = dict(figures.as_dict())
    computed["kv_cache_bytes_at_native_context"] = figures.kv_cache_bytes(spec.context.native)
    return {
        "slug": spec.slug,
        "data": spec.model_dump(mode="json", exclude_none=True),
        "computed": computed,
        "derived": {
            "decoder_type": decoder_type(arch, layers),
            "layer_mix": layer_mix_text(layer_mix(arch, layers)),
            "attention": attention_summary(arch, used_mixers(arch, layers)),
            "concepts": concepts_of(model),
            "layers": [s.text for s in layers],
        },
        "compare": {key: value for key, _, value in compare_fields(model, figures)},
    }


def export_document(records: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "fields": dict(COMPARE_LABELS.items()),
        "models": list(records),
    }


COMPARE_LABELS: dict[str, str] = {
    "organisation": "Organisation",
    "release_date": "Released",
    "licence": "Licence",
    "total_params": "Total parameters",
    "active_params": "Active parameters",
    "context": "Context",
    "vocab_size": "Vocabulary",
    "hidden_size": "Embedding dimension",
    "layers": "Layers",
    "layer_mix": "Layer mix",
    "decoder_type": "Decoder type",
    "attention": "Attention",
    "heads": "Heads",
    "positions": "Positions",
    "norm": "Norm",
    "ffn": "Feed-forward",
    "experts": "Experts",
    "mtp": "Multi-token prediction",
    "kv_cache": "KV cache per token",
    "based_on": "Based on",
    "unconfirmed": "Not confirmed",
}


def compare_fields(model: LoadedModel, figures: Figures) -> list[tuple[str, str, str]]:
    """(key, label, value) for every row of a comparison table, values as displayed."""
    spec = model.spec
    arch = spec.architecture
    layers = model.layers
    mixers = [arch.mixers[n] for n in used_mixers(arch, layers)]
    ffns = [arch.ffns[n] for n in used_ffns(arch, layers)]
    moes = [f for f in ffns if isinstance(f, MoE)]
    positions = dict.fromkeys(position_label(p) for m in mixers if (p := position_of(m)))
    ffn = "; ".join(
        f"{ACTIVATIONS[f.activation]}, hidden {fmt.count(f.hidden)}"
        if isinstance(f, DenseFFN)
        else f"{ACTIVATIONS[f.activation]} experts, hidden {fmt.count(f.expert_hidden)}"
        for f in ffns
    )
    experts = "none"
    if moes:
        m = moes[0]
        experts = f"{m.experts} routed, {m.active} active"
        if m.shared:
            experts += f", {m.shared.count} shared"
        if m.latent:
            experts += f", latent {fmt.count(m.latent)}"
    total = fmt.params(figures.total_params)
    active = fmt.params(figures.active_params)
    values = {
        "organisation": spec.organisation or "unknown",
        "release_date": spec.release_date.isoformat() if spec.release_date else "unknown",
        "licence": spec.licence.label if spec.licence else "unknown",
        "total_params": total,
        "active_params": f"{active} ({fmt.percent(figures.active_share)})",
        "context": fmt.tokens(spec.context.native),
        "vocab_size": fmt.count(arch.vocab_size),
        "hidden_size": fmt.count(arch.hidden_size),
        "layers": str(len(layers)),
        "layer_mix": layer_mix_text(layer_mix(arch, layers)),
        "decoder_type": decoder_type(arch, layers),
        "attention": attention_summary(arch, used_mixers(arch, layers)),
        "heads": "; ".join(dict.fromkeys(heads_text(m) for m in mixers)),
        "positions": ", ".join(positions) or "none",
        "norm": f"{norm_name(arch)}, {arch.norm.placement}",
        "ffn": ffn,
        "experts": experts,
        "mtp": f"{arch.mtp.modules} module(s)" if arch.mtp else "none",
        "kv_cache": fmt.bytes_iec(figures.kv_cache_bytes_per_token),
        "based_on": spec.based_on or "–",
        "unconfirmed": unconfirmed_text(spec) or "–",
    }
    return [(key, label, values[key]) for key, label in COMPARE_LABELS.items()]


# --------------------------------------------------------------------------- similarity


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


def similarity(a: Summary, b: Summary) -> float:
    """How alike two models are, 0 to 1: shared concepts, scale, decoder type, age."""
    index = _concept_index([a, b])
    return _score(_Features(a, index), _Features(b, index))


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


def most_similar(slug: str, summaries: Mapping[str, Summary], n: int = 4) -> list[str]:
    """The ``n`` models most like ``slug``, best first (ties broken by slug)."""
    index = _concept_index(list(summaries.values()))
    me = _Features(summaries[slug], index)
    scored = (
        (-_score(me, _Features(other, index)), other_slug)
        for other_slug, other in summaries.items()
        if other_slug != slug
    )
    return [other for _, other in heapq.nsmallest(n, scored)]

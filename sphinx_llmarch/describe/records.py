"""Plain-data views of a model: the summary pages and charts use, and its export record.

Everything here is computed once from a loaded model and its figures, and is plain,
picklable data: the domain stores summaries, the export writes records, comparison
tables and the compare page show the same rows (:mod:`.rows`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..model.figures import Figures
from ..model.loader import LoadedModel
from ..model.memory import Coefficients
from ..model.schema import SCHEMA_VERSION
from .changes import aspect_names
from .concepts import concepts_of
from .rows import COMPARE_LABELS, COMPARISON, Row, rows_of

Summary = dict[str, Any]


def compare_values(rows: Mapping[str, Row]) -> dict[str, str]:
    """The values comparisons show, by row key."""
    return {key: rows[key].value for key in COMPARISON}


def summary_of(model: LoadedModel, figures: Figures) -> Summary:
    """The facts that overviews, the gallery and the charts use; plain data."""
    spec = model.spec
    rows = rows_of(model, figures)
    return {
        "slug": spec.slug,
        "name": spec.name,
        "organisation": spec.organisation or "unknown",
        "family": spec.family_name,
        "based_on": spec.based_on,
        "release_date": spec.release_date.isoformat() if spec.release_date else "",
        "total_params": figures.total_params,
        "active_params": figures.active_params,
        "kv_cache_bytes_per_token": figures.kv_cache_bytes_per_token,
        "linear_state_bytes": figures.linear_state_bytes,
        # the counts the model's publishers state, to check the computed ones against
        "official_total": spec.official_params.total if spec.official_params else None,
        "official_active": spec.official_params.active if spec.official_params else None,
        "decoder_type": rows["decoder_type"].value,
        "layer_mix": rows["layer_mix"].value,
        "concepts": concepts_of(model),
        "context": spec.context.native,
        "layers": len(model.layers),
        "vocab": spec.architecture.vocab_size,
        "licence": spec.licence.label if spec.licence else "",
        "about": spec.editorial.summary if spec.editorial and spec.editorial.summary else "",
        "hidden_size": spec.architecture.hidden_size,
        "compare": compare_values(rows),
        # what the compare page's summary line compares
        "aspects": aspect_names(model),
        # what the memory calculators in the browser compute with
        "memory": Coefficients.of(
            figures, maximum=spec.context.native, state=spec.architecture.state_precision
        ).as_dict(),
    }


def record_of(model: LoadedModel, figures: Figures) -> dict[str, Any]:
    """A model's entry in the export: its file's data, the computed figures, derived labels."""
    spec = model.spec
    rows = rows_of(model, figures)
    computed: dict[str, Any] = dict(figures.as_dict())
    computed["kv_cache_bytes_at_native_context"] = figures.kv_cache_bytes(spec.context.native)
    return {
        "slug": spec.slug,
        "data": spec.model_dump(mode="json", exclude_none=True),
        "computed": computed,
        "derived": {
            "decoder_type": rows["decoder_type"].value,
            "layer_mix": rows["layer_mix"].value,
            "attention": rows["attention"].value,
            "concepts": concepts_of(model),
            "layers": [s.text for s in model.layers],
        },
        "compare": compare_values(rows),
    }


def export_document(records: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "fields": dict(COMPARE_LABELS.items()),
        "models": list(records),
    }

"""A model's facts as labelled rows: defined here once, for every view of them.

The fact table of a model page, the comparison tables (hand-written and on demand), the
diagram's footer and description, and the export all take their values from
:func:`rows_of`.  Each row has a plain ``value`` (as comparisons show it and the export
holds it) and a ``cell`` (as the fact table shows it, with links and details; None when
the table leaves the row out for this model).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..mechanisms.words import N_
from ..model.figures import Figures
from ..model.loader import LoadedModel
from ..model.stack import used_ffns, used_mixers
from . import fmt
from .facts import routing
from .labels import attention_summary, decoder_type, layer_mix, layer_mix_text, unconfirmed_text


@dataclass(frozen=True)
class Link:
    text: str
    url: str


Part = str | Link


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    value: str
    cell: tuple[Part, ...] | None = None

    @property
    def parts(self) -> tuple[Part, ...]:
        """The fact table's cell; the plain value when the row has no richer form."""
        return self.cell if self.cell else (self.value,)


LABELS: dict[str, str] = {
    "organisation": "Organisation",
    "release_date": "Released",
    "licence": "Licence",
    "parameters": "Parameters",
    "total_params": "Total parameters",
    "active_params": "Active parameters",
    "context": "Context",
    "vocab_size": "Vocabulary",
    "hidden_size": "Embedding dimension",
    "layers": "Layers",
    "layer_mix": "Layer mix",
    "loop": "Looped depth",
    "decoder_type": "Decoder type",
    "attention": "Attention",
    "heads": "Heads",
    "positions": "Positions",
    "norm": "Norm",
    "residual": "Residual stream",
    "ffn": "Feed-forward",
    "experts": "Experts",
    "mtp": "Multi-token prediction",
    "kv_cache": "KV cache per token",
    "based_on": "Based on",
    "unconfirmed": "Not confirmed",
    "sources": "Sources",
}

#: the rows of a model page's fact table, in order
FACT_TABLE = (
    "organisation",
    "release_date",
    "licence",
    "parameters",
    "context",
    "vocab_size",
    "hidden_size",
    "decoder_type",
    "attention",
    "layer_mix",
    "residual",
    "loop",
    "kv_cache",
    "mtp",
    "unconfirmed",
    "sources",
)

#: the rows of comparisons and of the export's ``compare`` values, in order
COMPARISON = (
    "organisation",
    "release_date",
    "licence",
    "total_params",
    "active_params",
    "context",
    "vocab_size",
    "hidden_size",
    "layers",
    "layer_mix",
    "decoder_type",
    "attention",
    "heads",
    "positions",
    "norm",
    "ffn",
    "experts",
    "mtp",
    "kv_cache",
    "based_on",
    "unconfirmed",
)
COMPARE_LABELS = {key: LABELS[key] for key in COMPARISON}
#: what a comparison's row means where its label alone does not say: written under the
#: table, as visible text (a tooltip would not show on a touch screen)
COMPARE_NOTES = {
    "unconfirmed": N_(
        "details of the model that no official source states (whether its "
        "attention uses QK-norm, say); its file leaves them out rather than guess them."
    ),
}
#: what '–' means in a comparison's cell
NONE_NOTE = N_("– means the model has none.")
#: rows whose value is another model's slug: comparisons show that model's name, linked
MODEL_ROWS = ("based_on",)


def rows_of(model: LoadedModel, figures: Figures) -> dict[str, Row]:
    """Every row of ``model``, by key."""
    # kept with the model: its page, summary, export record and diagram each ask
    kept = model.__dict__.get("_rows")
    if kept is None or kept[0] is not figures:
        values = {**_identity(model), **_architecture(model, figures), **_figures(model, figures)}
        rows = {key: Row(key, LABELS[key], *values[key]) for key in LABELS}
        kept = (figures, rows)
        model.__dict__["_rows"] = kept  # frozen: beside its fields, not one of them
    return dict(kept[1])


def select(rows: dict[str, Row], keys: Sequence[str]) -> list[Row]:
    """The rows ``keys`` names, in that order."""
    return [rows[key] for key in keys]


def table_rows(rows: dict[str, Row]) -> list[Row]:
    """The fact table's rows that this model has."""
    return [row for row in select(rows, FACT_TABLE) if row.cell is not None]


Values = dict[str, tuple[str, tuple[Part, ...] | None]]


def _identity(model: LoadedModel) -> Values:
    spec = model.spec
    org = spec.organisation or "unknown"
    family = f"{org} ({spec.family} family)" if spec.organisation and spec.family else org
    licence = spec.licence.label if spec.licence else "unknown"
    licence_cell: tuple[Part, ...] = (licence,)
    if spec.licence and spec.licence.url:
        licence_cell = (Link(licence, spec.licence.url),)
    links = spec.links
    sources: list[Part] = []
    for label, url in (
        ("config.json", links.config),
        ("report", links.report),
        ("model card", links.model_card),
        ("code", links.code),
    ):
        if url:
            sources += [" · ", Link(label, url)] if sources else [Link(label, url)]
    unconfirmed = unconfirmed_text(spec)
    return {
        "organisation": (org, (family,)),
        "release_date": (spec.release_date.isoformat() if spec.release_date else "unknown", ()),
        "licence": (licence, licence_cell),
        "based_on": (spec.based_on or "–", None),
        "unconfirmed": (
            unconfirmed or "–",
            (f"{unconfirmed} (left out of the data)",) if unconfirmed else None,
        ),
        "sources": (_plain(sources), tuple(sources) or None),
    }


def _architecture(model: LoadedModel, figures: Figures) -> Values:
    spec = model.spec
    arch = spec.architecture
    layers = model.layers
    mixers = [arch.mixers[n] for n in used_mixers(arch, layers)]
    ffns = [arch.ffns[n] for n in used_ffns(arch, layers)]
    positions = dict.fromkeys(p.label() for m in mixers if (p := m.position_scheme()))
    layout = [f.label() for f in arch.features]
    experts = routing(model)
    expert_text = "none"
    if experts:
        expert_text = f"{experts.routed} routed, {experts.active} active"
        if experts.shared:
            expert_text += f", {experts.shared} shared"
        if experts.latent:
            expert_text += f", latent {fmt.count(experts.latent)}"
    loop = arch.loop
    return {
        "loop": (
            loop.short_text() if loop else "none",
            (loop.fact_text(len(layers)),) if loop else None,
        ),
        "vocab_size": (fmt.count(arch.vocab_size), ()),
        "hidden_size": (fmt.count(arch.hidden_size), ()),
        "layers": (str(len(layers)), None),
        "layer_mix": (layer_mix_text(layer_mix(model)), ()),
        "decoder_type": (decoder_type(arch, layers), ()),
        "attention": (attention_summary(arch, used_mixers(arch, layers)), ()),
        "heads": ("; ".join(dict.fromkeys(m.heads_text() for m in mixers)), None),
        "positions": (", ".join(positions) or "none", None),
        "norm": ("; ".join([f"{arch.norm.name}, {arch.norm.placement}", *layout]), None),
        "residual": (
            arch.residual.label() if arch.residual else "one stream",
            (arch.residual.label(),) if arch.residual else None,
        ),
        "ffn": ("; ".join(f.compare_text() for f in ffns), None),
        "experts": (expert_text, None),
    }


def _figures(model: LoadedModel, figures: Figures) -> Values:
    spec = model.spec
    mtp = spec.architecture.mtp
    total, active = fmt.params(figures.total_params), fmt.params(figures.active_params)
    active = _at_most(model) + active
    context = fmt.tokens(spec.context.native)
    context_cell = f"{context} tokens"
    if spec.context.extended:
        context_cell = f"{context} (up to {fmt.tokens(spec.context.extended)} extended) tokens"
    kv = fmt.bytes_iec(figures.kv_cache_bytes_per_token)
    kv_cell = f"{kv} (bf16)"
    state = fmt.bytes_iec(figures.linear_state_bytes)
    if figures.linear_state_bytes and not figures.kv_cache_bytes_per_token:
        kv, kv_cell = "none", f"none: {state} fixed state per sequence (bf16)"
    elif figures.linear_state_bytes:
        kv_cell += f"; plus {state} fixed state per sequence"
    modules = f"{mtp.modules if mtp else 0} module(s)"
    return {
        "parameters": _parameters(model, figures),
        "total_params": (total, None),
        "active_params": (f"{active} ({fmt.percent(figures.active_share)})", None),
        "context": (context, (context_cell,)),
        "kv_cache": (kv, (kv_cell,)),
        "mtp": (
            modules if mtp else "none",
            (f"{modules}, {fmt.params(figures.mtp_params)} parameters (not in the total)",)
            if figures.mtp_params
            else None,
        ),
    }


def _parameters(model: LoadedModel, figures: Figures) -> tuple[str, tuple[Part, ...]]:
    """Computed counts, with the publisher's figures beside them."""
    computed = f"{fmt.params(figures.total_params)} total"
    if figures.active_params != figures.total_params:
        share = fmt.percent(figures.active_share)
        computed += f", {_at_most(model)}{fmt.params(figures.active_params)} active ({share})"
    cell: list[Part] = [computed + " (computed)"]
    official = model.spec.official_params
    if official:
        stated = " / ".join(
            f"{fmt.params(n)} {what}"
            for n, what in ((official.total, "total"), (official.active, "active"))
            if n
        )
        basis = "stated" if official.basis == "stated" else "from the name"
        cell += ["; official: ", Link(stated, official.source), f" ({basis})"]
    return _plain(cell), tuple(cell)


def _at_most(model: LoadedModel) -> str:
    """'at most ' when the active count is an upper bound (see ``FeedForward.active_is_bound``)."""
    arch = model.spec.architecture
    bound = any(arch.ffns[n].active_is_bound() for n in used_ffns(arch, model.layers))
    return "at most " if bound else ""


def _plain(parts: Sequence[Part]) -> str:
    return "".join(p.text if isinstance(p, Link) else p for p in parts)

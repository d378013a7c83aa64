"""The fact table of a model, as plain docutils nodes (works for every builder)."""

from __future__ import annotations

from docutils import nodes

from . import fmt
from .figures import Figures
from .labels import attention_summary, unconfirmed_text
from .loader import LoadedModel
from .schema import ModelSpec
from .stack import decoder_type, layer_mix, layer_mix_text, used_mixers

Cell = list[nodes.Node]


def _text(value: str) -> Cell:
    return [nodes.Text(value)]


def _link(label: str, url: str) -> nodes.reference:
    return nodes.reference("", label, refuri=url, internal=False)


def _joined(parts: list[nodes.Node], sep: str = " · ") -> Cell:
    out: Cell = []
    for i, part in enumerate(parts):
        if i:
            out.append(nodes.Text(sep))
        out.append(part)
    return out


def params_cell(model: LoadedModel, figures: Figures) -> Cell:
    """Computed counts, with the publisher's figures beside them."""
    computed = f"{fmt.params(figures.total_params)} total"
    if figures.active_params != figures.total_params:
        computed += (
            f", {fmt.params(figures.active_params)} active ({fmt.percent(figures.active_share)})"
        )
    cell = _text(computed + " (computed)")
    official = model.spec.official_params
    if official:
        stated = " / ".join(
            f"{fmt.params(n)} {what}"
            for n, what in ((official.total, "total"), (official.active, "active"))
            if n
        )
        basis = "stated" if official.basis == "stated" else "from the name"
        cell += [
            nodes.Text("; official: "),
            _link(stated, official.source),
            nodes.Text(f" ({basis})"),
        ]
    return cell


def family_of(spec: ModelSpec) -> str:
    return spec.family or spec.organisation or spec.name


def organisation_text(spec: ModelSpec) -> str:
    if not spec.organisation:
        return "unknown"
    return spec.organisation + (f" ({spec.family} family)" if spec.family else "")


def fact_rows(model: LoadedModel, figures: Figures) -> list[tuple[str, Cell]]:
    spec = model.spec
    arch = spec.architecture
    layers = model.layers
    licence: Cell = _text("unknown")
    if spec.licence:
        label = spec.licence.label
        licence = [_link(label, spec.licence.url)] if spec.licence.url else _text(label)
    context = fmt.tokens(spec.context.native)
    if spec.context.extended:
        context += f" (up to {fmt.tokens(spec.context.extended)} extended)"
    kv = f"{fmt.bytes_iec(figures.kv_cache_bytes_per_token)} (bf16)"
    if figures.linear_state_bytes:
        kv += f"; plus {fmt.bytes_iec(figures.linear_state_bytes)} fixed state per sequence"
    links = spec.links
    sources = [
        _link(label, url)
        for label, url in (
            ("config.json", links.config),
            ("report", links.report),
            ("model card", links.model_card),
            ("code", links.code),
        )
        if url
    ]
    rows: list[tuple[str, Cell]] = [
        ("Organisation", _text(organisation_text(spec))),
        ("Released", _text(spec.release_date.isoformat() if spec.release_date else "unknown")),
        ("Licence", licence),
        ("Parameters", params_cell(model, figures)),
        ("Context", _text(context + " tokens")),
        ("Vocabulary", _text(fmt.count(arch.vocab_size))),
        ("Embedding dimension", _text(fmt.count(arch.hidden_size))),
        ("Decoder type", _text(decoder_type(arch, layers))),
        ("Attention", _text(attention_summary(arch, used_mixers(arch, layers)))),
        ("Layer mix", _text(layer_mix_text(layer_mix(arch, layers)))),
        ("KV cache per token", _text(kv)),
    ]
    if figures.mtp_params:
        rows.append(
            (
                "Multi-token prediction",
                _text(
                    f"{arch.mtp.modules if arch.mtp else 0} module(s), "
                    f"{fmt.params(figures.mtp_params)} parameters (not in the total)"
                ),
            )
        )
    if spec.unconfirmed:
        rows.append(("Not confirmed", _text(f"{unconfirmed_text(spec)} (left out of the data)")))
    if sources:
        rows.append(("Sources", _joined(list(sources))))
    return rows


def fact_table(rows: list[tuple[str, Cell]], classes: list[str] | None = None) -> nodes.table:
    table = nodes.table(classes=["llmarch-facts", *(classes or [])])
    group = nodes.tgroup(cols=2)
    table += group
    group += nodes.colspec(colwidth=28, stub=1)
    group += nodes.colspec(colwidth=72)
    body = nodes.tbody()
    group += body
    for label, cell in rows:
        row = nodes.row()
        row += nodes.entry("", nodes.paragraph("", label))
        row += nodes.entry("", nodes.paragraph("", "", *cell))
        body += row
    return table


def summary_of(model: LoadedModel, figures: Figures) -> dict[str, str | int]:
    """The few facts the overview tables show, as plain (picklable) data."""
    spec = model.spec
    arch = spec.architecture
    return {
        "name": spec.name,
        "organisation": spec.organisation or "unknown",
        "family": family_of(spec),
        "release_date": spec.release_date.isoformat() if spec.release_date else "",
        "total_params": figures.total_params,
        "active_params": figures.active_params,
        "kv_cache_bytes_per_token": figures.kv_cache_bytes_per_token,
        "decoder_type": decoder_type(arch, model.layers),
        "layer_mix": layer_mix_text(layer_mix(arch, model.layers)),
    }


OVERVIEW_COLUMNS = (
    "Model",
    "Organisation",
    "Released",
    "Parameters",
    "Decoder type",
    "Layer mix",
    "KV cache / token",
)


def overview_row(summary: dict[str, str | int], name_cell: nodes.Node) -> list[Cell]:
    total, active = int(summary["total_params"]), int(summary["active_params"])
    params = fmt.params(total) + (f" ({fmt.params(active)} active)" if active != total else "")
    return [
        [name_cell],
        _text(str(summary["organisation"])),
        _text(str(summary["release_date"]) or "unknown"),
        _text(params),
        _text(str(summary["decoder_type"])),
        _text(str(summary["layer_mix"])),
        _text(fmt.bytes_iec(int(summary["kv_cache_bytes_per_token"]))),
    ]


def overview_table(rows: list[list[Cell]]) -> nodes.table:
    table = nodes.table(classes=["llmarch-overview"])
    group = nodes.tgroup(cols=len(OVERVIEW_COLUMNS))
    table += group
    for _ in OVERVIEW_COLUMNS:
        group += nodes.colspec(colwidth=10)
    head = nodes.thead()
    header = nodes.row()
    for title in OVERVIEW_COLUMNS:
        header += nodes.entry("", nodes.paragraph("", title))
    head += header
    group += head
    body = nodes.tbody()
    group += body
    for cells in rows:
        row = nodes.row()
        for cell in cells:
            row += nodes.entry("", nodes.paragraph("", "", *cell))
        body += row
    return table

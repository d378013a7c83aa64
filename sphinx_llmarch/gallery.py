"""HTML of the views built from every model: the gallery's cards and the overview table.

Both are complete in the HTML (they work with scripts off); ``llmarch.js`` adds sorting,
filtering and search, with the state in the page's URL.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from typing import Any

from . import fmt
from .concepts import CONCEPTS
from .nodes import image_name

Summary = Mapping[str, Any]
Link = Callable[[str], str]  # slug or path → URI relative to the current page

#: concept keys a reader can filter the gallery by, as "attention kind"
ATTENTION_FILTERS = (
    "mha",
    "gqa",
    "mqa",
    "mla",
    "dsa",
    "sliding-window",
    "chunked",
    "gated-attention",
    "gated-deltanet",
    "kimi-delta",
    "lightning",
    "mamba2",
)


def _attr(name: str, value: object) -> str:
    return f' {name}="{html.escape(str(value), quote=True)}"'


def scale_text(summary: Summary) -> str:
    total, active = int(summary["total_params"]), int(summary["active_params"])
    if active == total:
        return f"{fmt.params(total)} parameters"
    return f"{fmt.params(total)} total, {fmt.params(active)} active"


def _data(summary: Summary) -> str:
    concepts = [c for c in summary["concepts"] if c in ATTENTION_FILTERS]
    words = " ".join(
        [
            summary["name"],
            summary["organisation"],
            summary["family"],
            summary["decoder_type"],
            summary["layer_mix"],
            *(CONCEPTS[c] for c in summary["concepts"]),
        ]
    )
    return "".join(
        [
            _attr("data-slug", summary["slug"]),
            _attr("data-name", summary["name"]),
            _attr("data-org", summary["organisation"]),
            _attr("data-date", summary["release_date"]),
            _attr("data-year", summary["release_date"][:4]),
            _attr("data-total", summary["total_params"]),
            _attr("data-active", summary["active_params"]),
            _attr("data-kv", summary["kv_cache_bytes_per_token"]),
            _attr("data-decoder", summary["decoder_type"]),
            _attr("data-attention", " ".join(concepts)),
            _attr("data-search", words.lower()),
        ]
    )


def gallery_html(
    summaries: Mapping[str, Summary], page: Link, static: Link, compare: str | None
) -> str:
    """The card grid, newest first, with sphinx-design's grid and card classes."""
    ordered = sorted(summaries.values(), key=lambda s: (s["release_date"], s["slug"]), reverse=True)
    cards = []
    for s in ordered:
        slug, name = s["slug"], html.escape(s["name"])
        url = page(slug)
        thumbs = "".join(
            f'<img class="llmarch-thumb only-{theme}" loading="lazy" decoding="async"'
            f"{_attr('src', static(image_name(slug, 'thumb', theme)))}"
            f"{_attr('alt', 'Diagram of ' + s['name'])}>"
            for theme in ("light", "dark")
        )
        actions = ""
        if compare is not None:
            actions = (
                '<p class="llmarch-card-actions">Compare as '
                f'<a class="llmarch-pick"{_attr("href", f"{compare}?a={slug}")} data-pick="a">A</a>'
                f' · <a class="llmarch-pick"{_attr("href", f"{compare}?b={slug}")} '
                'data-pick="b">B</a></p>'
            )
        cards.append(
            f'<div class="sd-col sd-d-flex-row llmarch-card"{_data(s)}>'
            '<div class="sd-card sd-sphinx-override sd-w-100 sd-shadow-sm">'
            f'<a class="llmarch-card-thumb"{_attr("href", url)}>{thumbs}</a>'
            '<div class="sd-card-body">'
            f'<p class="sd-card-title sd-font-weight-bold"><a{_attr("href", url)}>{name}</a></p>'
            f'<p class="llmarch-card-meta">{html.escape(s["organisation"])}'
            f" · {html.escape(s['release_date'] or 'date unknown')}</p>"
            f'<p class="llmarch-card-scale">{html.escape(scale_text(s))}</p>'
            f'<p class="llmarch-card-type">{html.escape(s["decoder_type"])}'
            f" · {html.escape(s['layer_mix'])}</p>"
            f"{actions}</div></div></div>"
        )
    return (
        '<div class="llmarch-gallery" data-llmarch-gallery>'
        f'<p class="llmarch-count-line">{len(cards)} models</p>'
        '<div class="sd-container-fluid sd-sphinx-override sd-mb-4">'
        '<div class="sd-row sd-row-cols-1 sd-row-cols-xs-1 sd-row-cols-sm-2 sd-row-cols-md-2 '
        'sd-row-cols-lg-3 sd-g-3 llmarch-cards">' + "".join(cards) + "</div></div></div>"
    )


OVERVIEW = (
    ("name", "Model"),
    ("organisation", "Organisation"),
    ("date", "Released"),
    ("total", "Total"),
    ("active", "Active"),
    ("decoder", "Decoder type"),
    ("mix", "Layer mix"),
    ("kv", "KV cache / token"),
    ("context", "Context"),
)


def overview_html(summaries: Mapping[str, Summary], page: Link) -> str:
    """One row per model; the numeric columns carry raw values for sorting."""
    rows = []
    for s in sorted(summaries.values(), key=lambda s: (s["release_date"], s["slug"])):
        cells = [
            (s["name"], f"<a{_attr('href', page(s['slug']))}>{html.escape(s['name'])}</a>"),
            (s["organisation"], html.escape(s["organisation"])),
            (s["release_date"], html.escape(s["release_date"] or "unknown")),
            (s["total_params"], fmt.params(int(s["total_params"]))),
            (s["active_params"], fmt.params(int(s["active_params"]))),
            (s["decoder_type"], html.escape(s["decoder_type"])),
            (s["layers"], html.escape(s["layer_mix"])),
            (s["kv_cache_bytes_per_token"], fmt.bytes_iec(int(s["kv_cache_bytes_per_token"]))),
            (s["context"], fmt.tokens(int(s["context"]))),
        ]
        rows.append(
            "<tr>"
            + "".join(f"<td{_attr('data-value', raw)}>{text}</td>" for raw, text in cells)
            + "</tr>"
        )
    head = "".join(
        f'<th{_attr("data-key", key)}><button type="button">{label}</button></th>'
        for key, label in OVERVIEW
    )
    return (
        '<div class="llmarch-overview-wrap"><table class="llmarch-overview docutils" '
        "data-llmarch-sortable>"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )

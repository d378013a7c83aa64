"""HTML of the views built from every model: gallery cards, the overview table, the compare
page.  Rendered from the Jinja2 templates in ``templates/``, which escape every value.

All are complete in the HTML (they work with scripts off); ``llmarch.js`` adds sorting,
filtering and search, with the state in the page's URL.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from ..describe import fmt
from ..describe.concepts import all_concepts, concept_entries, search_names
from .diagramfiles import image_name
from .export import DATA_SCRIPT
from .i18n import N_, label, plural

Summary = Mapping[str, Any]
Link = Callable[[str], str]  # slug or path → URI relative to the current page
#: a model's page from the current page; None where the output has no such page
PageLink = Callable[[str], str | None]

TEMPLATES = Path(__file__).parent / "templates"


@cache
def _templates() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
    )
    # {{ _("…") }} in a template: a message of the extension's catalogue
    env.install_gettext_callables(gettext=label, ngettext=plural, newstyle=True)  # type: ignore[attr-defined]
    return env


def render(template: str, **context: Any) -> str:
    return _templates().get_template(template).render(**context)


def scale_text(summary: Summary) -> str:
    total, active = int(summary["total_params"]), int(summary["active_params"])
    if active == total:
        return f"{fmt.params(total)} parameters"
    return f"{fmt.params(total)} total, {fmt.params(active)} active"


def kv_text(summary: Summary) -> str:
    return f"{fmt.bytes_iec(int(summary['kv_cache_bytes_per_token']))} per token"


def search_text(summary: Summary, names: Mapping[str, Sequence[str]]) -> str:
    """Everything a reader may type to find the model: each field its card shows, the
    names and abbreviations of the mechanisms it uses, its sizes as they are quoted."""
    total, active = int(summary["total_params"]), int(summary["active_params"])
    words = [
        summary["name"],
        summary["organisation"],
        summary["family"],
        summary["release_date"],
        summary["decoder_type"],
        summary["layer_mix"],
        *(name for c in summary["concepts"] for name in names.get(c, ())),
        summary["licence"],
        f"{fmt.tokens_short(int(summary['context']))} context",
        f"{fmt.params(total)} total" if active != total else f"{fmt.params(total)} dense",
        f"{fmt.params(active)} active",
        f"KV cache {kv_text(summary)}",
        f"{fmt.count(int(summary['vocab']))} vocabulary",
    ]
    return " · ".join(w for w in words if w).lower()


def _sort_values(summary: Summary) -> dict[str, str]:
    """What the card shows of the value the gallery is sorted by, by sort key."""
    total, active = int(summary["total_params"]), int(summary["active_params"])
    date = summary["release_date"] or "date unknown"
    return {
        "date": f"Released {date}",
        "date-asc": f"Released {date}",
        "total": f"{fmt.params(total)} parameters in total",
        "active": f"{fmt.params(active)} parameters active per token",
        "kv": f"KV cache {kv_text(summary)}",
        "context": f"{fmt.tokens_short(int(summary['context']))} tokens of context",
    }


def _data(
    summary: Summary, names: Mapping[str, Sequence[str]], filters: Collection[str]
) -> list[tuple[str, object]]:
    """The card's data-* values: what the scripts sort, filter and search by."""
    attention = [c for c in summary["concepts"] if c in filters]
    return [
        ("data-slug", summary["slug"]),
        ("data-name", summary["name"]),
        ("data-org", summary["organisation"]),
        ("data-date", summary["release_date"]),
        ("data-year", summary["release_date"][:4]),
        ("data-total", summary["total_params"]),
        ("data-active", summary["active_params"]),
        ("data-kv", summary["kv_cache_bytes_per_token"]),
        ("data-context", summary["context"]),
        ("data-decoder", summary["decoder_type"]),
        ("data-attention", " ".join(attention)),
        ("data-search", search_text(summary, names)),
        ("data-sort-values", json.dumps(_sort_values(summary))),
    ]


def gallery_html(
    summaries: Mapping[str, Summary], page: PageLink, static: Link, compare: str | None
) -> str:
    """The card grid, newest first."""
    titles = all_concepts()
    names = search_names()
    filters = {c.key for c in concept_entries() if c.facet == "attention"}
    ordered = sorted(summaries.values(), key=lambda s: (s["release_date"], s["slug"]), reverse=True)
    cards = [
        {
            "slug": s["slug"],
            "name": s["name"],
            "url": page(s["slug"]),
            "data": _data(s, names, filters),
            "thumbs": [
                (theme, static(image_name(s["slug"], "thumb", theme)))
                for theme in ("light", "dark")
            ],
            "organisation": s["organisation"],
            "date": s["release_date"],
            "scale": scale_text(s),
            "decoder": s["decoder_type"],
            "mix": s["layer_mix"],
            "facts": [
                f"{fmt.tokens_short(int(s['context']))} context",
                f"{fmt.count(int(s['vocab']))} vocabulary",
                f"KV cache {kv_text(s)}",
            ],
            "licence": s["licence"],
            "about": s["about"],
        }
        for s in ordered
    ]
    # the filters show each mechanism by its readable name, not its key
    labels = {key: titles[key] for key in sorted(filters) if key in titles}
    return render("gallery.html", cards=cards, compare=compare, labels=labels)


OVERVIEW = (
    ("name", N_("Model")),
    ("organisation", N_("Organisation")),
    ("date", N_("Released")),
    ("total", N_("Total")),
    ("active", N_("Active")),
    ("decoder", N_("Decoder type")),
    ("mix", N_("Layer mix")),
    ("kv", N_("KV cache / token")),
    ("context", N_("Context")),
)
#: shorter headings where the full one would widen its column (the full one is its title)
OVERVIEW_SHORT = {"kv": N_("KV cache")}


def overview_html(summaries: Mapping[str, Summary], page: PageLink) -> str:
    """One row per model, oldest first; a cell's text is (what it shows, its title)."""
    rows = [
        {
            "name": s["name"],
            "url": page(s["slug"]),
            "cells": [
                (s["organisation"], s["organisation"], None),
                (s["release_date"], s["release_date"] or "unknown", None),
                (s["total_params"], fmt.params(int(s["total_params"])), None),
                (s["active_params"], fmt.params(int(s["active_params"])), None),
                (s["decoder_type"], s["decoder_type"], None),
                (s["layers"], s["layer_mix"], None),
                (
                    s["kv_cache_bytes_per_token"],
                    fmt.bytes_iec(int(s["kv_cache_bytes_per_token"])),
                    None,
                ),
                (
                    s["context"],
                    fmt.tokens_short(int(s["context"])),
                    f"{fmt.tokens(int(s['context']))} tokens",
                ),
            ],
        }
        for s in sorted(summaries.values(), key=lambda s: (s["release_date"], s["slug"]))
    ]
    columns = [
        (key, label(text), label(OVERVIEW_SHORT[key]) if key in OVERVIEW_SHORT else None)
        for key, text in OVERVIEW
    ]
    return render("overview.html", columns=columns, rows=rows)


def compare_app_html(summaries: Mapping[str, Summary], static: Link) -> str:
    """Two pickers, the diagrams and the difference table; ``llmarch.js`` fills them."""
    options = [
        (slug, s["name"]) for slug, s in sorted(summaries.items(), key=lambda i: i[1]["name"])
    ]
    return render("compare-app.html", options=options, data=static(DATA_SCRIPT))


def poster_html(svg: str, files: Mapping[tuple[Any, str], str]) -> str:
    """The poster (SVG drawn for the page's theme) in its frame, and links to its files."""
    return render("poster.html", svg=svg, files=files)


def compare_with_html(
    slug: str, summaries: Mapping[str, Summary], action: str, similar: list[str], names: str
) -> str:
    """A model page's form that opens the compare page with ``slug`` as model A; its
    picker offers the similar models, and every model once ``names`` (the script of every
    model's name) has loaded."""
    linked = [(other, summaries[other]["name"]) for other in similar if other in summaries]
    return render(
        "compare-with.html",
        slug=slug,
        name=summaries[slug]["name"],
        action=action,
        similar=linked,
        names=names,
    )

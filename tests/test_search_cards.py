"""What the gallery's filter box searches, what the cards show, and what the site search
indexes: every model's card text (its mechanisms by their names and abbreviations, its
licence, its context as '128k'), and search objects without duplicates or broken anchors."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from sphinx_llmarch.describe import fmt
from sphinx_llmarch.describe.concepts import concept_entries, search_names, search_title
from sphinx_llmarch.describe.records import summary_of
from sphinx_llmarch.ext.domain import domain_of
from sphinx_llmarch.ext.html import search_text
from sphinx_llmarch.model.figures import compute
from sphinx_llmarch.model.loader import load_file

from .conftest import MODELS, html

PATHS = sorted(MODELS.glob("*.yaml"))

#: a mechanism's concept key → names a reader types for it, which its entry must give
ALIASES = {
    "sliding-window": ("swa", "sliding window", "local attention"),
    "mla": ("mla", "latent attention"),
    "moe": ("moe", "mixture of experts"),
    "gqa": ("gqa",),
    "gated-deltanet": ("gdn", "linear attention"),
    "kimi-delta": ("kda", "linear attention"),
    "mamba2": ("ssm", "mamba"),
    "dsa": ("dsa", "sparse attention"),
}


def _summary(path: Path) -> dict[str, object]:
    model = load_file(path).model
    assert model is not None
    return summary_of(model, compute(model))


@pytest.mark.parametrize(
    ("tokens", "text"),
    [(131072, "128k"), (1048576, "1M"), (200000, "200k"), (40960, "40k"), (1000000, "1M")],
)
def test_context_lengths_are_written_as_readers_quote_them(tokens: int, text: str) -> None:
    assert fmt.tokens_short(tokens) == text


def test_each_concept_is_found_by_its_abbreviation_and_aliases() -> None:
    names = {key: [n.lower() for n in found] for key, found in search_names().items()}
    for key, wanted in ALIASES.items():
        for name in wanted:
            assert any(name in n for n in names[key]), (key, name)
    # the abbreviation in a title's brackets is a name of its own
    assert "mla" in names["mla"] and "moe" in names["moe"]
    assert (
        "swa"
        in search_title(next(c for c in concept_entries() if c.key == "sliding-window")).lower()
    )


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_every_card_is_found_by_what_it_shows_and_its_mechanisms(path: Path) -> None:
    summary = _summary(path)
    text = search_text(summary, search_names())
    assert str(summary["name"]).lower() in text
    assert str(summary["organisation"]).lower() in text
    assert f"{fmt.tokens_short(int(summary['context']))} context".lower() in text  # type: ignore[call-overload]
    assert "kv cache" in text
    if summary["release_date"]:
        assert str(summary["release_date"])[:4] in text
    if summary["licence"]:
        assert str(summary["licence"]).lower() in text
    assert fmt.params(int(summary["active_params"])).lower() in text  # type: ignore[call-overload]
    for key in summary["concepts"]:  # type: ignore[attr-defined]
        for name in ALIASES.get(key, ()):
            assert name in text, (key, name)


def test_the_filter_box_words_from_the_issue_find_models() -> None:
    """'SWA', 'Apache', '128k', 'MoE', 'MLA' each find some model and miss another."""
    texts = [search_text(_summary(p), search_names()) for p in PATHS]
    for word in ("swa", "apache", "128k", "moe", "mla", "kv cache"):
        found = sum(word in t for t in texts)
        assert found > 0, word
        if word != "kv cache":
            assert found < len(texts), word


pytestmark_gallery = pytest.mark.sphinx("html", testroot="gallery", freshenv=True)


@pytestmark_gallery
def test_cards_show_context_vocabulary_licence_kv_and_sort_values(app) -> None:
    app.build()
    page = html(app, "gallery")
    cards = re.findall(r'<div class="sd-col sd-d-flex-row llmarch-card"([^>]*)>', page)
    assert cards
    for attrs in cards:
        data = dict(re.findall(r'data-([\w-]+)="([^"]*)"', attrs))
        values = json.loads(data["sort-values"].replace("&#34;", '"'))
        assert set(values) >= {"kv", "active", "total", "context", "date-asc"}
        assert values["kv"].startswith("KV cache ") and values["kv"].endswith(" per token")
        assert int(data["context"]) > 0
    assert page.count('class="llmarch-card-facts"') == len(cards)
    assert " context</span>" in page and " vocabulary</span>" in page
    assert "KV cache " in page


@pytestmark_gallery
def test_search_objects_are_unique_and_point_at_real_anchors(app) -> None:
    app.build()
    objects = list(domain_of(app.env).get_objects())
    searched = [o for o in objects if o[5] >= 0]
    keys = [(o[0], o[2]) for o in searched]
    assert len(keys) == len(set(keys))
    # a model with a page is found by its title, not listed a second time as an object
    assert not [
        o
        for o in searched
        if o[2] == "model" and o[3] in {d for d, *_ in domain_of(app.env).pages.values()}
    ]
    for name, _, _kind, docname, anchor, _ in searched:
        assert anchor, name  # an empty anchor makes the search link to '#<name>'
        assert f'id="{anchor}"' in html(app, docname), (name, docname, anchor)
    concepts = {o[0]: o for o in searched if o[2] == "concept"}
    assert "mla" in concepts and concepts["mla"][4] == "llmarch-concept-mla"
    assert concepts["mla"][5] == 0  # first in the search
    # the model pages carry index entries for their mechanisms' names, the search finds them by
    index = (Path(app.outdir) / "searchindex.js").read_text(encoding="utf-8")
    data = json.loads(index[index.index("(") + 1 : index.rindex(")")])
    assert "mla" in data["indexentries"]
    docnames = data["docnames"]
    pages = {docnames[f] for f, *_ in data["indexentries"]["mla"]}
    assert "models/tiny-mla" in pages and "models/tiny-gqa" not in pages


@pytestmark_gallery
def test_search_summaries_are_prose_from_a_small_file(app) -> None:
    app.build()
    assert app.config.html_show_search_summary is False
    script = (Path(app.outdir) / "_static/llmarch-summaries.js").read_text(encoding="utf-8")
    texts = json.loads(script.removeprefix("window.llmarchSummaries = ").rstrip().rstrip(";"))
    assert texts["article"].startswith("tiny-gqa has")
    assert all(0 < len(text) <= 240 for text in texts.values())
    # not table or diagram text: the decoder type is in the model page's fact table only
    assert all("Sparse MoE" not in text for text in texts.values())
    assert len(script) < 100_000


@pytestmark_gallery
def test_pages_built_from_every_model_are_not_indexed_by_their_cards_and_cells(app) -> None:
    """The gallery's cards and the overview's cells repeat the model pages: searching a
    model's name finds its page, not every list that names it."""
    app.build()
    index = (Path(app.outdir) / "searchindex.js").read_text(encoding="utf-8")
    data = json.loads(index[index.index("(") + 1 : index.rindex(")")])
    docnames = data["docnames"]
    lists = {docnames.index(d) for d in ("gallery", "overview")}
    for term in ("tiny", "vocabulary", "kib"):
        files = data["terms"].get(term, [])
        files = [files] if isinstance(files, int) else files
        assert not lists & set(files), term
    assert 'class="no-search"' in html(app, "gallery")

"""The gallery's filter box and the site search, in a real browser, on the project's site:
the filter finds models by a mechanism's abbreviation, a licence, a context length; "Clear
filters" and the message when nothing matches; the value the cards are sorted by; the site
search for "MLA" lists the concept and an MLA model first and transfers under 1 MB.
Skipped like the other browser tests where there is no Chromium.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sphinx_llmarch.describe import fmt
from sphinx_llmarch.describe.records import summary_of
from sphinx_llmarch.model.figures import compute
from sphinx_llmarch.model.loader import load_file

from . import test_browser
from .conftest import MODELS
from .test_browser import Watched, visible_cards

browser, tab = test_browser.browser, test_browser.tab


@functools.cache
def summaries() -> dict[str, dict[str, Any]]:
    out = {}
    for path in sorted(MODELS.glob("*.yaml")):
        model = load_file(path).model
        assert model is not None
        out[model.spec.slug] = summary_of(model, compute(model))
    return out


@pytest.fixture(scope="module")
def served(site: Path) -> Iterator[str]:
    """The built site over HTTP, so that the browser reports each response's size."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def shown(page: Any, gallery: set[str]) -> set[str]:
    return set(visible_cards(page)) & gallery


def test_the_filter_box_finds_models_by_mechanism_licence_and_context(
    tab: Watched, site: Path
) -> None:
    page = tab.open(site, "gallery.html")
    gallery = set(page.eval_on_selector_all(".llmarch-card", "cs => cs.map(c => c.dataset.slug)"))
    known = {slug: s for slug, s in summaries().items() if slug in gallery}
    expected = {
        "SWA": {k for k, s in known.items() if "sliding-window" in s["concepts"]},
        "Apache": {k for k, s in known.items() if "apache" in s["licence"].lower()},
        "128k": {k for k, s in known.items() if fmt.tokens_short(s["context"]) == "128k"},
    }
    box = page.locator(".llmarch-controls input[type=search]")
    for word, models in expected.items():
        assert models, word
        box.fill(word)
        assert shown(page, gallery) == models, word
        assert page.locator(".llmarch-no-match").is_hidden()
        assert page.locator(".llmarch-controls .llmarch-clear-filters").is_visible()
    # clear takes back the words and the filters, not the order
    page.select_option(".llmarch-controls select[name=sort]", "kv")
    page.click(".llmarch-controls .llmarch-clear-filters")
    assert box.input_value() == "" and len(visible_cards(page)) == len(gallery)
    assert "q=" not in page.url and "sort=kv" in page.url
    assert page.locator(".llmarch-controls .llmarch-clear-filters").is_hidden()
    assert tab.problems == []


def test_nothing_found_says_what_was_searched_and_offers_to_clear(tab: Watched, site: Path) -> None:
    page = tab.open(site, "gallery.html?q=zzzqqq&decoder=Dense")
    assert visible_cards(page) == []
    message = page.locator(".llmarch-no-match")
    assert message.is_visible()
    assert "“zzzqqq”" in message.inner_text() and "Decoder type: Dense" in message.inner_text()
    message.locator("button").click()
    assert message.is_hidden() and len(visible_cards(page)) > 0
    assert tab.problems == []


def test_the_cards_show_the_value_they_are_sorted_by(tab: Watched, site: Path) -> None:
    page = tab.open(site, "gallery.html?sort=kv")
    first = visible_cards(page)[0]
    line = page.locator(f'.llmarch-card[data-slug="{first}"] .llmarch-sort-value')
    kv = fmt.bytes_iec(summaries()[first]["kv_cache_bytes_per_token"])
    assert line.inner_text() == f"KV cache {kv} per token"
    page.select_option(".llmarch-controls select[name=sort]", "context")
    first = visible_cards(page)[0]
    line = page.locator(f'.llmarch-card[data-slug="{first}"] .llmarch-sort-value')
    assert fmt.tokens_short(summaries()[first]["context"]) in line.inner_text()
    # every shown card explains its place, and only one line each
    cards = len(visible_cards(page))
    assert page.locator(".llmarch-card:not([hidden]) .llmarch-sort-value").count() == cards
    page.select_option(".llmarch-controls select[name=sort]", "date")
    assert page.locator(".llmarch-sort-value").count() == 0  # the date is on every card
    assert tab.problems == []


def test_site_search_for_mla_lists_the_concept_and_a_model_first_and_is_light(
    tab: Watched, served: str
) -> None:
    page = tab.page
    sizes: list[int] = []

    def note(response: Any) -> None:
        body = response.body() if response.ok else b""
        sizes.append(len(body))

    page.on("response", note)
    page.goto(served + "search.html?q=MLA")
    page.wait_for_selector("#search-results .search-summary, #search-results p.search-summary")
    page.wait_for_function(
        "() => document.querySelector('#search-results ul.search li') &&"
        " !document.querySelector('#search-results .search-summary')?.textContent.includes('Searching')"
    )
    page.wait_for_load_state("networkidle")
    links = page.eval_on_selector_all(
        "#search-results ul.search li > a", "as => as.map(a => a.getAttribute('href'))"
    )
    first = links[:5]
    assert any("#llmarch-concept-mla" in href for href in first), links[:10]
    mla = {f"models/{k}.html" for k, s in summaries().items() if "mla" in s["concepts"]}
    assert any(href.split("#")[0] in mla for href in first), links[:10]
    # no hit twice, none with a name for an anchor
    assert len(links) == len(set(links))
    assert not [h for h in links if "#" in h and " " in h.split("#", 1)[1]]
    # a prose summary under the concept, from the small file rather than its page
    concept = page.locator(
        "#search-results li", has=page.locator('a[href*="#llmarch-concept-mla"]')
    )
    assert "latent" in concept.locator(".llmarch-summary-hit").inner_text().lower()
    assert sum(sizes) < 1_000_000, (sum(sizes), len(sizes))
    assert tab.problems == []

"""Picking two models to compare, in a real browser: on the gallery's cards (marked picks,
a way to clear them, no layout jump, a bar that stays in view, phone-sized tap targets) and
from a model page's "Compare with…" control. Skipped like the other browser tests where
there is no Chromium.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from . import test_browser
from .conftest import MODELS
from .test_browser import Watched

# the browser tests' fixtures, shared
browser, tab, small = test_browser.browser, test_browser.tab, test_browser.small

PHONE = {"width": 390, "height": 844}


def control(page: Any, slug: str, pick: str) -> Any:
    return page.locator(f'.llmarch-card[data-slug="{slug}"] a.llmarch-pick[data-pick="{pick}"]')


def badge(page: Any, slug: str) -> str | None:
    found = page.locator(f'.llmarch-card[data-slug="{slug}"] .llmarch-badge')
    return found.inner_text() if found.count() else None


def grid_top(page: Any) -> float:
    """Where the grid starts on the page (not in the window, which scrolls as cards are clicked)."""
    return float(page.locator(".llmarch-cards").bounding_box()["y"] + page.evaluate("scrollY"))


def test_picked_cards_are_marked_and_the_grid_does_not_move(tab: Watched, small: Path) -> None:
    page = tab.open(small, "gallery.html")
    top = grid_top(page)
    assert page.locator(".llmarch-pick-bar").is_visible()
    assert not page.locator(".llmarch-go").is_visible()
    control(page, "tiny-gqa", "a").click()
    control(page, "tiny-mla", "b").click()
    assert grid_top(page) == top
    assert control(page, "tiny-gqa", "a").get_attribute("aria-pressed") == "true"
    assert control(page, "tiny-gqa", "b").get_attribute("aria-pressed") == "false"
    assert control(page, "tiny-mla", "b").get_attribute("aria-pressed") == "true"
    assert (badge(page, "tiny-gqa"), badge(page, "tiny-mla")) == ("A", "B")
    assert page.locator(".llmarch-card.llmarch-picked").count() == 2
    assert "a=tiny-gqa" in page.url and "b=tiny-mla" in page.url
    assert page.get_attribute("a.llmarch-go", "href").endswith("app.html?a=tiny-gqa&b=tiny-mla")
    # the same control again takes the pick back
    control(page, "tiny-gqa", "a").click()
    assert control(page, "tiny-gqa", "a").get_attribute("aria-pressed") == "false"
    assert badge(page, "tiny-gqa") is None and "a=" not in page.url
    assert not page.locator(".llmarch-go").is_visible()
    assert "Model A: – · Model B: Tiny MLA" in page.inner_text(".llmarch-pick-line")
    # and the bar's button clears every pick
    control(page, "tiny-gqa", "a").click()
    page.click(".llmarch-clear")
    assert page.locator(".llmarch-card.llmarch-picked").count() == 0
    assert "a=" not in page.url and "b=" not in page.url
    assert not page.locator(".llmarch-clear").is_visible()
    assert grid_top(page) == top
    assert tab.problems == []


def test_picks_in_the_address_are_marked_and_the_keyboard_picks(tab: Watched, small: Path) -> None:
    page = tab.open(small, "gallery.html?a=tiny-mla&b=tiny-mla")
    assert badge(page, "tiny-mla") == "A B"
    assert control(page, "tiny-mla", "a").get_attribute("role") == "button"
    control(page, "tiny-gqa", "a").focus()
    page.keyboard.press(" ")
    assert "a=tiny-gqa" in page.url and badge(page, "tiny-gqa") == "A"
    page.keyboard.press("Enter")
    assert badge(page, "tiny-gqa") is None
    assert tab.problems == []


def test_without_scripts_a_pick_is_a_link_to_the_compare_page(browser: Any, small: Path) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = Watched(context.new_page()).open(small, "gallery.html")
    assert not page.locator(".llmarch-pick-bar").is_visible()
    with page.expect_navigation():
        control(page, "tiny-mla", "b").click()
    assert page.url.endswith("app.html?b=tiny-mla")
    context.close()


def test_on_a_phone_picks_are_big_enough_and_the_bar_stays_in_view(
    browser: Any, site: Path
) -> None:
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    tab = Watched(context.new_page())
    page = tab.open(site, "gallery.html")
    slugs = page.eval_on_selector_all(".llmarch-card", "cards => cards.map(c => c.dataset.slug)")
    for pick in ("a", "b"):
        box = control(page, slugs[0], pick).bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44
    control(page, slugs[0], "a").tap()
    # a card far down the gallery, but far from its end (where the bar is in any case)
    far = slugs[len(slugs) // 2]
    control(page, far, "b").scroll_into_view_if_needed()
    control(page, far, "b").tap()
    assert page.evaluate("window.scrollY") > 5 * PHONE["height"]
    bar = page.locator(".llmarch-pick-bar").bounding_box()
    assert bar["y"] >= 0 and bar["y"] + bar["height"] <= PHONE["height"]
    with page.expect_navigation():
        page.locator("a.llmarch-go").tap()
    assert page.url.endswith(f"compare.html?a={slugs[0]}&b={far}")
    assert page.locator(".llmarch-compare-table").count() == 1
    assert tab.problems == []
    context.close()


# --------------------------------------------------------------------------- model pages


def test_a_model_page_opens_the_comparison_with_a_chosen_model(tab: Watched, site: Path) -> None:
    page = tab.open(site, "models/deepseek-v3.html")
    picker = page.locator(".llmarch-compare-with")
    # near the top: above the diagram
    assert picker.bounding_box()["y"] < page.locator(".llmarch-diagram").first.bounding_box()["y"]
    options = page.eval_on_selector_all(
        ".llmarch-compare-with select[name=b] option", "os => os.map(o => o.value)"
    )
    assert sorted(filter(None, options)) == sorted(
        m.stem for m in MODELS.glob("*.yaml") if m.stem != "deepseek-v3"
    )
    page.select_option(".llmarch-compare-with select[name=b]", "qwen3-next-80b-a3b")
    with page.expect_navigation():
        picker.locator("button").click()
    assert page.url.endswith("compare.html?a=deepseek-v3&b=qwen3-next-80b-a3b")
    assert page.title().startswith("DeepSeek V3 vs Qwen3-Next")
    assert page.input_value("select[name=a]") == "deepseek-v3"
    assert page.input_value("select[name=b]") == "qwen3-next-80b-a3b"
    assert tab.problems == []


def test_a_model_page_links_its_similar_models_to_the_comparison(browser: Any, site: Path) -> None:
    """Without scripts too: the form and the links are plain HTML (the picker offers the
    similar models; the names script adds the others)."""
    context = browser.new_context(java_script_enabled=False)
    page = Watched(context.new_page()).open(site, "models/deepseek-v3.html")
    links = page.locator(".llmarch-compare-with p a")
    assert links.count() >= 1
    first = links.first.get_attribute("href")
    assert first.startswith("../compare.html?a=deepseek-v3&b=")
    offered = page.eval_on_selector_all(
        ".llmarch-compare-with select[name=b] option", "os => os.map(o => o.value)"
    )
    similar = [a.split("&b=")[1] for a in links.evaluate_all("as => as.map(a => a.href)")]
    assert list(filter(None, offered)) == similar
    page.select_option(".llmarch-compare-with select[name=b]", similar[-1])
    with page.expect_navigation():
        page.click(".llmarch-compare-with button")
    assert page.url.endswith(f"compare.html?a=deepseek-v3&b={similar[-1]}")
    context.close()

"""The site in a real browser: Playwright driving headless Chromium.

Interaction (sort, filter, search, the compare picker, state kept in the address) is
tested on the small gallery project; loading without errors, accessibility (axe-core),
dark mode with its text contrast, a phone-sized viewport and screenshots on the real
site. Skipped, with the reason, on a machine without Playwright or Chromium: `.ci/run`
installs Debian's ``chromium``; ``LLMARCH_CHROMIUM`` names another executable.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import REPO, TESTS

sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
CHROMIUM = os.environ.get("LLMARCH_CHROMIUM") or next(
    filter(None, (shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome"))), None
)
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="no Chromium: install Debian's chromium, or set LLMARCH_CHROMIUM"
)
SCRIPTS = TESTS / "browser"
SHOTS = Path(os.environ.get("LLMARCH_SCREENSHOTS", REPO / "_build" / "browser-screenshots"))

#: pages of the real site that every check visits
PAGES = {
    "gallery": "gallery.html",
    "model": "models/deepseek-v3.html",
    "compare": "compare.html?a=deepseek-v3&b=qwen3-next-80b-a3b",
    "comparison": "comparisons/deepseek-v3-vs-v3.2.html",
    "article": "articles/big-comparison.html",
    "memory": "memory.html",
}


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()


class Watched:
    """A page, with every console error, page error and failed request it produced."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.problems: list[str] = []
        page.on("pageerror", lambda exc: self.problems.append(f"page error: {exc}"))
        page.on(
            "console",
            lambda msg: msg.type == "error" and self.problems.append(f"console: {msg.text}"),
        )
        page.on(
            "requestfailed",
            lambda req: self.problems.append(f"failed: {req.url} ({req.failure})"),
        )

    def open(self, site: Path, address: str) -> Any:
        path, _, query = address.partition("?")
        self.page.goto((site / path).as_uri() + (f"?{query}" if query else ""))
        self.page.wait_for_load_state("load")
        return self.page


@pytest.fixture
def tab(browser: Any) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield Watched(context.new_page())
    context.close()


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("browser")
    source = TESTS / "roots" / "test-gallery"
    subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-E", str(source), str(out)],
        check=True,
    )
    return out


def visible_cards(page: Any) -> list[str]:
    return page.eval_on_selector_all(
        ".llmarch-card:not([hidden])", "cards => cards.map(c => c.dataset.slug)"
    )


# --------------------------------------------------------------------------- interaction


def test_gallery_sorts_filters_and_searches_and_keeps_it_in_the_address(
    tab: Watched, small: Path
) -> None:
    page = tab.open(small, "gallery.html")
    assert visible_cards(page) == ["tiny-mla", "tiny-gqa"]  # newest first
    page.select_option("select[name=sort]", "name")
    assert visible_cards(page) == ["tiny-gqa", "tiny-mla"]
    page.select_option("select[name=decoder]", "Dense")
    assert visible_cards(page) == ["tiny-gqa"]
    assert "sort=name" in page.url and "decoder=Dense" in page.url
    page.reload()
    assert page.input_value("select[name=sort]") == "name"
    assert visible_cards(page) == ["tiny-gqa"]
    page.select_option("select[name=decoder]", "")
    page.fill("input[name=q]", "latent attention")
    assert visible_cards(page) == ["tiny-mla"]
    page.reload()
    assert page.input_value("input[name=q]") == "latent attention"
    assert visible_cards(page) == ["tiny-mla"]
    page.fill("input[name=q]", "nothing matches this")
    assert visible_cards(page) == []
    assert tab.problems == []


def test_gallery_filters_by_attention_and_year(tab: Watched, small: Path) -> None:
    assert visible_cards(tab.open(small, "gallery.html?attention=mla")) == ["tiny-mla"]
    assert visible_cards(tab.open(small, "gallery.html?year=2024")) == ["tiny-gqa"]
    assert (
        tab.open(small, "gallery.html?decoder=Dense")
        .locator(".llmarch-count-line")
        .inner_text()
        .startswith("1 of 2 models")
    )


def test_the_mixing_filter_names_each_mechanism_readably(tab: Watched, small: Path) -> None:
    page = tab.open(small, "gallery.html")
    options = page.eval_on_selector_all(
        "select[name=attention] option", "opts => opts.map(o => [o.value, o.textContent])"
    )
    labels = dict(options)
    assert labels["mla"] == "Multi-head latent attention (MLA)"
    assert labels["gqa"].startswith("Grouped-query attention")
    assert all(text != value for value, text in options if value)


def test_the_compare_picker_opens_a_shareable_comparison(tab: Watched, small: Path) -> None:
    page = tab.open(small, "gallery.html")
    page.click('.llmarch-card[data-slug="tiny-gqa"] a.llmarch-pick[data-pick="a"]')
    page.click('.llmarch-card[data-slug="tiny-mla"] a.llmarch-pick[data-pick="b"]')
    assert "Model A: Tiny GQA · Model B: Tiny MLA" in page.inner_text(".llmarch-pick-line")
    page.click("a.llmarch-go")
    page.wait_for_load_state("load")
    assert page.url.endswith("app.html?a=tiny-gqa&b=tiny-mla")
    assert page.title().startswith("Tiny GQA vs Tiny MLA")
    differs = page.inner_text("tr.llmarch-differs:has(th:text-is('Decoder type'))")
    assert "Dense" in differs and "Sparse MoE" in differs
    page.reload()
    assert page.title().startswith("Tiny GQA vs Tiny MLA")
    page.wait_for_selector(".llmarch-compare-diagrams svg >> nth=1")  # the diagrams, inline
    assert (
        page.locator('.llmarch-compare-diagrams svg[aria-labelledby^="llmarch-tiny-mla"]').count()
        == 1
    )
    assert tab.problems == []


def test_the_compare_page_without_a_choice_asks_for_one(tab: Watched, small: Path) -> None:
    assert "Choose two models." in tab.open(small, "app.html").inner_text("body")


def test_the_overview_sorts_by_a_column_and_keeps_it(tab: Watched, small: Path) -> None:
    page = tab.open(small, "overview.html")
    page.click("th:has-text('Total')")
    page.click("th:has-text('Total')")
    assert "order=total" in page.url
    page.reload()
    rows = page.eval_on_selector_all("tbody tr", "rows => rows.map(r => r.innerText)")
    assert rows[0].startswith("Tiny MLA")
    assert page.get_attribute("th:has-text('Total')", "aria-sort") == "descending"


# --------------------------------------------------------------------------- the real site


@pytest.mark.parametrize("name", sorted(PAGES))
def test_pages_load_without_errors_or_failed_requests(tab: Watched, site: Path, name: str) -> None:
    tab.open(site, PAGES[name])
    tab.page.wait_for_timeout(200)  # lazy thumbnails and deferred scripts
    assert tab.problems == []


def serious_violations(page: Any) -> list[str]:
    """axe-core's serious and critical findings on ``page`` (skips without axe)."""
    axe = pytest.importorskip("axe_playwright_python.sync_playwright", reason="no axe-playwright")
    results = axe.Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['nodes'][0]['html'][:120]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("name", sorted(PAGES))
def test_no_serious_accessibility_violations(tab: Watched, site: Path, name: str) -> None:
    assert serious_violations(tab.open(site, PAGES[name])) == []


def _in_theme(tab: Watched, site: Path, address: str, theme: str) -> Any:
    """The page as a reader who chose ``theme`` in furo's switch sees it."""
    page = tab.open(site, address)
    page.evaluate(f"localStorage.setItem('theme', '{theme}')")
    page.reload()
    assert page.evaluate("document.body.dataset.theme") == theme
    return page


@pytest.mark.parametrize("slug", ["llama-3-8b", "deepseek-v3", "qwen3-next-80b-a3b"])
def test_dark_mode_recolours_diagrams_and_keeps_text_readable(
    tab: Watched, site: Path, slug: str
) -> None:
    contrast = (SCRIPTS / "contrast.js").read_text(encoding="utf-8")
    box = "getComputedStyle(document.querySelector('.llmarch-diagram .llmarch-norm path')).fill"
    fills = {}
    for theme in ("light", "dark"):
        page = _in_theme(tab, site, f"models/{slug}.html", theme)
        fills[theme] = page.evaluate(box)
        worst = page.evaluate(contrast)
        assert worst["ratio"] >= 4.5, (theme, worst)
    assert fills["light"] != fills["dark"]


@pytest.mark.parametrize("name", sorted(PAGES))
def test_nothing_overflows_a_phone_screen(browser: Any, site: Path, name: str) -> None:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = Watched(context.new_page()).open(site, PAGES[name])
    result = page.evaluate((SCRIPTS / "overflow.js").read_text(encoding="utf-8"))
    context.close()
    assert result == {"pageScrolls": False, "outside": []}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_screenshots_in_light_and_dark(tab: Watched, site: Path, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for theme in ("light", "dark"):
        page = _in_theme(tab, site, PAGES[name], theme)
        path = SHOTS / f"{name}-{theme}.png"
        page.screenshot(path=str(path), full_page=name != "article")
        assert path.stat().st_size > 10_000

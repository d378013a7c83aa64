"""The reader's pages in a real browser: the overview table on a desktop and a phone, the
long comparison article (readable diagrams, folded fact tables, diagrams loaded as they
come into view). Skipped like the other browser tests where there is no Chromium.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from . import test_browser
from .test_browser import PAGES, Watched, serious_violations

# the browser tests' fixtures, shared
browser = test_browser.browser

DESKTOP = {"width": 1400, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def wide(browser: Any) -> Iterator[Watched]:
    context = browser.new_context(viewport=DESKTOP)
    yield Watched(context.new_page())
    context.close()


@pytest.fixture
def phone(browser: Any) -> Iterator[Watched]:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    yield Watched(context.new_page())
    context.close()


TABLE_FITS = """() => {
  const wrap = document.querySelector('.llmarch-overview-wrap');
  const heads = [...wrap.querySelectorAll('thead th')];
  return {
    scrolls: wrap.scrollWidth > wrap.clientWidth,
    outside: heads.filter(h => h.getBoundingClientRect().right > innerWidth
      || h.getBoundingClientRect().left < 0).map(h => h.innerText),
    columns: heads.length,
  };
}"""


def test_every_column_of_the_overview_shows_on_a_desktop(wide: Watched, site: Path) -> None:
    page = wide.open(site, "overview.html")
    assert page.evaluate(TABLE_FITS) == {"scrolls": False, "outside": [], "columns": 9}
    # the shortened heading keeps its full name as its title
    assert page.get_attribute("th[data-key=kv] abbr", "title") == "KV cache / token"
    assert wide.problems == []


def test_the_overview_scrolls_on_a_phone_with_the_names_in_view(phone: Watched, site: Path) -> None:
    page = phone.open(site, "overview.html")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    wrap = page.locator(".llmarch-overview-wrap")
    assert page.evaluate(TABLE_FITS)["scrolls"]
    wrap.evaluate("w => { w.scrollLeft = 300; }")
    name = page.locator("tbody th.llmarch-col-name").first.bounding_box()
    assert name is not None and name["x"] == pytest.approx(wrap.bounding_box()["x"], abs=1)


# --------------------------------------------------------------------------- the long article

ARTICLE = "articles/big-comparison.html"
#: elements of the long article when it has loaded (8,400 today; 24,200 inlining every diagram)
ARTICLE_NODES = 10_000


def test_the_long_article_loads_light_and_draws_diagrams_as_they_come(
    wide: Watched, site: Path
) -> None:
    page = wide.open(site, ARTICLE)
    page.wait_for_timeout(300)
    assert page.evaluate("document.getElementsByTagName('*').length") <= ARTICLE_NODES
    boxes = page.locator(".llmarch-lazy-box")
    waiting = boxes.count()
    assert waiting > 10
    last = boxes.last
    before = last.bounding_box()
    last.evaluate("box => box.parentNode.setAttribute('data-test', 'watched')")
    frame = page.locator(".llmarch-diagram[data-test=watched]")
    last.scroll_into_view_if_needed()
    drawn = frame.locator("svg.llmarch-diagram-svg, svg[aria-labelledby]").first
    drawn.wait_for(state="attached")
    after = drawn.bounding_box()
    # drawn in the box's place, at the box's size: nothing on the page moves
    assert before is not None and after is not None
    assert after["height"] == pytest.approx(before["height"], abs=2)
    assert 0 < boxes.count() < waiting  # the ones far from the window are still waiting
    # the diagram links its boxes to the concepts, and the viewer opens it
    assert drawn.locator("a[href*='concepts.html#llmarch-concept-']").count() > 0
    frame.locator("button.llmarch-open").click()
    assert page.locator("dialog.llmarch-viewer[open] svg").count() == 1
    page.keyboard.press("Escape")
    assert wide.problems == []


SCALES = """() => [...document.querySelectorAll('.llmarch-compare-diagrams')].slice(0, 1)
  .flatMap(grid => [...grid.querySelectorAll('svg')].map(svg => {
    const box = svg.getBoundingClientRect();
    return {scale: box.width / svg.width.baseVal.value, top: box.top, bottom: box.bottom};
  }))"""


def test_the_long_articles_compared_diagrams_are_stacked_at_a_readable_scale(
    wide: Watched, site: Path
) -> None:
    first, second = wide.open(site, ARTICLE).evaluate(SCALES)
    assert min(first["scale"], second["scale"]) >= 0.75
    assert second["top"] >= first["bottom"]


def test_the_long_articles_fact_tables_are_folded(wide: Watched, site: Path) -> None:
    page = wide.open(site, ARTICLE)
    folds = page.locator("details.llmarch-fold")
    assert folds.count() >= 10
    assert page.locator("details.llmarch-fold[open]").count() == 0
    first = folds.first
    assert not first.locator("table.llmarch-facts").is_visible()
    assert first.locator("summary").inner_text().startswith("Facts of ")
    first.locator("summary").click()
    assert first.locator("table.llmarch-facts").is_visible()


# --------------------------------------------------------------------------- every kind of page

#: the kinds of page test_browser.PAGES does not visit (the poster's test visits the poster)
OTHER_PAGES = {
    "landing": "index.html",
    "concept": "concepts.html",
    "overview": "overview.html",
    "charts": "charts.html",
    "changelog": "changelog.html",
}


def test_every_kind_of_page_is_visited() -> None:
    kinds = {*PAGES, *OTHER_PAGES, "poster"}
    assert {"landing", "gallery", "model", "compare", "concept", "article", "overview"} <= kinds
    assert {"charts", "memory", "poster", "changelog"} <= kinds


@pytest.mark.parametrize("name", sorted(OTHER_PAGES))
def test_the_other_pages_load_cleanly_and_pass_axe(wide: Watched, site: Path, name: str) -> None:
    page = wide.open(site, OTHER_PAGES[name])
    page.wait_for_timeout(200)  # lazy thumbnails and deferred scripts
    assert wide.problems == []  # before axe, whose own requests a file:// page refuses
    assert serious_violations(page) == []


def test_the_long_articles_drawn_diagrams_pass_axe(wide: Watched, site: Path) -> None:
    page = wide.open(site, ARTICLE)
    page.locator(".llmarch-lazy-box").nth(3).scroll_into_view_if_needed()
    page.wait_for_function("document.querySelectorAll('.llmarch-diagram svg').length > 4")
    assert wide.problems == []
    assert serious_violations(page) == []

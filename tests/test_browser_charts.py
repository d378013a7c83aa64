"""The charts page in a real browser: the scatter's labels do not overlap as drawn with
the browser's fonts, a point shows its tooltip on keyboard focus and on a tap, a click
(or a second tap) opens its model's page, no console errors, and axe finds nothing
serious. Skipped like the other browser tests where there is no Chromium.
"""

from __future__ import annotations

from itertools import combinations
from pathlib import Path
from typing import Any

import pytest

from . import test_browser
from .test_browser import Watched

browser, tab = test_browser.browser, test_browser.tab

CHARTS = "charts.html"
#: the boxes of the scatter's labels and points, as the browser lays them out
BOXES = """svg => [...svg.querySelectorAll('.llmarch-label, .llmarch-point circle')].map(e => {
  const r = e.getBoundingClientRect();
  return {label: e.tagName === 'text', text: e.textContent, box: [r.left, r.top, r.right, r.bottom]};
})"""


def _overlap(a: list[float], b: list[float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _tip(page: Any) -> str | None:
    """The scatter's tooltip text while it shows."""
    shown = page.locator(".llmarch-chart-timeline ~ .llmarch-chart-tip:not([hidden])")
    return shown.inner_text() if shown.count() else None


@pytest.mark.parametrize("width", [1400, 390])
def test_scatter_labels_do_not_overlap(browser: Any, site: Path, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    tab = Watched(context.new_page())
    page = tab.open(site, CHARTS)
    marks = page.eval_on_selector(".llmarch-chart-timeline", BOXES)
    context.close()
    labels = [m for m in marks if m["label"]]
    points = [m for m in marks if not m["label"]]
    assert len(labels) >= 10
    for a, b in combinations(labels, 2):
        assert not _overlap(a["box"], b["box"]), (a["text"], b["text"])
    for a in labels:
        assert not any(_overlap(a["box"], b["box"]) for b in points), a["text"]
    assert tab.problems == []


def test_focus_shows_a_tooltip_and_a_click_opens_the_model(tab: Watched, site: Path) -> None:
    page = tab.open(site, CHARTS)
    point = page.locator(".llmarch-chart-timeline a.llmarch-point").first
    name = point.get_attribute("aria-label")
    assert _tip(page) is None
    point.focus()
    assert _tip(page) == name
    page.keyboard.press("Escape")
    assert _tip(page) is None
    href = point.get_attribute("href")
    point.locator("circle.llmarch-dot").click()
    page.wait_for_load_state("load")
    assert page.url.endswith(href.removeprefix("."))
    assert page.title().startswith(name.split(",")[0])
    assert tab.problems == []


def test_a_tap_shows_the_tooltip_and_a_second_tap_opens_the_model(browser: Any, site: Path) -> None:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    tab = Watched(context.new_page())
    page = tab.open(site, CHARTS)
    point = page.locator(".llmarch-chart-timeline a.llmarch-point").last
    point.scroll_into_view_if_needed()
    dot = point.locator("circle.llmarch-dot")
    dot.tap()
    assert _tip(page) == point.get_attribute("aria-label")
    assert page.url.endswith(CHARTS)
    href = point.get_attribute("href")
    dot.tap()
    page.wait_for_url(f"**/{href.removeprefix('./').removeprefix('../')}")
    context.close()
    assert tab.problems == []


def test_the_charts_page_has_no_serious_accessibility_violations(tab: Watched, site: Path) -> None:
    axe = pytest.importorskip("axe_playwright_python.sync_playwright", reason="no axe-playwright")
    results = axe.Axe().run(tab.open(site, CHARTS))
    serious = [
        f"{v['id']} ({v['impact']}): {v['nodes'][0]['html'][:120]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []

"""The "compare any two models" page in a real browser: the summary line, the blocks that
differ outlined in both diagrams (and none when a model is compared with itself), the same
rows of side panels in both, a readable scale on a desktop and a phone, the switch between
the rows that differ and all rows, readable names, no console errors, no serious
accessibility violations.  Skipped like the other browser tests where there is no Chromium.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sphinx_llmarch.describe.changes import aspect_changes, aspects, summary
from sphinx_llmarch.model.loader import load_file

from . import test_browser
from .conftest import TESTS
from .test_browser import Watched

# the browser tests' fixtures, shared
browser, tab, small = test_browser.browser, test_browser.tab, test_browser.small

#: the compare page of the small test project, and of the real site
SMALL_PAGE = "app.html"
SITE_PAGE = "docs/compare.html"
PHONE = {"width": 390, "height": 844}


def diagram(page: Any, pick: int) -> Any:
    """The SVG of model A (0) or B (1)."""
    return page.locator(".llmarch-compare-diagrams > div").nth(pick).locator("svg")


def marked(page: Any, pick: int) -> set[str]:
    found = diagram(page, pick).evaluate(
        "svg => Array.from(svg.querySelectorAll('.llmarch-changed'))"
        ".map(el => el.getAttribute('data-llmarch-block'))"
    )
    return set(found)


def scale(page: Any, pick: int) -> float:
    return float(
        diagram(page, pick).evaluate(
            "svg => svg.getBoundingClientRect().width / svg.width.baseVal.value"
        )
    )


def panel_rows(page: Any, pick: int) -> dict[str, int]:
    """Each side panel → the number of its row (panels in a row share their top)."""
    tops = diagram(page, pick).evaluate(
        "svg => Array.from(svg.querySelectorAll('g.llmarch-panel')).map(g => "
        "[g.getAttribute('data-llmarch-block'), g.transform.baseVal[0].matrix.f])"
    )
    rows = sorted({top for _, top in tops})
    return {block: rows.index(top) for block, top in tops}


def visible_rows(page: Any) -> list[str]:
    return page.eval_on_selector_all(
        ".llmarch-compare-table tbody tr",
        "rows => rows.filter(r => r.offsetParent !== null).map(r => r.cells[0].innerText)",
    )


def test_the_summary_marks_and_rows_of_two_models(tab: Watched, small: Path) -> None:
    page = tab.open(small, f"{SMALL_PAGE}?a=tiny-gqa&b=tiny-mla")
    page.wait_for_selector(".llmarch-compare-diagrams svg >> nth=1")
    # the script words the line by the same rule as the build
    models = [
        load_file(TESTS / "roots" / "test-gallery" / "models" / f"{s}.yaml").model
        for s in ("tiny-gqa", "tiny-mla")
    ]
    assert models[0] is not None and models[1] is not None
    expected = summary(aspect_changes(aspects(models[0]), aspects(models[1])))
    assert page.inner_text(".llmarch-compare-summary") == expected
    assert "GQA → MLA" in expected
    for pick in (0, 1):
        assert "main/attn" in marked(page, pick)
    assert page.locator(".llmarch-compare-legend").is_visible()
    # only the rows that differ at first; the switch shows every row, and back
    differing = page.locator(".llmarch-compare-table tbody tr.llmarch-differs").count()
    every = page.locator(".llmarch-compare-table tbody tr").count()
    assert 0 < differing < every
    assert len(visible_rows(page)) == differing
    assert page.locator(".llmarch-compare-table thead tr").is_visible()
    page.click("label.llmarch-rows-label")
    assert len(visible_rows(page)) == every
    page.click("label.llmarch-rows-label")
    assert len(visible_rows(page)) == differing
    # readable names: the base model by its name, linked; the notes under the table
    based = page.locator(".llmarch-compare-table tr:has(th:text-is('Based on'))")
    assert based.locator("a").inner_text() == "Tiny GQA"
    assert "tiny-gqa" not in based.inner_text()
    assert "no official source states" in page.inner_text(".llmarch-compare-notes")
    assert tab.problems == []


def test_a_model_compared_with_itself_marks_nothing(tab: Watched, small: Path) -> None:
    page = tab.open(small, f"{SMALL_PAGE}?a=tiny-mla&b=tiny-mla")
    page.wait_for_selector(".llmarch-compare-diagrams svg >> nth=1")
    assert page.locator(".llmarch-changed").count() == 0
    assert not page.locator(".llmarch-compare-legend").is_visible()
    assert page.inner_text(".llmarch-compare-summary") == "No architectural differences."
    # no row differs: every row is shown, the switch off
    assert len(visible_rows(page)) == page.locator(".llmarch-compare-table tbody tr").count() > 0
    assert not page.is_checked("input.llmarch-rows-toggle")
    ids = page.eval_on_selector_all("[id]", "els => els.map(e => e.id)")
    assert len(ids) == len(set(ids))  # the same diagram twice, with ids of its own each
    assert tab.problems == []


@pytest.fixture
def phone(browser: Any) -> Any:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    yield Watched(context.new_page())
    context.close()


def test_on_a_phone_the_diagrams_stay_readable_and_scroll_together(
    phone: Watched, small: Path
) -> None:
    page = phone.open(small, f"{SMALL_PAGE}?a=tiny-gqa&b=tiny-mla")
    page.wait_for_selector(".llmarch-compare-diagrams svg >> nth=1")
    boxes = page.locator(".llmarch-compare-diagrams > div")
    for pick in (0, 1):
        assert scale(page, pick) >= 0.74
    # the layer stacks in view at first, the notes left of them a scroll away
    stack = diagram(page, 1).locator(".llmarch-main").bounding_box()
    assert 0 <= stack["x"] < PHONE["width"] / 2
    start = boxes.nth(0).evaluate("box => box.scrollLeft")
    assert start > 0
    boxes.nth(0).evaluate("box => { box.scrollLeft = 0; }")
    page.wait_for_timeout(100)
    assert boxes.nth(1).evaluate("box => box.scrollLeft") == 0
    assert phone.problems == []


# --------------------------------------------------------------------------- the real site


def test_deepseek_v3_to_v3_2_marks_the_sparse_attention_and_its_indexer(
    tab: Watched, site: Path
) -> None:
    page = tab.open(site, f"{SITE_PAGE}?a=deepseek-v3&b=deepseek-v3.2")
    page.wait_for_selector(".llmarch-compare-diagrams svg >> nth=1")
    v3, v32 = marked(page, 0), marked(page, 1)
    assert {"main/attn", "panel/mixer-mla"} <= v3
    assert {"main/attn", "panel/mixer-mla", "panel/mixer-mla/idx"} <= v32
    assert not (v3 | v32) & {"main/ffn", "panel/moe", "panel/ffn"}
    assert page.inner_text(".llmarch-compare-summary") == (
        "1 architectural difference: MLA → MLA + DSA"
    )
    # the same side panels in the same rows, and both at a readable scale
    a, b = panel_rows(page, 0), panel_rows(page, 1)
    assert a and a == {k: v for k, v in b.items() if k in a}
    for pick in (0, 1):
        assert scale(page, pick) >= 0.74
    assert tab.problems == []


def test_deepseek_v3_2_with_itself_marks_nothing(tab: Watched, site: Path) -> None:
    page = tab.open(site, f"{SITE_PAGE}?a=deepseek-v3.2&b=deepseek-v3.2")
    page.wait_for_selector(".llmarch-compare-diagrams svg >> nth=1")
    assert page.locator(".llmarch-changed").count() == 0
    assert tab.problems == []


@pytest.mark.parametrize("viewport", [{"width": 1400, "height": 1000}, PHONE])
def test_no_serious_accessibility_violations(browser: Any, site: Path, viewport: Any) -> None:
    context = browser.new_context(viewport=viewport)
    tab = Watched(context.new_page())
    page = tab.open(site, f"{SITE_PAGE}?a=deepseek-v3&b=deepseek-v3.2")
    page.wait_for_selector(".llmarch-compare-diagrams svg >> nth=1")
    assert tab.problems == []  # before axe, whose own requests a file:// page refuses
    serious = test_browser.serious_violations(page)
    context.close()
    assert serious == []

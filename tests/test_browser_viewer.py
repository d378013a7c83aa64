"""The diagram viewer in a real browser: a diagram's toolbar opens it in a modal dialog that
zooms and pans with the mouse, with touch (tap, pinch, one-finger drag) and with the
keyboard, and gives focus back when it closes; the toolbar's download links reach the
diagram's SVG and PNG; phone-sized tap targets; no console errors; axe finds nothing
serious. Skipped like the other browser tests where there is no Chromium.
"""

from __future__ import annotations

import re
import struct
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from . import test_browser
from .conftest import TESTS
from .test_browser import Watched

browser, tab = test_browser.browser, test_browser.tab

#: a model page (one folder down) and the compare page of the gallery project
MODEL = "models/tiny-mla.html"
COMPARE = "app.html?a=tiny-gqa&b=tiny-mla"
PHONE = {"width": 390, "height": 844}
STAGE = ".llmarch-viewer-stage"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The gallery project, with the diagrams' PNGs."""
    out = tmp_path_factory.mktemp("viewer")
    source = TESTS / "roots" / "test-gallery"
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-E"]
    command += ["-D", "llmarch_diagram_png=1", str(source), str(out)]
    subprocess.run(command, check=True)
    return out


def scale(page: Any) -> float:
    return float(page.get_attribute(STAGE, "data-scale"))


def transform(page: Any) -> str:
    return str(page.eval_on_selector(".llmarch-viewer-content", "e => e.style.transform"))


def is_open(page: Any) -> bool:
    return bool(page.evaluate("!!document.querySelector('dialog.llmarch-viewer[open]')"))


def focused_class(page: Any) -> str:
    return str(page.evaluate("document.activeElement.className"))


def fits(page: Any) -> bool:
    """The whole diagram is in view, filling the stage's width or height."""
    stage = page.locator(STAGE).bounding_box()
    shown = page.locator(".llmarch-viewer-content > *").first.bounding_box()
    inside = all(
        stage[a] - 1 <= shown[a] and shown[a] + shown[d] <= stage[a] + stage[d] + 1
        for a, d in (("x", "width"), ("y", "height"))
    )
    filled = min(stage["width"] - shown["width"], stage["height"] - shown["height"]) < 2
    return inside and filled


def stage_centre(page: Any) -> tuple[float, float]:
    box = page.locator(STAGE).bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def test_the_viewer_opens_zooms_pans_and_closes_with_the_mouse(tab: Watched, site: Path) -> None:
    page = tab.open(site, MODEL)
    assert not is_open(page)
    page.click(".llmarch-diagram .llmarch-open")
    assert is_open(page)
    assert page.inner_text(".llmarch-viewer-title").startswith("Tiny MLA")
    # larger than on the page: at least at its own size on a wide screen
    first = scale(page)
    assert first >= 1
    inline = page.locator(".llmarch-diagram svg").bounding_box()["width"]
    assert page.locator(".llmarch-viewer-content svg").bounding_box()["width"] > inline
    page.click("button[aria-label='Zoom in (+)']")
    assert scale(page) > first
    x, y = stage_centre(page)
    page.mouse.move(x, y)
    before = scale(page)
    page.mouse.wheel(0, -400)
    page.wait_for_function(f"+document.querySelector('{STAGE}').dataset.scale > {before}")
    moved = transform(page)
    page.mouse.down()
    page.mouse.move(x + 120, y + 90, steps=5)
    page.mouse.up()
    assert transform(page) != moved and scale(page) > before
    page.click("button[aria-label='Fit the diagram to the window (0)']")
    assert fits(page) and scale(page) < first
    page.click("button[aria-label='Close (Escape)']")
    assert not is_open(page)
    assert "llmarch-open" in focused_class(page)
    # a click on the diagram, away from its boxes' links, opens it too
    page.click(".llmarch-diagram svg", position={"x": 3, "y": 3})
    assert is_open(page)
    page.keyboard.press("Escape")
    # and a click on a box's link follows it
    page.click(".llmarch-diagram svg a[href]")
    page.wait_for_load_state("load")
    assert not page.url.endswith(MODEL)
    assert tab.problems == []


def test_the_viewer_works_with_the_keyboard_alone(tab: Watched, site: Path) -> None:
    page = tab.open(site, MODEL)
    page.focus(".llmarch-diagram .llmarch-open")
    page.keyboard.press("Enter")
    assert is_open(page)
    assert page.evaluate("document.activeElement.classList.contains('llmarch-viewer-stage')")
    first = scale(page)
    page.keyboard.press("+")
    page.keyboard.press("+")
    assert scale(page) > first
    zoomed = transform(page)
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowUp")
    assert transform(page) != zoomed
    page.keyboard.press("-")
    assert first < scale(page) < 1.6 * first
    page.keyboard.press("0")
    assert fits(page)
    # focus stays in the dialog, the page behind it cannot be reached
    for _ in range(14):
        page.keyboard.press("Tab")
        inside = "document.querySelector('dialog.llmarch-viewer').contains(document.activeElement)"
        assert page.evaluate(f"{inside} || document.activeElement === document.body")
    # Escape from the diagram itself, where Sphinx's own Escape shortcut also listens
    page.focus(STAGE)
    page.keyboard.press("Escape")
    assert not is_open(page)
    assert "llmarch-open" in focused_class(page)
    assert tab.problems == []


def touch(cdp: Any, kind: str, points: list[tuple[float, float]]) -> None:
    cdp.send(
        "Input.dispatchTouchEvent",
        {
            "type": kind,
            "touchPoints": [{"x": x, "y": y, "id": i} for i, (x, y) in enumerate(points)],
        },
    )


def test_on_a_phone_a_tap_opens_the_viewer_and_pinch_and_drag_work(
    browser: Any, site: Path
) -> None:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    watched = Watched(context.new_page())
    page = watched.open(site, MODEL)
    # every toolbar button and link is a finger-sized target
    for box in page.eval_on_selector_all(
        ".llmarch-tools .llmarch-tool",
        "els => els.filter(e => e.offsetParent).map(e => e.getBoundingClientRect().toJSON())",
    ):
        assert box["width"] >= 44 and box["height"] >= 44, box
    assert "Tap to zoom" in page.evaluate(
        "getComputedStyle(document.querySelector('.llmarch-zoomable .llmarch-tools'), "
        "'::before').content"
    )
    page.locator(".llmarch-diagram svg").scroll_into_view_if_needed()
    page.tap(".llmarch-diagram svg")
    assert is_open(page)
    assert page.url.endswith(MODEL)  # the tap opened the viewer, it followed no link
    for box in page.eval_on_selector_all(
        ".llmarch-viewer .llmarch-tool",
        "els => els.filter(e => e.offsetParent).map(e => e.getBoundingClientRect().toJSON())",
    ):
        assert box["width"] >= 44 and box["height"] >= 44 and box["x"] + box["width"] <= 390
    cdp = context.new_cdp_session(page)
    x, y = stage_centre(page)
    first = scale(page)
    touch(cdp, "touchStart", [(x - 30, y), (x + 30, y)])
    for step in range(1, 6):
        touch(cdp, "touchMove", [(x - 30 - 15 * step, y), (x + 30 + 15 * step, y)])
    touch(cdp, "touchEnd", [])
    pinched = scale(page)
    assert pinched > 1.5 * first
    before = transform(page)
    touch(cdp, "touchStart", [(x, y)])
    for step in range(1, 6):
        touch(cdp, "touchMove", [(x - 20 * step, y - 20 * step)])
    page.wait_for_timeout(300)  # the finger stops before it lifts: no fling to stop with a tap
    touch(cdp, "touchEnd", [])
    assert transform(page) != before and scale(page) == pytest.approx(pinched)
    page.tap("button[aria-label='Close (Escape)']")
    page.wait_for_function("!document.querySelector('dialog.llmarch-viewer[open]')")
    problems = watched.problems
    context.close()
    assert problems == []


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def visible_links(page: Any, within: str) -> list[tuple[str, str]]:
    return page.eval_on_selector_all(
        f"{within} a[download]",
        "els => els.filter(e => e.offsetParent).map(e => [e.textContent, e.getAttribute('href')])",
    )


@pytest.mark.parametrize("address", [MODEL, COMPARE])
def test_the_download_links_reach_the_svg_and_png_of_the_theme(
    tab: Watched, site: Path, address: str
) -> None:
    page = tab.open(site, address)
    base = (site / address.partition("?")[0]).parent
    for theme in ("light", "dark"):
        page.evaluate(f"document.body.dataset.theme = '{theme}'")
        links = visible_links(page, ".llmarch-tools")
        assert [text for text, _ in links][:2] == ["SVG", "PNG"]
        for text, href in links:
            target = (base / href).resolve()
            assert target.is_file() and target.stat().st_size > 1000, href
            if text == "SVG":
                assert href.endswith(f"-{theme}.svg")
                assert target.read_text(encoding="utf-8").startswith("<?xml")
            else:
                width, height = png_size(target)
                assert 800 < width < 1600 and 800 < height < 3000
    # the viewer offers the same files
    page.click(".llmarch-open")
    assert [h for _, h in visible_links(page, ".llmarch-viewer")] == [h for _, h in links[:2]]
    assert tab.problems == []


def test_the_compare_page_opens_its_diagrams_in_the_viewer(tab: Watched, site: Path) -> None:
    page = tab.open(site, COMPARE)
    assert page.locator(".llmarch-compare-item .llmarch-open").count() == 2
    page.locator(".llmarch-compare-item .llmarch-open").nth(1).click()
    assert is_open(page)
    assert page.inner_text(".llmarch-viewer-title") == "Tiny MLA"
    size = page.locator(".llmarch-viewer-content img:visible").first.bounding_box()
    assert size["width"] > 300
    page.keyboard.press("Escape")
    assert not is_open(page)
    assert tab.problems == []


@pytest.mark.parametrize("viewer", [False, True], ids=["page", "open-viewer"])
def test_no_serious_accessibility_violations(tab: Watched, site: Path, viewer: bool) -> None:
    axe = pytest.importorskip("axe_playwright_python.sync_playwright", reason="no axe-playwright")
    page = tab.open(site, MODEL)
    if viewer:
        page.click(".llmarch-open")
    # the diagrams and the viewer: the rest of the page is the test project's theme's
    parts = [[".llmarch-diagram"], ["dialog.llmarch-viewer"]] if viewer else [[".llmarch-diagram"]]
    results = axe.Axe().run(page, context={"include": parts})
    assert results.response["passes"]
    serious = [
        f"{v['id']} ({v['impact']}): {v['nodes'][0]['html'][:120]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []


def test_without_scripts_the_download_links_are_there(browser: Any, site: Path) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = Watched(context.new_page()).open(site, MODEL)
    links = visible_links(page, ".llmarch-tools")
    context.close()
    assert [text for text, _ in links] == ["SVG", "PNG"]
    assert all(
        re.match(r"\.\./_images/llmarch/tiny-mla-full-light\.(svg|png)$", h) for _, h in links
    )

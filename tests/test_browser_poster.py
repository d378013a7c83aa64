"""The poster page in a real browser: pan and zoom by keyboard, buttons, mouse, touch
(pointer events) and Ctrl + wheel; links still work; without a script the poster shows."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import REPO
from .test_browser import Watched, browser, serious_violations, small  # noqa: F401 - fixtures

Box = tuple[float, float, float, float]


@pytest.fixture
def poster(browser: Any, small: Path) -> Iterator[tuple[Watched, Any]]:  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = Watched(context.new_page())
    page = tab.open(small, "poster.html")
    yield tab, page
    context.close()


def _view(page: Any) -> Box:
    text = page.get_attribute(".llmarch-poster-frame svg", "viewBox")
    x, y, w, h = (float(v) for v in text.split())
    return x, y, w, h


def test_keys_and_buttons_zoom_and_pan(poster: tuple[Watched, Any]) -> None:
    tab, page = poster
    assert page.is_visible(".llmarch-poster-help")
    whole = _view(page)
    page.focus(".llmarch-poster-frame")
    page.keyboard.press("+")
    zoomed = _view(page)
    assert zoomed[2] == pytest.approx(whole[2] / 1.5, rel=0.01)
    page.keyboard.press("ArrowRight")
    assert _view(page)[0] > zoomed[0]
    page.keyboard.press("0")
    assert _view(page) == pytest.approx(whole, abs=0.05)
    page.click("button[aria-label='Zoom in']")
    page.click("button[aria-label='Zoom in']")
    assert _view(page)[2] == pytest.approx(whole[2] / 2.25, rel=0.01)
    page.click("button[aria-label='Show the whole poster']")
    assert _view(page) == pytest.approx(whole, abs=0.05)
    assert tab.problems == []


def test_mouse_drag_and_ctrl_wheel(poster: tuple[Watched, Any]) -> None:
    tab, page = poster
    whole = _view(page)
    box = page.locator(".llmarch-poster-frame").bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(cx, cy)
    page.keyboard.down("Control")
    page.mouse.wheel(0, -300)
    page.keyboard.up("Control")
    zoomed = _view(page)
    assert zoomed[2] < whole[2]
    page.mouse.down()
    page.mouse.move(cx - 200, cy - 100, steps=5)
    page.mouse.up()
    dragged = _view(page)
    assert dragged[0] > zoomed[0]  # the view follows the hand (the tiny poster is not tall)
    assert page.url.endswith("poster.html")  # a drag is not a click on a link
    assert tab.problems == []


def test_touch_pinch_zooms(poster: tuple[Watched, Any]) -> None:
    tab, page = poster
    whole = _view(page)
    page.evaluate(
        """() => {
        const frame = document.querySelector('.llmarch-poster-frame');
        const r = frame.getBoundingClientRect(), y = r.top + r.height / 2;
        const at = (id, x, type) => frame.dispatchEvent(new PointerEvent(type, {
            pointerId: id, pointerType: 'touch', clientX: x, clientY: y, bubbles: true}));
        const mid = r.left + r.width / 2;
        at(1, mid - 20, 'pointerdown'); at(2, mid + 20, 'pointerdown');
        at(1, mid - 60, 'pointermove'); at(2, mid + 60, 'pointermove');
        at(1, mid - 60, 'pointerup'); at(2, mid + 60, 'pointerup');
    }"""
    )
    assert _view(page)[2] < whole[2] / 2  # fingers three times as far apart
    assert tab.problems == []


def test_a_click_opens_the_model(poster: tuple[Watched, Any]) -> None:
    _, page = poster
    page.click("#llmarch-poster-tiny-mla a text.lp-name")
    page.wait_for_load_state("load")
    assert page.url.endswith("models/tiny-mla.html")


def test_without_a_script_the_whole_poster_shows(browser: Any, small: Path) -> None:  # noqa: F811
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 800})
    page = Watched(context.new_page()).open(small, "poster.html")
    frame = page.locator(".llmarch-poster-frame").bounding_box()
    svg = page.locator(".llmarch-poster-frame svg").bounding_box()
    assert 0 < svg["width"] <= frame["width"]
    assert not page.is_visible(".llmarch-poster-help")
    assert page.locator("a[download]").count() == 4
    context.close()


def test_on_the_site_no_errors_and_no_serious_accessibility_violations(
    browser: Any,  # noqa: F811
    site: Path,
) -> None:
    for scheme in ("light", "dark"):
        context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
        tab = Watched(context.new_page())
        page = tab.open(site, "poster.html")
        stacks = page.locator(".llmarch-poster-frame g.lp-model").count()
        assert stacks == len(list(REPO.glob("models/*.yaml")))
        page.wait_for_timeout(200)
        assert tab.problems == []  # before axe, whose own requests a file:// page refuses
        assert serious_violations(page) == []
        context.close()

"""The diagram viewer in a real browser: a diagram's toolbar opens it in a modal dialog that
zooms and pans with the mouse, with touch (tap, pinch, one-finger drag) and with the
keyboard, and gives focus back when it closes; the toolbar's download links reach the
diagram's SVG, and its PNG button (served over HTTP) makes a PNG with text in it;
phone-sized tap targets; no console errors; axe finds nothing serious. Skipped like the
other browser tests where there is no Chromium.
"""

from __future__ import annotations

import base64
import functools
import re
import struct
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
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
    """The gallery project."""
    out = tmp_path_factory.mktemp("viewer")
    source = TESTS / "roots" / "test-gallery"
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-E", str(source), str(out)]
    subprocess.run(command, check=True)
    return out


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        if self.path == "/favicon.ico":  # asked for by the browser; the project has none
            self.send_response(204)
            self.end_headers()
        else:
            super().do_GET()


@pytest.fixture(scope="module")
def served(site: Path) -> Iterator[str]:
    """The address of the site served over HTTP on this machine (loopback only): a page
    opened as a file cannot read its images' pixels, so its PNG is made only when served."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=site))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()


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


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from the PNG's IHDR chunk."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def svg_size(path: Path) -> tuple[float, float]:
    found = re.search(r'<svg\b[^>]*?\swidth="([\d.]+)"[^>]*?\sheight="([\d.]+)"', path.read_text())
    assert found is not None
    return float(found.group(1)), float(found.group(2))


def visible_links(page: Any, within: str) -> list[tuple[str, str]]:
    return page.eval_on_selector_all(
        f"{within} a[download]",
        "els => els.filter(e => e.offsetParent).map(e => [e.textContent, e.getAttribute('href')])",
    )


def visible_tools(page: Any, within: str) -> list[str]:
    return page.eval_on_selector_all(
        f"{within} .llmarch-tool",
        "els => els.filter(e => e.offsetParent).map(e => e.textContent)",
    )


#: dark pixels of a picture (text and lines on the light canvas), counted by the browser;
#: with ``strip``, of the SVG at ``src`` with its text taken out, drawn at the same size
INK = r"""async ([src, width, height, strip]) => {
  if (strip) {
    const svg = (await (await fetch(src)).text()).replace(/<text\b[\s\S]*?<\/text>/g, "");
    src = URL.createObjectURL(new Blob([svg], {type: "image/svg+xml"}));
  }
  const img = new Image();
  await new Promise((ok, fail) => { img.onload = ok; img.onerror = fail; img.src = src; });
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext("2d");
  context.drawImage(img, 0, 0, width, height);
  const pixels = context.getImageData(0, 0, width, height).data;
  let dark = 0;
  for (let i = 0; i < pixels.length; i += 4) {
    if (pixels[i + 3] > 0 && pixels[i] + pixels[i + 1] + pixels[i + 2] < 3 * 128) { dark++; }
  }
  return dark;
}"""


@pytest.mark.parametrize("address", [MODEL, COMPARE])
def test_the_svg_links_reach_the_file_of_the_theme(tab: Watched, site: Path, address: str) -> None:
    page = tab.open(site, address)
    base = (site / address.partition("?")[0]).parent
    for theme in ("light", "dark"):
        page.evaluate(f"document.body.dataset.theme = '{theme}'")
        links = visible_links(page, ".llmarch-tools")
        assert links and all(text == "SVG" for text, _ in links)
        for _, href in links:
            target = (base / href).resolve()
            assert target.is_file() and target.stat().st_size > 1000, href
            assert href.endswith(f"-{theme}.svg")
            assert target.read_text(encoding="utf-8").startswith("<?xml")
    # a page opened as a file cannot draw its PNG: no button that would fail
    assert "PNG" not in visible_tools(page, ".llmarch-tools")
    # the viewer offers the same files
    page.click(".llmarch-open")
    assert [h for _, h in visible_links(page, ".llmarch-viewer")] == [links[0][1]]
    assert tab.problems == []


@pytest.mark.parametrize("address", [MODEL, COMPARE])
@pytest.mark.parametrize("where", ["toolbar", "viewer"])
def test_the_png_button_downloads_the_light_diagram_drawn_in_the_browser(
    tab: Watched, site: Path, served: str, tmp_path: Path, address: str, where: str
) -> None:
    page = tab.page
    page.goto(served + address)
    page.wait_for_load_state("load")
    page.evaluate("document.body.dataset.theme = 'dark'")  # the PNG is light all the same
    assert visible_tools(page, ".llmarch-tools")[:3] == ["⤢ Zoom", "SVG", "PNG"]
    svg = page.get_attribute(".llmarch-tools a.llmarch-only-light", "href")
    scope = ".llmarch-tools"
    if where == "viewer":
        page.click(".llmarch-open")
        scope = ".llmarch-viewer"
        tools = visible_tools(page, scope)
        assert tools[tools.index("Fit") + 1 :] == ["SVG", "PNG", "✕"]
    with page.expect_download() as info:
        page.click(f"{scope} button.llmarch-png")
    download = info.value
    name = svg.rpartition("/")[2].removesuffix("-light.svg")
    assert re.fullmatch(r"tiny-(gqa|mla)-full", name)
    assert download.suggested_filename == f"{name}.png"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    data = saved.read_bytes()
    # twice the diagram's own size (the browser rounds that to whole pixels first)
    width, height = png_size(data)
    own = svg_size(site / "_images" / "llmarch" / f"{name}-light.svg")
    assert abs(width - 2 * own[0]) <= 2 and abs(height - 2 * own[1]) <= 2, (width, height, own)
    # not blank, and its text is drawn: far more ink than the same diagram without text
    picture = "data:image/png;base64," + base64.b64encode(data).decode()
    ink = page.evaluate(INK, [picture, width, height, False])
    bare = page.evaluate(INK, [f"{served}_images/llmarch/{name}-light.svg", width, height, True])
    assert ink > 1.3 * bare > 0, (ink, bare)
    assert tab.problems == []


def test_the_compare_page_opens_its_diagrams_in_the_viewer(tab: Watched, site: Path) -> None:
    page = tab.open(site, COMPARE)
    assert page.locator(".llmarch-compare-item .llmarch-open").count() == 2
    page.locator(".llmarch-compare-item .llmarch-open").nth(1).click()
    assert is_open(page)
    assert page.inner_text(".llmarch-viewer-title") == "Tiny MLA"
    # the compare page draws its diagrams inline, from the models' diagram scripts
    size = page.locator(".llmarch-viewer-content svg").first.bounding_box()
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


def test_without_scripts_the_svg_links_are_there(browser: Any, site: Path) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = Watched(context.new_page()).open(site, MODEL)
    links = visible_links(page, ".llmarch-tools")
    tools = visible_tools(page, ".llmarch-tools")
    context.close()
    assert tools == ["SVG"]  # no PNG: the browser draws it, with the script
    assert [h for _, h in links] == ["../_images/llmarch/tiny-mla-full-light.svg"]

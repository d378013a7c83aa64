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
from .test_browser import Watched

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

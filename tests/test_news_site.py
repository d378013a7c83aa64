"""The project's own site: its changelog page and feed list the models from the history,
the landing page says when it was last updated, every page shows the package's version
in its footer, and articles and phones get their pictures."""

from __future__ import annotations

import re
import struct
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from sphinx_llmarch import __version__
from sphinx_llmarch.ext.feed import ENTRIES, FEED
from sphinx_llmarch.ext.sitecard import SITE_CARD, TOUCH_ICON
from sphinx_llmarch.model.history import read_history

from .conftest import MODELS, REPO

#: built pages, from the root of the site (the layout may move them: change them here)
CHANGELOG = "changelog.html"
LANDING = "index.html"
ARTICLE = "articles/big-comparison.html"
BASE = "https://sphinx-llmarch.github.io/sphinx-llmarch/"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def history():
    found = read_history(MODELS)
    if found.missing:
        pytest.skip(f"no history to compare with: {found.missing}")
    return found


def _read(site: Path, page: str) -> str:
    return (site / page).read_text(encoding="utf-8")


def _to_page(page: str, target: str) -> str:
    """The address of ``target`` (from the root) as written in ``page``."""
    return "../" * page.count("/") + target


def test_the_changelog_lists_every_model_on_the_day_it_was_added(site: Path, history) -> None:
    page = _read(site, CHANGELOG)
    days = re.split(r'<section class="llmarch-changes" id="changes-', page)[1:]
    by_day = {day[:10]: day for day in days}
    for slug, date in history.added_on().items():
        assert (MODELS / f"{slug}.yaml").is_file()
        link = f'href="{_to_page(CHANGELOG, f"models/{slug}.html")}"'
        assert link in by_day[date[:10]], (slug, date)
    assert set(history.added_on()) == {p.stem for p in MODELS.glob("*.yaml")}


def test_the_landing_page_says_when_and_links_the_changes(site: Path, history) -> None:
    page = _read(site, LANDING)
    day = history.updated[:10]
    assert re.search(
        rf'Last updated {day} — <a class="reference internal" href="[^"]*changelog.html"', page
    )
    feed = f'<link rel="alternate" type="application/atom+xml" title="LLM Architecture Gallery: what changed" href="{_to_page(LANDING, FEED)}" />'
    assert feed in page and feed.replace(
        _to_page(LANDING, FEED), _to_page(CHANGELOG, FEED)
    ) in _read(site, CHANGELOG)


def test_the_feed_lists_the_newest_changes_with_the_models(site: Path, history) -> None:
    feed = ET.fromstring((site / FEED).read_bytes())
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == min(ENTRIES, len(history.changes))
    for entry, change in zip(entries, history.changes, strict=False):
        assert entry.findtext(f"{ATOM}updated") == change.date
        link = entry.find(f"{ATOM}link")
        assert link is not None and link.get("href") == f"{BASE}models/{change.slugs[0]}.html"
        assert (site / "models" / f"{change.slugs[0]}.html").is_file()
        content = entry.findtext(f"{ATOM}content") or ""
        for slug in change.slugs:
            assert f'href="{BASE}models/{slug}.html"' in content


@pytest.mark.parametrize("page", [LANDING, ARTICLE, "models/deepseek-v3.html"])
def test_every_page_shows_the_version_and_the_touch_icon(site: Path, page: str) -> None:
    text = _read(site, page)
    assert f"Built with sphinx-llmarch {__version__}" in text
    assert (
        f'<link rel="apple-touch-icon" sizes="180x180" href="{_to_page(page, TOUCH_ICON)}" />'
        in text
    )
    assert struct.unpack(">II", (site / TOUCH_ICON).read_bytes()[16:24]) == (180, 180)


def test_an_article_shows_the_site_card(site: Path) -> None:
    card = f"_images/llmarch/{SITE_CARD}-card.png"
    assert f'<meta property="og:image" content="{BASE}{card}" />' in _read(site, ARTICLE)
    assert struct.unpack(">II", (site / card).read_bytes()[16:24]) == (1200, 630)


def test_the_changelog_file_starts_with_this_version() -> None:
    text = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    versions = re.findall(r"^## (\d+\.\d+\.\d+) — \d{4}-\d\d-\d\d$", text, re.MULTILINE)
    assert versions[0] == __version__ and versions == sorted(versions, reverse=True)
    assert "0.1.0" in versions


def test_the_404_page_names_the_touch_icon_by_its_absolute_path(site: Path) -> None:
    page = _read(site, "404.html")
    assert (
        f'<link rel="apple-touch-icon" sizes="180x180" href="/sphinx-llmarch/{TOUCH_ICON}" />'
        in page
    )

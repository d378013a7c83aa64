"""The gallery, overview and compare pages in a real browser (headless Chromium).

Each view is loaded with its state in the address, the way a shared link opens it, and
the DOM is read after the page's script has run. Skipped when no Chromium is installed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from .conftest import TESTS

CHROMIUM = next(
    filter(None, (shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome"))), None
)
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on this machine")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--virtual-time-budget=5000",
    "--dump-dom",
]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("browser")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-b",
            "html",
            "-q",
            "-E",
            str(TESTS / "roots" / "test-gallery"),
            str(out),
        ],
        check=True,
    )
    return out


def dom(site: Path, page: str, query: str = "") -> str:
    url = (site / page).as_uri() + (f"?{query}" if query else "")
    with tempfile.TemporaryDirectory() as profile:
        proc = subprocess.run(
            [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", url],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
    return proc.stdout


def visible_cards(page: str) -> list[str]:
    cards = re.findall(r'<div class="sd-col sd-d-flex-row llmarch-card"([^>]*)>', page)
    return [
        re.search(r'data-slug="([^"]+)"', c).group(1)  # type: ignore[union-attr]
        for c in cards
        if " hidden" not in c
    ]


def test_gallery_sorts(site: Path) -> None:
    assert visible_cards(dom(site, "gallery.html")) == ["tiny-mla", "tiny-gqa"]
    assert visible_cards(dom(site, "gallery.html", "sort=name")) == ["tiny-gqa", "tiny-mla"]
    assert visible_cards(dom(site, "gallery.html", "sort=total")) == ["tiny-mla", "tiny-gqa"]
    assert visible_cards(dom(site, "gallery.html", "sort=date-asc")) == ["tiny-gqa", "tiny-mla"]


def test_gallery_filters_and_searches(site: Path) -> None:
    page = dom(site, "gallery.html", "decoder=Dense")
    assert visible_cards(page) == ["tiny-gqa"]
    assert "1 of 2 models" in page
    assert visible_cards(dom(site, "gallery.html", "attention=mla")) == ["tiny-mla"]
    assert visible_cards(dom(site, "gallery.html", "year=2024")) == ["tiny-gqa"]
    assert visible_cards(dom(site, "gallery.html", "q=latent+attention")) == ["tiny-mla"]
    assert visible_cards(dom(site, "gallery.html", "q=nothing-matches")) == []


def test_gallery_picks_two_models_to_compare(site: Path) -> None:
    page = dom(site, "gallery.html", "a=tiny-gqa&b=tiny-mla")
    assert 'href="app.html?a=tiny-gqa&amp;b=tiny-mla"' in page
    assert "Model A: Tiny GQA · Model B: Tiny MLA" in page


def test_overview_sorts_from_the_address(site: Path) -> None:
    page = dom(site, "overview.html", "order=total&dir=desc")
    body = page[page.index("<tbody>") :]
    assert body.index("Tiny MLA") < body.index("Tiny GQA")
    assert 'aria-sort="descending"' in page


def test_compare_page_reproduces_a_shared_link(site: Path) -> None:
    page = dom(site, "app.html", "a=tiny-gqa&b=tiny-mla")
    assert "<title>Tiny GQA vs Tiny MLA" in page
    table = page[page.index('<table class="llmarch-compare-table') :]
    assert re.search(
        r'<tr class="llmarch-differs"><th>Decoder type</th><td[^>]*>Dense</td>'
        r"<td[^>]*>Sparse MoE</td></tr>",
        table,
    )
    assert "<tr><th>Vocabulary</th><td>1,000</td><td>1,000</td></tr>" in table
    assert 'src="./_images/llmarch/tiny-mla-full-light.svg"' in page


def test_compare_page_without_a_choice(site: Path) -> None:
    assert "Choose two models." in dom(site, "app.html")

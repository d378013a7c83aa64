"""Page-weight budgets on the built site: what a reader downloads for each kind of page.

Budgets guard against regressions; they sit above today's sizes (stated beside each) with
room for the gallery to grow. A long article inlines its first diagrams and draws the
others as they come into view, from scripts beside the page (not counted here: a reader
downloads only those they scroll to).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import MODELS

KIB = 1024

#: page (or glob) → budget in KiB; today's size in the comment
BUDGETS = {
    "index.html": 420,  # 268 KiB: the landing page holds the gallery
    "gallery.html": 420,  # 263 KiB
    "overview.html": 120,  # 58 KiB
    "compare.html": 64,  # 31 KiB, the page itself; the two diagrams are loaded on demand
    "charts.html": 300,  # 193 KiB
    "concepts.html": 220,  # 135 KiB
    "memory.html": 180,  # 115 KiB
    "comparisons/*.html": 200,  # at most 110 KiB
    "articles/*.html": 600,  # at most 507 KiB (the big comparison; 2,470 KiB inlining all)
    "_static/llmarch-data.js": 160,  # 102 KiB: every model's card and compare data
    "_static/llmarch-summaries.js": 100,  # 43 KiB: the search results' summaries
    "searchindex.js": 400,  # 242 KiB
}


@pytest.mark.parametrize("pattern", sorted(BUDGETS))
def test_each_kind_of_page_keeps_to_its_budget(site: Path, pattern: str) -> None:
    pages = sorted(site.glob(pattern))
    assert pages, pattern
    heavy = {
        p.name: p.stat().st_size // KIB for p in pages if p.stat().st_size > BUDGETS[pattern] * KIB
    }
    assert heavy == {}


def test_every_model_page_keeps_to_its_budget(site: Path) -> None:
    # 115 KiB for the largest today (DeepSeek V4-Flash: a diagram with eight side panels)
    sizes = {
        p.stem: (site / "models" / f"{p.stem}.html").stat().st_size for p in MODELS.glob("*.yaml")
    }
    assert {slug: size // KIB for slug, size in sizes.items() if size > 180 * KIB} == {}

"""Long pages made light (:mod:`sphinx_llmarch.ext.lazy`): which diagrams a built page
inlines, the scripts its later diagrams are drawn from, and its folded fact tables."""

from __future__ import annotations

import html
import re
from pathlib import Path

from sphinx_llmarch.ext.lazy import INLINE_FIRST, LONG_PAGE

BOX = re.compile(
    r'<div class="llmarch-lazy-box" data-llmarch-lazy="([^"]+)" data-llmarch-key="([^"]+)"'
)


def _pages(site: Path) -> dict[str, str]:
    return {
        str(p.relative_to(site)): p.read_text(encoding="utf-8")
        for p in site.rglob("*.html")
        if "_images" not in p.parts
    }


def test_long_pages_inline_their_first_diagrams_and_load_the_others(site: Path) -> None:
    lazy = {name: BOX.findall(text) for name, text in _pages(site).items()}
    long = {name for name, boxes in lazy.items() if boxes}
    assert "articles/big-comparison.html" in long
    for name in long:
        page = site / name
        text = page.read_text(encoding="utf-8")
        frames = text.count('<div class="llmarch-diagram llmarch-full')
        assert frames > LONG_PAGE, name
        assert frames - len(lazy[name]) == INLINE_FIRST, name
        for src, key in lazy[name]:
            script = (page.parent / html.unescape(src)).resolve()
            body = script.read_text(encoding="utf-8")
            # the diagram as the page would have inlined it, under its key
            assert body.startswith(
                f'(window.LLMARCH_LAZY = window.LLMARCH_LAZY || {{}})["{key}"] = "\\u003csvg '
            )
            assert "concepts.html#llmarch-concept-" in body


def test_model_pages_inline_their_diagram(site: Path) -> None:
    page = (site / "models" / "deepseek-v3.html").read_text(encoding="utf-8")
    assert "llmarch-lazy-box" not in page
    assert "llmarch-fold" not in page


def test_a_waiting_diagram_shows_its_picture_without_scripts(site: Path) -> None:
    page = site / "articles" / "big-comparison.html"
    pictures = re.findall(
        r'<noscript><img src="([^"]+)" alt="Diagram of ', page.read_text(encoding="utf-8")
    )
    assert pictures
    assert all((page.parent / html.unescape(src)).is_file() for src in pictures)


def test_fact_tables_on_a_long_page_are_folded_and_closed(site: Path) -> None:
    text = (site / "articles" / "big-comparison.html").read_text(encoding="utf-8")
    folds = re.findall(r'<details class="llmarch-fold"><summary>Facts of ([^<]+)</summary>', text)
    assert "DeepSeek V3" in folds
    assert text.count('class="llmarch-facts') == len(folds)
    assert "<details open" not in text

"""A model page's "Compare with…": a plain form naming every other model, opening the
site's compare page with the model as A, and links to its similar models; kept up to date
when another model is renamed, and left out where the site has no compare page."""

from __future__ import annotations

import re
from pathlib import Path

from .conftest import html
from .test_incremental import build_copy, touch_later

COMPARE_PAGE = "---\norphan: true\n---\n# Compare\n\n```{llmarch-compare-app}\n```\n"


def _picker(page: str) -> str:
    start = page.index('<div class="llmarch-compare-with">')
    return page[start : page.index("</div>", start)]


def _options(page: str) -> list[str]:
    return re.findall(r'<option value="([^"]+)">', _picker(page))


def test_a_model_page_offers_every_other_model(make_app, rootdir: Path, tmp_path: Path) -> None:
    app, tracker, srcdir = build_copy(make_app, rootdir, tmp_path, {"compare.md": COMPARE_PAGE})
    page = html(app, "models/tiny-gqa")
    picker = _picker(page)
    assert '<form method="get" action="../compare.html">' in picker
    assert '<input type="hidden" name="a" value="tiny-gqa">' in picker
    slugs = {p.stem for p in (srcdir / "models").glob("*.yaml")}
    assert sorted(_options(page)) == sorted(slugs - {"tiny-gqa"})
    # above the diagram
    assert page.index("llmarch-compare-with") < page.index("llmarch-diagram")
    # the similar models link straight to their comparison
    assert 'href="../compare.html?a=tiny-gqa&amp;b=tiny-mla">Tiny MLA</a>' in picker
    # another model renamed: this page is rewritten with the new name
    path = srcdir / "models" / "tiny-mla.yaml"
    touch_later(path, path.read_text().replace("name: Tiny MLA", "name: Tiny MLA Two"))
    app.build()
    assert "models/tiny-gqa" in tracker.written
    assert ">Tiny MLA Two</option>" in _picker(html(app, "models/tiny-gqa"))


def test_without_a_compare_page_there_is_no_picker(make_app, rootdir: Path, tmp_path: Path) -> None:
    app, _, _ = build_copy(make_app, rootdir, tmp_path, {})
    assert "llmarch-compare-with" not in html(app, "models/tiny-gqa")

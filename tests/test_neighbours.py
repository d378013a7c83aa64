"""A model page leads on: to the models before and after it in the gallery, and back to
its own card there."""

from __future__ import annotations

import re
from pathlib import Path

from sphinx_llmarch.ext.neighbours import _around, _order

from .conftest import MODELS, warning_lines


def test_the_order_is_the_gallerys_newest_first_undated_last() -> None:
    summaries = {
        "a": {"slug": "a", "release_date": "2024-01-01"},
        "b": {"slug": "b", "release_date": "2025-06-01"},
        "c": {"slug": "c", "release_date": ""},
    }
    order = _order(summaries)
    assert order == ("b", "a", "c")
    assert _around(order, "b") == (None, "a")
    assert _around(order, "a") == ("b", "c")
    assert _around(order, "c") == ("a", None)


def _nav(page: str) -> str:
    found = re.search(r'<nav class="llmarch-neighbours"[^>]*>(.*?)</nav>', page, re.DOTALL)
    assert found, "no way on"
    return found.group(1)


def test_a_model_page_links_its_neighbours_and_its_card(make_app, rootdir: Path, tmp_path) -> None:
    app = make_app("html", srcdir=rootdir / "test-gallery", builddir=tmp_path, freshenv=True)
    app.build()
    assert warning_lines(app) == []
    out = Path(app.outdir)
    gallery = (out / "gallery.html").read_text(encoding="utf-8")
    newest, oldest = re.findall(
        r'class="sd-col sd-d-flex-row llmarch-card" id="llmarch-card-([\w.-]+)"', gallery
    )
    first = _nav((out / "models" / f"{newest}.html").read_text(encoding="utf-8"))
    assert 'rel="prev"' not in first
    assert f'rel="next" href="{oldest}.html"' in first
    assert f'href="../gallery.html#llmarch-card-{newest}">Back to the gallery</a>' in first
    last = _nav((out / "models" / f"{oldest}.html").read_text(encoding="utf-8"))
    assert f'rel="prev" href="{newest}.html"' in last and 'rel="next"' not in last


def test_every_model_page_of_the_site_leads_on(site: Path) -> None:
    for path in sorted(MODELS.glob("*.yaml")):
        nav = _nav((site / "models" / f"{path.stem}.html").read_text(encoding="utf-8"))
        assert f"#llmarch-card-{path.stem}" in nav
        for target in re.findall(r'rel="(?:prev|next)" href="([^"]+)"', nav):
            assert (site / "models" / target).is_file(), (path.stem, target)

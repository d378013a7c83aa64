"""A model page's "Compare with…": a plain form offering every other model (its similar
models in the page, the others from one shared names script), opening the site's compare
page with the model as A, and links to its similar models; kept up to date when a model it
names is renamed, and left out where the site has no compare page."""

from __future__ import annotations

import json
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


def _names(app) -> list[list[str]]:
    text = (Path(app.outdir) / "_static" / "llmarch-names.js").read_text(encoding="utf-8")
    prefix = "window.LLMARCH_NAMES = "
    assert text.startswith(prefix)
    return json.loads(text[len(prefix) :].rstrip().rstrip(";"))


def test_a_model_page_offers_every_other_model(make_app, rootdir: Path, tmp_path: Path) -> None:
    app, tracker, srcdir = build_copy(make_app, rootdir, tmp_path, {"compare.md": COMPARE_PAGE})
    page = html(app, "models/tiny-gqa")
    picker = _picker(page)
    assert '<form method="get" action="../compare.html">' in picker
    assert '<input type="hidden" name="a" value="tiny-gqa">' in picker
    # the page names its similar models; the shared names script every model, by name
    assert _options(page) == ["tiny-mla"]
    assert '<script src="../_static/llmarch-names.js" defer></script>' in picker
    slugs = {p.stem for p in (srcdir / "models").glob("*.yaml")}
    names = _names(app)
    assert {slug for slug, _ in names} == slugs
    assert [name for _, name in names] == sorted(name for _, name in names)
    # above the diagram
    assert page.index("llmarch-compare-with") < page.index("llmarch-diagram")
    # the similar models link straight to their comparison
    assert 'href="../compare.html?a=tiny-gqa&amp;b=tiny-mla">Tiny MLA</a>' in picker
    # a similar model renamed: this page is rewritten with the new name, the script too
    path = srcdir / "models" / "tiny-mla.yaml"
    touch_later(path, path.read_text().replace("name: Tiny MLA", "name: Tiny MLA Two"))
    app.build()
    assert "models/tiny-gqa" in tracker.written
    assert ">Tiny MLA Two</option>" in _picker(html(app, "models/tiny-gqa"))
    assert ["tiny-mla", "Tiny MLA Two"] in _names(app)


def test_renaming_a_model_rewrites_only_the_pages_naming_it(
    make_app, rootdir: Path, tmp_path: Path
) -> None:
    """Every model page once listed every model: one rename rewrote them all."""
    base = (rootdir / "test-basic" / "models" / "tiny-mla.yaml").read_text(encoding="utf-8")
    pages = {"compare.md": COMPARE_PAGE}
    for i in range(12):  # enough models that most pages do not name a given one
        text = base.replace("slug: tiny-mla", f"slug: tiny-mla-{i}")
        pages[f"models/tiny-mla-{i}.yaml"] = text.replace("name: Tiny MLA", f"name: Tiny MLA {i}")
    app, tracker, srcdir = build_copy(make_app, rootdir, tmp_path, pages)
    path = srcdir / "models" / "tiny-gqa.yaml"
    touch_later(path, path.read_text().replace("name: Tiny GQA", "name: Tiny GQA Two"))
    app.build()
    naming = {
        docname
        for docname in tracker.written
        if docname.startswith("models/") and "Tiny GQA Two" in html(app, docname)
    }
    model_pages = {d for d in tracker.written if d.startswith("models/")}
    # a model page is written only when it shows the new name (the model's own page, its
    # neighbours' and the pages listing it as similar)
    assert "models/tiny-gqa" in model_pages
    assert model_pages == naming
    assert len(model_pages) < len(list((srcdir / "models").glob("*.yaml"))) // 2
    assert ["tiny-gqa", "Tiny GQA Two"] in _names(app)


def test_without_a_compare_page_there_is_no_picker(make_app, rootdir: Path, tmp_path: Path) -> None:
    app, _, _ = build_copy(make_app, rootdir, tmp_path, {})
    assert "llmarch-compare-with" not in html(app, "models/tiny-gqa")

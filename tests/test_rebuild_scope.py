"""What an incremental build redoes: pages built from every model are rewritten only when
what they show changed, they do not depend on every model file, and the standalone image
files are written only when their figure changed."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from sphinx_llmarch.model import store

from .conftest import html
from .test_incremental import build_copy, touch_later

FIGURES_PAGE = "---\norphan: true\n---\n# Figures\n\n```{llmarch-figures-check}\n```\n"

#: with furo, whose post-transform wraps each table so that it can scroll
OVERRIDES = {
    "extensions": ["myst_parser", "sphinx_llmarch", "sphinx_llmarch._docs"],
    "html_theme": "furo",
    "llmarch_export": True,
}


@pytest.fixture
def site(make_app, rootdir: Path, tmp_path: Path):
    other = (rootdir / "test-basic" / "models" / "tiny-gqa.yaml").read_text()
    other = other.replace("tiny-gqa", "tiny-other").replace("Tiny GQA", "Tiny Other")
    # a model no other page shows
    pages = {"figures.md": FIGURES_PAGE, "models/tiny-other.yaml": other.replace("3M", "5M")}
    return build_copy(make_app, rootdir, tmp_path, pages, confoverrides=OVERRIDES)


def _edit(srcdir: Path, old: str, new: str) -> None:
    path = srcdir / "models" / "tiny-gqa.yaml"
    text = path.read_text()
    assert old in text
    touch_later(path, text.replace(old, new))


def _images(app) -> dict[str, int]:
    folder = Path(app.outdir) / "_images" / "llmarch"
    return {p.name: p.stat().st_mtime_ns for p in folder.glob("tiny-gqa-*.svg")}


def test_edit_that_no_list_shows_rewrites_no_list(site) -> None:
    app, tracker, srcdir = site
    _edit(srcdir, "https://example.org/tiny-gqa/config.json", "https://example.org/config.json")
    app.build()
    # its page and the pages showing its diagram
    assert tracker.read == {"models/tiny-gqa", "article", "rst"}
    assert "list" not in tracker.written
    assert "figures" not in tracker.written


def test_figures_check_reads_summaries_not_model_files(site) -> None:
    app, tracker, srcdir = site
    assert "<td><p>3M</p></td>" in html(app, "figures")
    # filled in after the page's post-transforms, the table still gets the theme's
    assert '<div class="table-wrapper llmarch-reference docutils container">' in html(
        app, "figures"
    )
    assert "models/tiny-gqa.html" in html(app, "figures")
    _edit(srcdir, "total: 3M", "total: 2M")
    app.build()
    # the check is not read again, only rewritten with the new figure
    assert tracker.read == {"models/tiny-gqa", "article", "rst"}
    assert {"figures", "models/tiny-gqa"} <= tracker.written
    assert "<td><p>2M</p></td>" in html(app, "figures")
    assert "<td><p>3M</p></td>" not in html(app, "figures")


def test_image_files_are_written_only_when_their_figure_changed(site) -> None:
    app, tracker, srcdir = site
    before = _images(app)
    assert len(before) == 4
    for path in (Path(app.outdir) / "_images" / "llmarch").glob("tiny-gqa-*.svg"):
        os.utime(path, ns=(10**18, 10**18))
    _edit(srcdir, "https://example.org/tiny-gqa/config.json", "https://example.org/config.json")
    app.build()
    assert "models/tiny-gqa" in tracker.written
    assert set(_images(app).values()) == {10**18}
    tracker.reset()
    _edit(srcdir, "name: Tiny GQA", "name: Tiny GQA Two")
    app.build()
    changed = {name for name, stamp in _images(app).items() if stamp != 10**18}
    assert changed == set(before)  # the name is in both diagrams' titles or descriptions


def test_export_is_written_without_loading_every_model(
    site, make_app, tmp_path: Path, monkeypatch
) -> None:
    _, _, srcdir = site
    loaded: list[str] = []
    original = store.load_file

    def counting(path: Path, display: str | None = None):
        loaded.append(Path(path).stem)
        return original(path, display)

    monkeypatch.setattr(store, "load_file", counting)
    _edit(srcdir, "total: 3M", "total: 2M")
    # a new process: nothing loaded yet
    app = make_app("html", srcdir=srcdir, builddir=tmp_path / "build", confoverrides=OVERRIDES)
    app.build()
    assert "tiny-gqa" in loaded
    assert "tiny-other" not in loaded
    records = json.loads((Path(app.outdir) / "models.json").read_text())["models"]
    official = {r["slug"]: r["data"].get("official_params", {}).get("total") for r in records}
    assert official["tiny-gqa"] == 2_000_000
    assert official["tiny-other"] == 5_000_000
    assert set(official) == {"tiny-gqa", "tiny-mla", "tiny-other"}

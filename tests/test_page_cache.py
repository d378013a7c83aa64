"""Model pages read once per content: a build from scratch (``-E``) with the caches of an
earlier one takes what reading each unchanged model page made from the cache folder, and
writes the same site; a changed file, setting or warning makes the page read again."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pytest
from sphinx.testing.util import _clean_up_global_state

from sphinx_llmarch.ext import pagecache
from sphinx_llmarch.ext.modelpage import ModelPageParser

from .conftest import count_family_changes, html, warning_lines

PAGES = ["models/tiny-gqa", "models/tiny-mla"]


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The model pages the parser works out (rather than takes from the cache)."""
    seen: list[str] = []
    real = ModelPageParser._page

    def page(self, document) -> None:  # type: ignore[no-untyped-def]
        seen.append(document.settings.env.docname)
        real(self, document)

    monkeypatch.setattr(ModelPageParser, "_page", page)
    return seen


def _project(rootdir: Path, tmp_path: Path) -> Path:
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-gallery", src)
    return src


def _build(  # type: ignore[no-untyped-def]
    make_app, src: Path, tmp_path: Path, parallel: int = 0, **conf: object
):
    """A build from scratch (the environment not loaded) into the same folders."""
    _clean_up_global_state()  # the node classes a first application registered
    app = make_app(
        "html",
        srcdir=src,
        builddir=tmp_path / "b",
        freshenv=True,
        confoverrides=conf,
        parallel=parallel,
    )
    app.build()
    return app


def test_a_build_from_scratch_takes_unchanged_pages_from_the_cache(
    make_app, rootdir: Path, tmp_path: Path, parsed: list[str]
) -> None:
    src = _project(rootdir, tmp_path)
    first = _build(make_app, src, tmp_path)
    assert sorted(parsed) == PAGES
    assert warning_lines(first) == []
    written = {page: html(first, page) for page in PAGES}
    summaries = dict(first.env.domains["llmarch"].data["pages"])
    parsed.clear()
    again = _build(make_app, src, tmp_path)
    assert parsed == []
    assert warning_lines(again) == []
    assert {page: html(again, page) for page in PAGES} == written
    # what the pages noted: the gallery and the export are made from it
    assert again.env.domains["llmarch"].data["pages"] == summaries
    assert again.env.metadata["models/tiny-gqa"]["orphan"] is True


def test_an_edited_file_is_read_again(
    make_app, rootdir: Path, tmp_path: Path, parsed: list[str]
) -> None:
    src = _project(rootdir, tmp_path)
    _build(make_app, src, tmp_path)
    model = src / "models" / "tiny-gqa.yaml"
    text = model.read_text(encoding="utf-8")
    name = next(line for line in text.splitlines() if line.startswith("name: "))
    model.write_text(text.replace(name, "name: Tiny GQA, edited"), encoding="utf-8")
    parsed.clear()
    app = _build(make_app, src, tmp_path)
    assert parsed == ["models/tiny-gqa"]
    assert "Tiny GQA, edited" in html(app, "models/tiny-gqa")


def test_a_changed_setting_reads_every_page_again(
    make_app, rootdir: Path, tmp_path: Path, parsed: list[str]
) -> None:
    src = _project(rootdir, tmp_path)
    _build(make_app, src, tmp_path)
    parsed.clear()
    app = _build(make_app, src, tmp_path, llmarch_social_cards=True)
    assert sorted(parsed) == PAGES
    assert app.env.metadata["models/tiny-gqa"]["og:image"].endswith("tiny-gqa-card.png")


def test_a_page_with_warnings_is_read_and_reported_again(
    make_app, rootdir: Path, tmp_path: Path, parsed: list[str]
) -> None:
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-bad", src)
    first = _build(make_app, src, tmp_path)
    read = sorted(d for d in parsed if d.startswith("models/"))
    parsed.clear()
    again = _build(make_app, src, tmp_path)
    assert sorted(d for d in parsed if d.startswith("models/")) == [
        d for d in read if d != "models/good"
    ]
    assert warning_lines(again) == warning_lines(first) != []


def test_a_damaged_entry_is_read_again(
    make_app, rootdir: Path, tmp_path: Path, parsed: list[str]
) -> None:
    src = _project(rootdir, tmp_path)
    first = _build(make_app, src, tmp_path)
    written = html(first, "models/tiny-gqa")
    entries = sorted((tmp_path / "b" / "doctrees" / "llmarch-svg" / "pages").glob("*.page"))
    assert len(entries) == 2
    for entry in entries:
        key, _, _ = entry.read_bytes().partition(b"\n")
        entry.write_bytes(key + b"\nnot a pickle")
    parsed.clear()
    again = _build(make_app, src, tmp_path)
    assert sorted(parsed) == PAGES
    assert html(again, "models/tiny-gqa") == written


def test_parallel_readers_keep_and_take_pages(
    make_app, rootdir: Path, tmp_path: Path, parsed: list[str]
) -> None:
    """Readers in other processes write their pages' entries, and take them (with what
    the pages noted, merged into the main environment) in the next build."""
    src = _project(rootdir, tmp_path)
    serial = _build(make_app, src, tmp_path / "serial")
    written = {page: html(serial, page) for page in PAGES}
    for _ in range(2):
        app = _build(make_app, src, tmp_path, parallel=2)
        assert warning_lines(app) == []
        assert {page: html(app, page) for page in PAGES} == written
        assert sorted(app.env.domains["llmarch"].data["pages"]) == ["tiny-gqa", "tiny-mla"]
        assert app.env.metadata["models/tiny-mla"]["orphan"] is True


def test_what_changed_from_a_base_is_kept_with_the_pages(
    make_app, rootdir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The family tree's edges need both models loaded, which a build from scratch whose
    pages come from the cache no longer does: what changed is kept beside them, by the
    two files' texts, and worked out again once either file changes."""
    asked = count_family_changes(monkeypatch)
    src = _project(rootdir, tmp_path)
    edge = "GQA → MLA; dense → MoE 8×2"
    assert edge in html(_build(make_app, src, tmp_path), "charts")
    assert asked == [("tiny-gqa", "tiny-mla")]
    assert edge in html(_build(make_app, src, tmp_path), "charts")
    assert asked == [("tiny-gqa", "tiny-mla")]
    model = src / "models" / "tiny-mla.yaml"
    model.write_text(model.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert edge in html(_build(make_app, src, tmp_path), "charts")
    assert asked == [("tiny-gqa", "tiny-mla")] * 2


def test_a_page_that_cannot_be_kept_is_read_every_time(
    make_app, rootdir: Path, tmp_path: Path, parsed: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise pickle.PicklingError("no")

    monkeypatch.setattr(pagecache.pickle, "dumps", refuse)
    src = _project(rootdir, tmp_path)
    first = _build(make_app, src, tmp_path)
    assert warning_lines(first) == []
    parsed.clear()
    again = _build(make_app, src, tmp_path)
    assert sorted(parsed) == PAGES
    assert html(again, "models/tiny-gqa") == html(first, "models/tiny-gqa")

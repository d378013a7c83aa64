"""Incremental builds: an edited model re-reads exactly the pages that show it."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from .conftest import html, warning_lines


class Tracker:
    """Records which documents a build reads and which it writes."""

    def __init__(self, app) -> None:
        self.read: set[str] = set()
        self.written: set[str] = set()
        app.connect("env-before-read-docs", lambda app, env, names: self.read.update(names))
        app.connect("doctree-resolved", lambda app, doctree, name: self.written.add(name))

    def reset(self) -> None:
        self.read.clear()
        self.written.clear()


def touch_later(path: Path, text: str) -> None:
    """Write ``text`` with a modification time clearly after the last build."""
    path.write_text(text, encoding="utf-8")
    later = time.time() + 5
    os.utime(path, (later, later))


def build_copy(make_app, rootdir: Path, tmp_path: Path, pages: dict[str, str], **kwargs):
    """A first build of a copy of test-basic with ``pages`` added, its tracker reset."""
    import shutil

    srcdir = tmp_path / "src"
    shutil.copytree(rootdir / "test-basic", srcdir)
    for name, text in pages.items():
        (srcdir / name).write_text(text, encoding="utf-8")
    app = make_app("html", srcdir=srcdir, builddir=tmp_path / "build", freshenv=True, **kwargs)
    tracker = Tracker(app)
    app.build()
    assert warning_lines(app) == []
    tracker.reset()
    return app, tracker, srcdir


@pytest.fixture
def built(make_app, rootdir: Path, tmp_path: Path):
    return build_copy(make_app, rootdir, tmp_path, {})


def test_nothing_changed_reads_nothing(built) -> None:
    app, tracker, _ = built
    app.build()
    assert tracker.read == set()


def test_editing_a_model_rereads_only_its_pages(built) -> None:
    app, tracker, srcdir = built
    path = srcdir / "models" / "tiny-gqa.yaml"
    touch_later(path, path.read_text().replace("name: Tiny GQA", "name: Tiny GQA Two"))
    app.build()
    # its own page, and the two pages that show its diagram; not other.md nor tiny-mla
    assert tracker.read == {"models/tiny-gqa", "article", "rst"}
    # the list of all models is re-written (not re-read) with the new name
    assert "list" in tracker.written
    assert "Tiny GQA Two" in html(app, "list")
    assert "Tiny GQA Two" in html(app, "article")


def test_adding_a_model_adds_its_page_and_list_row(built) -> None:
    app, tracker, srcdir = built
    text = (srcdir / "models" / "tiny-gqa.yaml").read_text()
    text = text.replace("slug: tiny-gqa", "slug: tiny-new").replace("Tiny GQA", "Tiny New")
    touch_later(srcdir / "models" / "tiny-new.yaml", text)
    app.build()
    assert tracker.read == {"models/tiny-new"}
    assert "Tiny New" in html(app, "models/tiny-new")
    assert 'href="models/tiny-new.html"' in html(app, "list")


def test_a_missing_model_appears_when_its_file_is_added(built) -> None:
    app, tracker, srcdir = built
    page = srcdir / "later.md"
    touch_later(page, "---\norphan: true\n---\n# Later\n\n```{llmarch} tiny-later\n```\n")
    app.build()
    assert any("unknown model 'tiny-later'" in w for w in warning_lines(app))
    tracker.reset()
    text = (srcdir / "models" / "tiny-gqa.yaml").read_text()
    text = text.replace("slug: tiny-gqa", "slug: tiny-later")
    touch_later(srcdir / "models" / "tiny-later.yaml", text)
    app.build()
    assert {"later", "models/tiny-later"} <= tracker.read
    assert "<svg " in html(app, "later")


def test_removing_a_model_drops_it_from_the_list(built) -> None:
    app, tracker, srcdir = built
    (srcdir / "models" / "tiny-mla.yaml").unlink()
    app.build()
    assert "article" in tracker.read  # it showed tiny-mla
    assert "tiny-mla" not in html(app, "list")
    assert any("unknown model 'tiny-mla'" in w for w in warning_lines(app))

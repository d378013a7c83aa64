"""The search summaries are kept in the environment when each page is read: an edit
updates its page's summary without loading any other page's doctree, a removed page's
summary goes, and a parallel read gives the same file as a serial one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sphinx.environment import BuildEnvironment

from sphinx_llmarch.ext.search import page_summaries

from .test_incremental import build_copy, touch_later


def _summaries(app) -> dict[str, str]:
    script = (Path(app.outdir) / "_static/llmarch-summaries.js").read_text(encoding="utf-8")
    return json.loads(script.removeprefix("window.llmarchSummaries = ").rstrip().rstrip(";"))


def test_an_edit_updates_its_summary_without_loading_other_doctrees(
    make_app, rootdir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app, tracker, srcdir = build_copy(make_app, rootdir, tmp_path, {})
    before = _summaries(app)
    assert before["other"] == "A page that shows no model."
    loaded: list[str] = []
    original = BuildEnvironment.get_doctree

    def counting(env: BuildEnvironment, docname: str):
        loaded.append(docname)
        return original(env, docname)

    monkeypatch.setattr(BuildEnvironment, "get_doctree", counting)
    page = srcdir / "other.md"
    text = page.read_text(encoding="utf-8")
    touch_later(page, text.replace("\n\n", "\n\nA new first paragraph of prose.\n\n", 1))
    app.build()
    assert tracker.read == {"other"}
    after = _summaries(app)
    assert after["other"] == "A new first paragraph of prose."
    assert {k: v for k, v in after.items() if k != "other"} == {
        k: v for k, v in before.items() if k != "other"
    }
    # only the pages written were loaded (writing loads its own), none for the summaries
    assert set(loaded) <= tracker.written
    (srcdir / "other.md").unlink()
    app.build()
    assert "other" not in _summaries(app)


def test_a_parallel_read_gives_the_summaries_of_every_page(
    make_app, rootdir: Path, tmp_path: Path
) -> None:
    app, _, _ = build_copy(make_app, rootdir, tmp_path, {}, parallel=2)
    expected: dict[str, str] = {}
    for docname in sorted(app.env.found_docs):
        expected.update(page_summaries(app.env.get_doctree(docname), docname))
    assert _summaries(app) == expected
    assert len(expected) >= 3

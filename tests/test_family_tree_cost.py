"""Every page that shows the family tree asks what changed between the same models: it is
worked out once per build, and each page shows the same tree."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sphinx_llmarch.ext import familytree

from .conftest import TESTS, html


def test_the_changes_are_worked_out_once_for_two_trees(
    make_app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    srcdir = tmp_path / "src"
    shutil.copytree(TESTS / "roots" / "test-gallery", srcdir)
    tree = (srcdir / "charts.md").read_text()
    tree = tree[tree.index("```{llmarch-chart} family-tree") :]
    (srcdir / "tree2.md").write_text(f"---\norphan: true\n---\n# Tree again\n\n{tree}")
    asked: list[tuple[str, str]] = []
    original = familytree.changes

    def counted(base, model):  # type: ignore[no-untyped-def]
        asked.append((base.slug, model.slug))
        return original(base, model)

    monkeypatch.setattr(familytree, "changes", counted)
    app = make_app("html", srcdir=srcdir, builddir=tmp_path / "build", freshenv=True)
    app.build()
    assert asked == [("tiny-gqa", "tiny-mla")]
    first, second = html(app, "charts"), html(app, "tree2")
    edge = "GQA → MLA; dense → MoE 8×2"
    assert edge in first and edge in second

"""Every page that shows the family tree asks what changed between the same models: it is
worked out once per build, and each page shows the same tree."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .conftest import TESTS, count_family_changes, html


def test_the_changes_are_worked_out_once_for_two_trees(
    make_app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    srcdir = _two_trees(tmp_path)
    asked = count_family_changes(monkeypatch)
    app = make_app("html", srcdir=srcdir, builddir=tmp_path / "build", freshenv=True)
    app.build()
    assert asked == [("tiny-gqa", "tiny-mla")]
    first, second = html(app, "charts"), html(app, "tree2")
    edge = "GQA → MLA; dense → MoE 8×2"
    assert edge in first and edge in second


def _two_trees(tmp_path: Path) -> Path:
    """The gallery's test project with a second page showing the family tree."""
    srcdir = tmp_path / "src"
    shutil.copytree(TESTS / "roots" / "test-gallery", srcdir)
    tree = (srcdir / "charts.md").read_text()
    tree = tree[tree.index("```{llmarch-chart} family-tree") :]
    (srcdir / "tree2.md").write_text(f"---\norphan: true\n---\n# Tree again\n\n{tree}")
    return srcdir


def test_the_changes_are_kept_and_made_again_only_after_an_edit_of_either_model(
    make_app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    srcdir, builddir = tmp_path / "src", tmp_path / "build"
    shutil.copytree(TESTS / "roots" / "test-gallery", srcdir)
    (srcdir / "models" / "tiny-solo.yaml").write_text(
        (srcdir / "models" / "tiny-gqa.yaml").read_text().replace("tiny-gqa", "tiny-solo")
    )
    asked = count_family_changes(monkeypatch)
    make_app("html", srcdir=srcdir, builddir=builddir, freshenv=True).build()
    assert asked == [("tiny-gqa", "tiny-mla")]

    def build_after(slug: str, *edits: tuple[str, str]) -> str:
        asked.clear()
        if slug:
            model = srcdir / "models" / f"{slug}.yaml"
            text = model.read_text()
            for old, new in edits:
                text = text.replace(old, new, 1)
            model.write_text(text)
        app = make_app("html", srcdir=srcdir, builddir=builddir, freshenv=False)
        app.build()
        return html(app, "charts")

    # nothing changed, or a model outside the pair: what was kept is shown again
    assert "4 → 6 layers" in build_after("")
    assert asked == []
    build_after("tiny-solo", ("name: ", "name: Solo "))
    assert asked == []
    # the child edited, then its base: the pair is worked out again, and the edge says so
    build_after("tiny-mla", ("name: ", "name: Edited "))
    assert asked == [("tiny-gqa", "tiny-mla")]
    page = build_after("tiny-gqa", ("count: 4", "count: 2"), ("repeat: 4", "repeat: 2"))
    assert asked == [("tiny-gqa", "tiny-mla")]
    assert "2 → 6 layers" in page and "4 → 6 layers" not in page


def test_models_without_pages_are_worked_out_once_per_build(
    make_app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Models whose files are not pages of the project (kept outside its sources) have no
    page to keep their changes with: two trees in one build still work them out once."""
    srcdir = _two_trees(tmp_path)
    shutil.move(srcdir / "models", tmp_path / "models")
    asked = count_family_changes(monkeypatch)
    app = make_app(
        "html",
        srcdir=srcdir,
        builddir=tmp_path / "build",
        freshenv=True,
        confoverrides={"llmarch_models_dir": str(tmp_path / "models")},
    )
    app.build()
    assert asked == [("tiny-gqa", "tiny-mla")]
    assert "GQA → MLA; dense → MoE 8×2" in html(app, "tree2")

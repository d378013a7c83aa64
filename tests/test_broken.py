"""A corpus of broken model files: located warnings, a finished build, intact pages.

The same corpus (tests/data/broken.py) goes through ``llmarch validate`` and through a
Sphinx build; both must report exactly the same problems, at the same lines.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

from sphinx_llmarch.cli import main
from sphinx_llmarch.model.loader import load_file

from .conftest import TESTS, html, warning_lines
from .data.broken import EXPECTED, GOOD, GOOD_MOE, message, write_corpus


def test_the_corpus_covers_every_case(tmp_path: Path) -> None:
    assert sorted(write_corpus(tmp_path)) == sorted(EXPECTED)


def test_validate_reports_every_problem(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_corpus(tmp_path)
    assert main(["validate", str(tmp_path)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out == [
        f"{tmp_path / slug}.yaml:{line}: {message(field, text)}"
        for slug in sorted(EXPECTED)
        for line, field, text, _ in EXPECTED[slug]
    ]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SphinxTestApp]:
    src = tmp_path_factory.mktemp("broken")
    write_corpus(src / "models")
    for good in (GOOD, GOOD_MOE, GOOD.parent.parent.parent / "test-gallery/models/tiny-gqa.yaml"):
        shutil.copy(good, src / "models")
    shutil.copy(TESTS / "roots" / "test-basic" / "conf.py", src)
    (src / "index.md").write_text(
        "# Broken corpus\n\n```{llmarch} good\n```\n\n```{llmarch-gallery}\n```\n\n"
        "```{llmarch-compare} good\n```\n\n```{llmarch-compare} "
        + " ".join(["good", "tiny-gqa"] * 25)
        + "\n```\n",
        encoding="utf-8",
    )
    app = SphinxTestApp("html", srcdir=src, freshenv=True)
    app.build()
    yield app
    app.cleanup()


def test_the_build_reports_the_same_problems(built: SphinxTestApp) -> None:
    expected = [
        f"<srcdir>/models/{slug}.yaml:{line}: WARNING: {message(field, text)} [llmarch.{kind}]"
        for slug in EXPECTED
        for line, field, text, kind in EXPECTED[slug]
    ]
    ours = [w for w in warning_lines(built) if "[llmarch." in w]
    assert sorted(ours) == sorted(expected)


def test_directives_with_too_few_or_too_many_models_are_located(built: SphinxTestApp) -> None:
    others = [w for w in warning_lines(built) if "[llmarch." not in w]
    assert others == [
        (
            "<srcdir>/index.md:9: ERROR: Directive 'llmarch-compare': 2 argument(s) required, "
            "1 supplied [docutils]"
        ),
        (
            "<srcdir>/index.md:12: ERROR: Directive 'llmarch-compare': maximum 6 argument(s) "
            "allowed, 50 supplied [docutils]"
        ),
    ]


def test_other_pages_are_intact(built: SphinxTestApp) -> None:
    index = html(built, "index")
    assert index.count("<svg ") == 1  # the good model's diagram
    for slug in ("good", "tiny-gqa", "tiny-mla"):
        assert "<svg " in html(built, f"models/{slug}")
        assert f'data-slug="{slug}"' in index  # in the gallery
    assert not any(f'data-slug="{slug}"' in index for slug in EXPECTED if slug != "draft")


def test_a_draft_is_shown_marked_as_unfinished(built: SphinxTestApp) -> None:
    assert 'data-slug="draft"' in html(built, "index")
    page = html(built, "models/draft")
    assert "<svg " in page
    assert "Unfinished draft" in page
    assert "compress_ratios = [0, 0, 4, 128]: not understood" in page


def test_broken_models_get_a_placeholder_page(built: SphinxTestApp) -> None:
    for slug, problems in EXPECTED.items():
        if slug == "draft":
            continue
        if slug == "bad-utf8":  # Sphinx cannot read it as text: left out of the build
            assert not (Path(built.outdir) / "models" / "bad-utf8.html").exists()
            continue
        page = html(built, f"models/{slug}")
        assert f"{slug}.yaml has {len(problems)} problem(s)" in page
        assert "<svg " not in page


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "good.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD.read_bytes())
    with_bom, plain = load_file(path), load_file(GOOD)
    assert with_bom.problems == ()
    assert with_bom.model is not None and plain.model is not None
    assert with_bom.model.spec == plain.model.spec


def test_a_model_that_becomes_unreadable_leaves_and_comes_back(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(TESTS / "roots" / "test-gallery", src)
    model = src / "models" / "tiny-gqa.yaml"
    text = model.read_bytes()
    app = SphinxTestApp("html", srcdir=src, freshenv=True)
    app.build()
    page = Path(app.outdir) / "models" / "tiny-gqa.html"
    assert page.is_file()
    model.write_bytes(text.replace(b"Tiny GQA", b"Tiny \xff GQA", 1))
    app.build()
    assert "tiny-gqa.yaml:4: WARNING: not valid UTF-8" in "\n".join(warning_lines(app))
    assert not page.exists()
    app.cleanup()
    model.write_bytes(text)
    again = SphinxTestApp("html", srcdir=src)
    again.build()
    assert page.is_file()
    again.cleanup()

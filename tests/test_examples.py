"""Every example file the author's guide shows builds, in MyST and in reStructuredText.

The guide includes the MyST examples into its own page, but only quotes the
reStructuredText ones; here each file becomes a page of a small project that uses the
real models, so both kinds are built and must not warn.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

from .conftest import MODELS, REPO, html, warning_lines

EXAMPLES = REPO / "docs" / "examples"
FILES = sorted(p.name for p in EXAMPLES.iterdir() if p.suffix in (".md", ".rst"))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SphinxTestApp]:
    src = tmp_path_factory.mktemp("examples")
    shutil.copytree(MODELS, src / "models")
    pages = []
    for name in FILES:
        page = f"example-{name.replace('.', '-')}"
        text = (EXAMPLES / name).read_text(encoding="utf-8")
        title = f"# {name}\n\n" if name.endswith(".md") else f"{name}\n{'=' * len(name)}\n\n"
        (src / f"{page}{Path(name).suffix}").write_text(title + text, encoding="utf-8")
        pages.append(page)
    (src / "index.rst").write_text(
        "Examples\n========\n\n.. toctree::\n\n   " + "\n   ".join(pages) + "\n",
        encoding="utf-8",
    )
    (src / "conf.py").write_text(
        "extensions = ['myst_parser', 'sphinx_llmarch']\n"
        "source_suffix = {'.rst': 'restructuredtext', '.md': 'markdown'}\n"
        "exclude_patterns = ['_build']\n",
        encoding="utf-8",
    )
    app = SphinxTestApp("html", srcdir=src, freshenv=True)
    app.build()
    yield app
    app.cleanup()


def test_the_guide_has_examples() -> None:
    assert {".md", ".rst"} <= {Path(name).suffix for name in FILES}


def test_every_example_builds_without_warnings(built: SphinxTestApp) -> None:
    assert warning_lines(built) == []


@pytest.mark.parametrize("name", FILES)
def test_each_example_renders_its_content(built: SphinxTestApp, name: str) -> None:
    page = html(built, f"example-{name.replace('.', '-')}")
    text = (EXAMPLES / name).read_text(encoding="utf-8")
    assert "llmarch-missing" not in page
    if "llmarch-compare}" in text or "llmarch-compare::" in text:
        assert "llmarch-compare" in page
    if ":show: table" not in text and ("{llmarch}" in text or "llmarch::" in text):
        assert "<svg" in page
    if "llmarch:fact" in text:
        assert 'class="llmarch-fact"' in page

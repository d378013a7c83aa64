"""Model pages get typographic quotes, dashes and dots where their prose has the marks, as
Sphinx's SmartQuotes would give them (which skips the pages, for speed), and none when the
project switches smart quotes off."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .conftest import TESTS, html

PROSE = """
notes:
  - field: architecture.hidden_size
    text: The "official" card -- it's dated... later.
editorial:
  summary: >-
    Tiny's own "summary" -- short...
"""


def _build(make_app, tmp_path: Path, conf: str = "") -> str:  # type: ignore[no-untyped-def]
    srcdir = tmp_path / "src"
    shutil.copytree(TESTS / "roots" / "test-gallery", srcdir)
    model = srcdir / "models" / "tiny-gqa.yaml"
    model.write_text(model.read_text() + PROSE)
    (srcdir / "conf.py").write_text((srcdir / "conf.py").read_text() + conf)
    app = make_app("html", srcdir=srcdir, builddir=tmp_path / "build", freshenv=True)
    app.build()
    return html(app, "models/tiny-gqa")


def test_prose_on_a_model_page_is_typographic_and_literals_are_not(
    make_app, tmp_path: Path
) -> None:
    page = _build(make_app, tmp_path)
    assert "Tiny’s own “summary” – short…" in page
    assert "The “official” card – it’s dated… later." in page


@pytest.mark.parametrize("conf", ["\nsmartquotes = False\n", "\nsmartquotes_action = 'q'\n"])
def test_the_projects_smartquotes_settings_hold_on_model_pages(
    make_app, tmp_path: Path, conf: str
) -> None:
    page = _build(make_app, tmp_path, conf)
    if "False" in conf:
        assert "Tiny&#x27;s own &quot;summary&quot; -- short..." in page or (
            "Tiny's own &quot;summary&quot; -- short..." in page
        )
    else:  # quotes only: the dashes and dots stay as written
        assert "Tiny’s own “summary” -- short..." in page

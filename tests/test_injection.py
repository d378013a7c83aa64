"""Strings from a model file never become markup: HTML, SVG, scripts and exports.

A model whose every free-text field holds markup, quotes, an ampersand and a
right-to-left override is built with every directive and view of the extension; no
output file may contain that markup unescaped, and the exports must give the strings
back exactly.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
import yaml

from .conftest import REPO, warning_lines

HOSTILE = '<script>alert("x")</script> "><img src=x onerror=alert(1)> & \u202eevil\''
HOSTILE_URL = 'https://example.org/"><script>alert(2)</script>'
#: what must never appear, unescaped, in a page or an image
MARKUP = ("<script>alert", "<img src=x")


def _hostile_model(source: Path) -> str:
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    data["slug"] = "hostile"
    data["name"] = f"Hostile {HOSTILE}"
    data["organisation"] = HOSTILE
    data["family"] = HOSTILE
    data["licence"] = {"name": HOSTILE, "url": HOSTILE_URL}
    data["links"] = {"config": HOSTILE_URL, "report": HOSTILE_URL, "model_card": HOSTILE_URL}
    data["official_params"] = {
        "total": "1B",
        "basis": "stated",
        "source": HOSTILE_URL,
        "note": HOSTILE,
    }
    data["notes"] = [{"field": "name", "text": HOSTILE, "source": HOSTILE_URL}]
    data["editorial"] = {"summary": HOSTILE, "key_detail": HOSTILE}
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from sphinx.testing.util import SphinxTestApp

    src = tmp_path_factory.mktemp("hostile")
    shutil.copytree(REPO / "tests" / "roots" / "test-gallery", src, dirs_exist_ok=True)
    models = src / "models"
    (models / "hostile.yaml").write_text(_hostile_model(models / "tiny-mla.yaml"), encoding="utf-8")
    (src / "hostile-page.md").write_text(
        "# Hostile\n\n"
        "{llmarch:model}`hostile`, by {llmarch:fact}`hostile.organisation`.\n\n"
        # a caption is the page's own markup; the data it quotes is not
        "```{llmarch} hostile\n:caption: By {llmarch:fact}`hostile.organisation`.\n```\n\n"
        "```{llmarch-compare} hostile tiny-gqa\n```\n",
        encoding="utf-8",
    )
    index = src / "index.md"
    index.write_text(
        index.read_text(encoding="utf-8").replace("```{toctree}\n", "```{toctree}\nhostile-page\n"),
        encoding="utf-8",
    )
    app = SphinxTestApp("html", srcdir=src, freshenv=True)
    app.build()
    assert warning_lines(app) == []
    out = Path(app.outdir)
    app.cleanup()
    return out


def test_the_hostile_model_is_shown(built: Path) -> None:
    page = (built / "models" / "hostile.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert" in page
    assert (built / "_images" / "llmarch" / "hostile-full-light.svg").is_file()


def test_no_page_or_image_contains_the_markup(built: Path) -> None:
    checked = 0
    for path in built.rglob("*"):
        if path.suffix not in (".html", ".svg"):
            continue
        text = path.read_text(encoding="utf-8")
        found = [m for m in MARKUP if m in text]
        assert not found, f"{path.relative_to(built)}: {found}"
        checked += 1
    assert checked > 10


def test_inline_diagrams_escape_the_strings(built: Path) -> None:
    page = (built / "hostile-page.html").read_text(encoding="utf-8")
    svg = page[page.index("<svg") : page.rindex("</svg>")]
    assert "Hostile &lt;script&gt;" in svg or "Hostile &#60;script&#62;" in svg


def test_the_exports_give_the_strings_back(built: Path) -> None:
    records = json.loads((built / "models.json").read_text(encoding="utf-8"))["models"]
    hostile = next(r for r in records if r["slug"] == "hostile")
    assert hostile["data"]["organisation"] == HOSTILE
    assert hostile["data"]["editorial"]["summary"] == HOSTILE
    assert hostile["data"]["links"]["config"] == HOSTILE_URL
    rows = list(csv.DictReader(io.StringIO((built / "models.csv").read_text(encoding="utf-8"))))
    assert any(HOSTILE in value for row in rows for value in row.values())


def test_the_script_data_cannot_close_its_element(built: Path) -> None:
    data = (built / "_static" / "llmarch-data.js").read_text(encoding="utf-8")
    assert "</script" not in data.lower()
    assert "\\u003c" in data or "<" not in data.split("=", 1)[1]


def test_the_browser_scripts_insert_text_not_markup() -> None:
    script = (REPO / "sphinx_llmarch" / "static" / "llmarch.js").read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in script

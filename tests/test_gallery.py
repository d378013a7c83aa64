"""The gallery, overview, comparisons, concept lists, charts, export and fact roles."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from sphinx_llmarch.model.figures import compute
from sphinx_llmarch.model.loader import load_file

from .conftest import html, warning_lines

pytestmark = pytest.mark.sphinx("html", testroot="gallery", freshenv=True)


def _text(fragment: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", fragment).split())


def _section(page: str, title: str) -> str:
    start = page.index(f">{title}<")
    return page[start : page.index("</section>", start)]


def test_builds_without_warnings(app) -> None:
    app.build()
    assert warning_lines(app) == []


def test_gallery_cards(app) -> None:
    app.build()
    page = html(app, "gallery")
    cards = re.findall(r'<div class="sd-col sd-d-flex-row llmarch-card"([^>]*)>', page)
    assert len(cards) == 2
    first = dict(re.findall(r'data-(\w+)="([^"]*)"', cards[0]))
    assert first["slug"] == "tiny-mla"  # newest first
    assert first["decoder"] == "Sparse MoE"
    assert first["attention"] == "mla"
    assert first["total"] == str(
        compute(load_file(Path(app.srcdir) / "models/tiny-mla.yaml").model).total_params
    )  # type: ignore[arg-type]
    assert 'href="models/tiny-mla.html"' in page
    assert 'src="_images/llmarch/tiny-mla-thumb-light.svg"' in page
    assert 'loading="lazy"' in page
    assert 'href="app.html?a=tiny-mla"' in page
    for theme in ("light", "dark"):
        assert (Path(app.outdir) / f"_images/llmarch/tiny-gqa-thumb-{theme}.svg").is_file()
        assert (Path(app.outdir) / f"_images/llmarch/tiny-gqa-full-{theme}.svg").is_file()


def test_overview_table_is_sortable_data(app) -> None:
    app.build()
    page = html(app, "overview")
    assert "data-llmarch-sortable" in page
    body = page[page.index("<tbody>") : page.index("</tbody>")]
    rows = re.findall(r"<tr>(.*?)</tr>", body)
    assert len(rows) == 2
    assert 'data-value="2024-01-02"' in rows[0]  # oldest first
    assert 'href="models.json"' in page


def test_compare_marks_the_differences(app) -> None:
    app.build()
    page = html(app, "compare")
    tables = re.findall(r'<table class="[^"]*llmarch-compare-table.*?</table>', page, re.DOTALL)
    assert len(tables) == 3
    full, only, chosen = tables
    differing = re.findall(r'<tr class="llmarch-differs[^"]*">\s*<t[hd][^>]*><p>([^<]+)</p>', full)
    assert "Decoder type" in differing and "Layer mix" in differing
    assert "Vocabulary" not in differing  # both have 1,000
    assert 'class="llmarch-differs' in full
    assert _text(only).count("Vocabulary") == 0 and "Decoder type" in _text(only)
    assert _text(chosen).split("Tiny MLA", 1)[1].strip().startswith("Vocabulary 1,000 1,000")
    assert page.count("<svg ") == 2  # the diagrams side by side
    assert "Dense and sparse." in page


def test_compare_rejects_unknown_rows(make_app, rootdir: Path, tmp_path: Path) -> None:
    import shutil

    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-gallery", src)
    (src / "compare.md").write_text(
        "# C\n\n```{llmarch-compare} tiny-gqa tiny-mla\n:rows: heads, colour\n```\n"
    )
    app = make_app("html", srcdir=src, builddir=tmp_path / "b", freshenv=True)
    app.build()
    assert any("unknown rows colour" in w and "[llmarch.ref]" in w for w in warning_lines(app))


def test_concept_lists_come_from_the_data(app) -> None:
    app.build()
    page = html(app, "concepts")
    assert "Tiny GQA" in _section(page, "Grouped-query attention")
    assert "Tiny MLA" not in _section(page, "Grouped-query attention")
    assert "Tiny MLA" in _section(page, "Multi-head latent attention")
    assert "No model in the gallery uses it yet." in _section(page, "Chunked attention")


def test_model_page_links_concepts_similar_models_and_mentions(app) -> None:
    app.build()
    page = html(app, "models/tiny-mla")
    concepts = _section(page, "Concepts")
    assert 'href="../concepts.html#llmarch-concept-mla"' in concepts
    assert "Mixture of experts (MoE)" in concepts  # no page explains it here: plain text
    assert 'href="tiny-gqa.html"' in _section(page, "Similar models")
    mentions = _text(_section(page, "Mentioned in"))
    assert "Article" in mentions and "Compare" in mentions


def test_diagram_boxes_link_to_concept_pages(app) -> None:
    app.build()
    page = html(app, "models/tiny-mla")
    assert 'href="../concepts.html#llmarch-concept-mla"' in page.split("llmarch-diagram")[1]
    assert "llmarch-concept:" not in page


def test_facts_in_prose(app) -> None:
    app.build()
    facts = re.findall(r'llmarch-fact">([^<]*)<', html(app, "article"))
    model = load_file(Path(app.srcdir) / "models/tiny-gqa.yaml").model
    assert model is not None
    assert facts == ["2.49M", "4", "256", "2", "8", "49.5%"]
    assert facts[0] == f"{compute(model).total_params / 1e6:.2f}M"


def test_unknown_facts_warn(make_app, rootdir: Path, tmp_path: Path) -> None:
    import shutil

    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-gallery", src)
    (src / "article.md").write_text(
        "# A\n\n{llmarch:fact}`tiny-gqa.colour` {llmarch:fact}`nobody.total_params`\n"
        "{llmarch:data}`secrets.txt`\n"
    )
    app = make_app("html", srcdir=src, builddir=tmp_path / "b", freshenv=True)
    app.build()
    lines = warning_lines(app)
    assert any(
        w.startswith("<srcdir>/article.md:3: WARNING: unknown fact 'colour' of 'tiny-gqa'")
        for w in lines
    ), lines
    assert (
        "<srcdir>/article.md:3: WARNING: unknown model in fact 'nobody.total_params': no model "
        "file matches its start [llmarch.ref]" in lines
    )
    assert any("unknown export file 'secrets.txt'" in w for w in lines)


def test_charts(app) -> None:
    app.build()
    page = html(app, "charts")
    for name in ("timeline", "active-share", "kv-cache"):
        assert f'class="llmarch-chart llmarch-chart-{name}"' in page
    assert "Tiny MLA: 49.5% (2.89M of 5.83M)" in page  # active share of the sparse model
    assert page.count('class="llmarch-bar"') == 1 + 2  # one sparse model, two KV bars
    assert 'id="llmarch-family-tree-title"' in page  # tiny-mla is based on tiny-gqa
    assert 'href="models/tiny-gqa.html"' in page.split('id="llmarch-family-tree-title"')[1]


def test_export_matches_the_model_files(app) -> None:
    app.build()
    out = Path(app.outdir)
    export = json.loads((out / "models.json").read_text())
    assert export["schema_version"] == 1
    by_slug = {m["slug"]: m for m in export["models"]}
    assert sorted(by_slug) == ["tiny-gqa", "tiny-mla"]
    for slug, record in by_slug.items():
        model = load_file(Path(app.srcdir) / f"models/{slug}.yaml").model
        assert model is not None
        assert record["data"] == model.spec.model_dump(mode="json", exclude_none=True)
        assert record["computed"]["total_params"] == compute(model).total_params
        assert (
            record["computed"]["kv_cache_bytes_per_token"]
            == compute(model).kv_cache_bytes_per_token
        )
        assert len(record["derived"]["layers"]) == model.spec.architecture.layers.count
    rows = list(csv.DictReader((out / "models.csv").open()))
    assert [r["slug"] for r in rows] == ["tiny-gqa", "tiny-mla"]
    assert rows[1]["decoder_type"] == "Sparse MoE"
    schema = json.loads((out / "llmarch-model.schema.json").read_text())
    assert "architecture" in schema["properties"]
    data = (out / "_static" / "llmarch-data.js").read_text()
    assert data.startswith("window.LLMARCH_DATA = ")
    parsed = json.loads(data.removeprefix("window.LLMARCH_DATA = ").rstrip(";\n"))
    assert parsed["models"]["tiny-mla"]["values"]["decoder_type"] == "Sparse MoE"
    assert parsed["models"]["tiny-mla"]["page"] == "models/tiny-mla.html"

"""The project's own site builds without a single warning, and links every model page."""

from __future__ import annotations

from pathlib import Path

from .conftest import MODELS


def test_every_model_has_a_page(site: Path) -> None:
    for path in MODELS.glob("*.yaml"):
        page = (site / "models" / f"{path.stem}.html").read_text(encoding="utf-8")
        assert "<svg " in page
        assert 'class="llmarch-facts' in page


def test_the_gallery_and_overview_link_every_model(site: Path) -> None:
    for page in ("gallery", "overview"):
        listing = (site / "docs" / f"{page}.html").read_text(encoding="utf-8")
        for path in MODELS.glob("*.yaml"):
            assert f'href="../models/{path.stem}.html"' in listing


def test_root_redirects_to_the_docs(site: Path) -> None:
    assert "url=docs/index.html" in (site / "index.html").read_text(encoding="utf-8")


def test_reference_pages_are_generated(site: Path) -> None:
    schema = (site / "docs" / "reference" / "schema.html").read_text(encoding="utf-8")
    for name in ("schema-architecture", "schema-mla", "schema-moe", "kv_lora_rank"):
        assert name in schema
    warnings = (site / "docs" / "reference" / "warnings.html").read_text(encoding="utf-8")
    for subtype in (
        "llmarch.yaml",
        "llmarch.schema",
        "llmarch.consistency",
        "llmarch.model",
        "llmarch.ref",
        "llmarch.render",
        "llmarch.config",
    ):
        assert subtype in warnings


def test_unconfirmed_fields_are_shown_as_not_confirmed(site: Path) -> None:
    # GLM-4.7's attention details could not be read from an official copy of its config:
    # its page must not let their absence read as "no QK-norm, no bias, full RoPE"
    page = (site / "models" / "glm-4.7.html").read_text(encoding="utf-8")
    listed = (
        "QK-norm, attention bias, partial RoPE, RoPE base, norm epsilon, multi-token prediction"
    )
    assert f"<p>{listed} (left out of the data)</p>" in page  # the fact table
    assert f"Not confirmed by an official source: {listed}</text>" in page  # the diagram
    records = (site / "models.json").read_text(encoding="utf-8")
    assert '"unconfirmed": [' in records

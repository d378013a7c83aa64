"""The project's own site builds without a single warning, and links every model page."""

from __future__ import annotations

from pathlib import Path

from sphinx_llmarch.describe.concepts import all_concepts
from sphinx_llmarch.draw.figure import figure_spec
from sphinx_llmarch.model.figures import compute
from sphinx_llmarch.model.loader import load_file

from .conftest import MODELS


def test_every_model_has_a_page(site: Path) -> None:
    for path in MODELS.glob("*.yaml"):
        page = (site / "models" / f"{path.stem}.html").read_text(encoding="utf-8")
        assert "<svg " in page
        assert 'class="llmarch-facts' in page


def test_the_gallery_and_overview_link_every_model(site: Path) -> None:
    for page in ("gallery", "overview"):
        listing = (site / f"{page}.html").read_text(encoding="utf-8")
        for path in MODELS.glob("*.yaml"):
            assert f'href="models/{path.stem}.html"' in listing


def test_reference_pages_are_generated(site: Path) -> None:
    schema = (site / "reference" / "schema.html").read_text(encoding="utf-8")
    for name in ("schema-architecture", "schema-mla", "schema-moe", "kv_lora_rank"):
        assert name in schema
    warnings = (site / "reference" / "warnings.html").read_text(encoding="utf-8")
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


def test_every_concept_has_its_section_and_every_link_its_concept(site: Path) -> None:
    """A diagram's box or panel never links to a concept the site does not explain."""
    concepts = (site / "concepts.html").read_text(encoding="utf-8")
    assert [k for k in all_concepts() if f'id="llmarch-concept-{k}"' not in concepts] == []
    for path in MODELS.glob("*.yaml"):
        model = load_file(path).model
        assert model is not None
        spec = figure_spec(model, compute(model))
        linked = {link.concept for link in spec.links} | {p.concept for p in spec.panels}
        assert linked - {None} <= set(all_concepts()), path.stem
        page = (site / "models" / f"{path.stem}.html").read_text(encoding="utf-8")
        for key in linked - {None}:
            assert f"concepts.html#llmarch-concept-{key}" in page, (path.stem, key)

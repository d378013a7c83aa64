"""A mechanism the package has never heard of, defined in this file alone.

``ToyRetention`` is a made-up token mixer (a retention-style linear mixer with a decaying
state per head).  Registered the way the package registers its own mechanisms, a model
using it validates, gets its figures, a side panel and a box in the diagram, a fact-table
row, a concept and a place in the gallery's attention filter; nothing in the package
changes.  Unregistered, the same model gives one located warning and a placeholder.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar, Literal

import pytest

from sphinx_llmarch.describe.concepts import all_concepts, concepts_of
from sphinx_llmarch.describe.rows import rows_of
from sphinx_llmarch.draw.compose import compose
from sphinx_llmarch.draw.engine import SvgCache
from sphinx_llmarch.draw.figure import figure_spec
from sphinx_llmarch.mechanisms import REGISTRY, Concept, Mixer, Stack, register
from sphinx_llmarch.mechanisms.base import PosInt, Role
from sphinx_llmarch.mechanisms.sketch import Sketch
from sphinx_llmarch.model.figures import compute
from sphinx_llmarch.model.loader import load_text

from .conftest import REPO, html, warning_lines


class ToyRetention(Mixer):
    """A retention-style mixer: queries read a decaying key-value state per head."""

    kind: Literal["toy_retention"]
    heads: PosInt
    head_dim: PosInt

    ROLE: ClassVar[Role] = "linear"
    CONCEPTS: ClassVar[tuple[Concept, ...]] = (
        Concept("toy-retention", "Toy retention", 125, "attention"),
    )

    def params(self, hidden: int) -> int:
        inner = self.heads * self.head_dim
        return 4 * hidden * inner + self.heads  # q, k, v, out and one decay per head

    def state_values(self) -> int:
        return self.heads * self.head_dim * self.head_dim

    def abbreviation(self) -> str:
        return "Toy retention"

    def title(self, stack: Stack) -> str:
        return "Toy retention (decaying state)"

    def heads_text(self) -> str:
        return f"{self.heads} retention heads of {self.head_dim}"

    def concept(self) -> str:
        return "toy-retention"

    def concepts_used(self) -> set[str]:
        return {"toy-retention"}

    def panel(self) -> Sketch:
        s = Sketch("mixer-toy", "Toy retention", "attn", "toy-retention")
        s.box("qkv", "Linear (Q, K, V)")
        s.box("state", "Decaying state", "linear")
        s.box("o", "Linear (out)")
        s.chain("in", "qkv", "state", "o", "out")
        s.notes.append(f"{self.heads} heads, a decay per head")
        return s


MODEL = textwrap.dedent("""\
    slug: toy-hybrid
    name: Toy Hybrid
    organisation: Test Lab
    release_date: 2026-01-02
    context:
      native: 4096
    architecture:
      hidden_size: 64
      vocab_size: 100
      tie_embeddings: true
      norm: {kind: rmsnorm, placement: pre}
      mixers:
        retention:
          kind: toy_retention
          heads: 4
          head_dim: 16
        attn:
          kind: gqa
          heads: 4
          kv_heads: 2
          head_dim: 16
          position: {kind: rope, theta: 10000}
      ffns:
        mlp: {kind: dense, hidden: 128, activation: swiglu}
      layers:
        count: 4
        schedule:
          - repeat: 2
            pattern: [retention + mlp, attn + mlp]
""")


@pytest.fixture
def toy() -> Iterator[None]:
    register(ToyRetention)  # what @register does for the package's own classes
    yield
    REGISTRY.unregister(ToyRetention)


def _model():  # type: ignore[no-untyped-def]
    result = load_text(MODEL, Path("/m/toy-hybrid.yaml"), "toy-hybrid.yaml")
    assert result.problems == ()
    assert result.model is not None
    return result.model


def test_a_model_using_it_validates_and_gets_its_figures(toy: None) -> None:
    model = _model()
    figures = compute(model)
    h, norm = 64, 64
    retention = 4 * h * 64 + 4
    attention = h * (64 + 32 + 32) + 64 * h
    mlp = 3 * h * 128
    per_layer = 2 * norm + mlp
    embedding = 100 * h
    assert figures.total_params == (
        embedding + norm + 2 * (retention + per_layer) + 2 * (attention + per_layer)
    )
    assert figures.kv_cache_bytes_per_token == 2 * (2 * 16 + 2 * 16) * 2  # the GQA layers
    assert figures.linear_state_bytes == 2 * 4 * 16 * 16 * 2  # the retention layers


def test_its_diagram_has_its_box_and_its_panel(toy: None) -> None:
    model = _model()
    spec = figure_spec(model, compute(model))
    assert "Toy retention (decaying state) or" in spec.main  # its box in the main stack
    assert 'class="llmarch-linear"' in spec.main  # coloured by its role
    [panel] = [p for p in spec.panels if p.key == "mixer-toy"]
    assert 'label="Decaying state"' in panel.dot
    assert panel.notes == ("4 heads, a decay per head",)
    schedule = next(p for p in spec.panels if p.key == "schedule")
    assert 'label="Toy retention"' in schedule.dot
    svg = compose(spec, SvgCache().get).svg(lambda key: f"#{key}")
    assert 'href="#toy-retention"' in svg  # its panel's title links to its concept
    assert "4 retention heads of 16" in svg  # the notes beside its box


def test_its_rows_and_concepts(toy: None) -> None:
    model = _model()
    rows = rows_of(model, compute(model))
    assert rows["attention"].value == "Toy retention and GQA with RoPE"
    assert rows["layer_mix"].value == "2 Toy retention and 2 GQA"
    assert rows["decoder_type"].value == "Dense hybrid"
    assert all_concepts()["toy-retention"] == "Toy retention"
    assert concepts_of(model)[:2] == ["gqa", "toy-retention"]


def _project(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    (src / "models").mkdir(parents=True)
    (src / "models" / "toy-hybrid.yaml").write_text(MODEL, encoding="utf-8")
    (src / "conf.py").write_text(
        'extensions = ["myst_parser", "sphinx_llmarch"]\nexclude_patterns = ["_build"]\n',
        encoding="utf-8",
    )
    (src / "index.md").write_text(
        "# Toy\n\n```{llmarch} toy-hybrid\n```\n\n"
        "```{llmarch-concept-models} toy-retention\n```\n\n"
        "```{llmarch-gallery}\n```\n",
        encoding="utf-8",
    )
    return src


def test_a_site_shows_it_with_no_change_to_the_package(toy: None, make_app, tmp_path: Path) -> None:
    app = make_app("html", srcdir=_project(tmp_path), freshenv=True)
    app.build()
    assert warning_lines(app) == []
    page = html(app, "index")
    assert "<p>Attention</p></th>\n<td><p>Toy retention and GQA with RoPE</p>" in page
    assert "Toy retention (decaying state)" in page  # the diagram's box
    assert 'data-attention="gqa toy-retention"' in page  # the gallery can filter by it
    assert '<a class="reference internal" href="models/toy-hybrid.html">' in page  # listed
    model_page = html(app, "models/toy-hybrid")
    assert "Decaying state" in model_page  # its panel, on its own page


def test_an_unregistered_kind_is_one_located_warning(make_app, tmp_path: Path) -> None:
    src = _project(tmp_path)
    (src / "index.md").write_text("# Toy\n\n```{llmarch} toy-hybrid\n```\n", encoding="utf-8")
    app = make_app("html", srcdir=src, freshenv=True)
    app.build()
    kinds = ", ".join(REGISTRY.kinds(Mixer))
    assert warning_lines(app) == [
        # the page that shows it says it cannot
        (
            "<srcdir>/index.md:3: WARNING: model 'toy-hybrid' is invalid (see "
            "<srcdir>/models/toy-hybrid.yaml:14); it is not shown [llmarch.model]"
        ),
        # the one problem, where it is
        (
            "<srcdir>/models/toy-hybrid.yaml:14: WARNING: architecture.mixers.retention.kind: "
            f"unknown kind 'toy_retention'; expected one of: {kinds} [llmarch.schema]"
        ),
    ]
    assert "Model ‘toy-hybrid’ is invalid" in html(app, "index")  # a placeholder
    assert "toy-hybrid.yaml has 1 problem(s)" in html(app, "models/toy-hybrid")


def test_the_contributors_guide_shows_a_working_mechanism() -> None:
    """The outline in the guide registers, validates and draws as it says."""
    guide = (REPO / "docs" / "guide" / "contributing.md").read_text(encoding="utf-8")
    code = guide.split("```python\n", 1)[1].split("```", 1)[0]
    namespace = {
        "ClassVar": ClassVar,
        "Literal": Literal,
        "Concept": Concept,
        "Mixer": Mixer,
        "PosInt": PosInt,
        "Role": Role,
        "Sketch": Sketch,
        "Stack": Stack,
        "register": register,
        "__name__": __name__,
    }
    exec(code, namespace)  # noqa: S102 - our own guide; its @register registers it
    try:
        model = _model()
        assert compute(model).linear_state_bytes == 2 * 4 * 16 * 16 * 2
        assert any(p.key == "mixer-toy" for p in figure_spec(model, compute(model)).panels)
    finally:
        REGISTRY.unregister(namespace["ToyRetention"])


def test_an_incomplete_or_clashing_mechanism_is_refused_when_registered() -> None:
    class Unfinished(Mixer):
        kind: Literal["unfinished"]

    with pytest.raises(TypeError, match="Unfinished does not implement: abbreviation, concept"):
        register(Unfinished)

    class Impostor(ToyRetention):
        kind: Literal["mla"]  # type: ignore[assignment]

    with pytest.raises(ValueError, match="kind 'mla' is already registered by MLA"):
        register(Impostor)
    assert REGISTRY.mixer("mla").__name__ == "MLA"


def test_an_unknown_kind_fails_in_one_place_with_one_message() -> None:
    with pytest.raises(LookupError, match="no mixer of kind 'toy_retention' is registered"):
        REGISTRY.mixer("toy_retention")

"""Property-based tests: no input makes the loader or the diagram builder raise.

Hypothesis feeds the loader arbitrary text, arbitrary YAML documents and real model files
with one field replaced by an arbitrary value; the only acceptable outcomes are a model
or a list of located problems. Every model that loads must draw a diagram.
"""

from __future__ import annotations

import copy
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sphinx_llmarch.draw.compose import compose
from sphinx_llmarch.draw.engine import SvgCache
from sphinx_llmarch.draw.figure import figure_spec
from sphinx_llmarch.model.figures import compute
from sphinx_llmarch.model.loader import LoadResult, load_text

from .conftest import MODELS

REAL = {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in MODELS.glob("*.yaml")}
CACHE = SvgCache()

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
)
documents = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5), st.dictionaries(st.text(max_size=12), inner, max_size=5)
    ),
    max_leaves=30,
)


def _load(text: str, slug: str = "x") -> LoadResult:
    result = load_text(text, Path(f"{slug}.yaml"), f"{slug}.yaml")
    # exactly one of: a model, or at least one located problem
    assert (result.model is None) == bool(result.problems)
    for problem in result.problems:
        assert problem.line >= 1
        assert problem.message
    return result


@given(st.text(max_size=400))
def test_any_text_loads_or_is_reported(text: str) -> None:
    _load(text)


@given(documents)
def test_any_yaml_document_loads_or_is_reported(document: Any) -> None:
    _load(yaml.safe_dump(document, allow_unicode=True))


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(data, dict):
        return [p for k, v in data.items() for p in _paths(v, (*prefix, k))] or [prefix]
    if isinstance(data, list):
        return [p for i, v in enumerate(data) for p in _paths(v, (*prefix, i))] or [prefix]
    return [prefix]


@st.composite
def mutated_models(draw: st.DrawFn) -> tuple[str, str]:
    slug = draw(st.sampled_from(sorted(REAL)))
    data = copy.deepcopy(REAL[slug])
    path = draw(st.sampled_from(_paths(data)))
    value = draw(documents)
    target = data
    for key in path[:-1]:
        target = target[key]
    if path:
        target[path[-1]] = value
    return slug, yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@given(mutated_models())
@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
def test_a_real_model_with_any_field_replaced_loads_or_is_reported(case: tuple[str, str]) -> None:
    slug, text = case
    _load(text, slug)


@st.composite
def resized_models(draw: st.DrawFn) -> tuple[str, str]:
    """Real models with their sizes changed: still valid, so they must draw."""
    slug = draw(st.sampled_from(sorted(REAL)))
    data = copy.deepcopy(REAL[slug])
    arch = data["architecture"]
    arch["hidden_size"] = draw(st.integers(1, 100_000))
    arch["vocab_size"] = draw(st.integers(1, 10_000_000))
    # by the fields each feed-forward kind has, not by its kind's name (there are many MoEs)
    for ffn in arch["ffns"].values():
        if "experts" in ffn:
            ffn["experts"] = draw(st.integers(1, 4096))
            ffn["active"] = draw(st.integers(1, ffn["experts"]))
        if "expert_hidden" in ffn:
            ffn["expert_hidden"] = draw(st.integers(1, 100_000))
        if "hidden" in ffn:
            ffn["hidden"] = draw(st.integers(1, 200_000))
    data["context"]["native"] = draw(st.integers(1, 10**8))
    printable = st.characters(exclude_categories=("Cc", "Cs"), exclude_characters="\ufffe\uffff")
    # a name that YAML 1.2 reads as a string whatever the dumper's quoting (not "1e3")
    data["name"] = "Model " + draw(st.text(printable, max_size=40))
    return slug, yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@given(resized_models())
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_every_valid_model_draws_a_diagram(case: tuple[str, str]) -> None:
    slug, text = case
    result = _load(text, slug)
    assert result.model is not None, result.problems
    for variant in ("full", "thumb"):
        svg = compose(figure_spec(result.model, compute(result.model), variant), CACHE.get).svg()
        root = ET.fromstring(svg)
        assert root.tag.endswith("svg")
        assert root.find("{http://www.w3.org/2000/svg}title") is not None

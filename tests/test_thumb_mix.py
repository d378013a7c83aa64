"""A thumbnail shows its stack's layer mix: one small box per kind of layer, in that kind's
colour, with its count, in the order the kinds first appear (the gallery's cards show
thumbnails, which have no layer-schedule panel)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Iterator

import pytest

from sphinx_llmarch.draw.compose import compose
from sphinx_llmarch.draw.engine import SvgCache
from sphinx_llmarch.draw.figure import figure_spec
from sphinx_llmarch.draw.mainpanel import main_panel
from sphinx_llmarch.draw.panels import mixer_css
from sphinx_llmarch.model.figures import compute
from sphinx_llmarch.model.loader import LoadedModel, load_file
from sphinx_llmarch.model.stack import LayerSpec

from .conftest import MODELS

SVG = "{http://www.w3.org/2000/svg}"
CELL = re.compile(r'"(attn|ffn)_(\d+)" \[id="[^"]+", label="([^"]+)", [^]]*class="([^"]+)"')


def _models() -> Iterator[LoadedModel]:
    for path in sorted(MODELS.glob("*.yaml")):
        model = load_file(path).model
        if model is not None:
            yield model


def _single_purpose(model: LoadedModel) -> bool:
    return any(not (s.mixer and s.ffn) for s in model.layers)


def _mixed(model: LoadedModel) -> bool:
    """More than one kind of layer: in its token mixers, its feed-forward parts, or layers
    that hold only one of the two."""
    layers = model.layers
    return (
        _single_purpose(model)
        or len({s.mixer for s in layers}) > 1
        or len({s.ffn for s in layers}) > 1
    )


MIXED = [m for m in _models() if _mixed(m)]
PLAIN = [m for m in _models() if not _mixed(m)]


def _expected(model: LoadedModel, kind: Callable[[LayerSpec], str | None]) -> list[tuple[int, str]]:
    """(count, colour class) of each kind of layer, in the order of first appearance."""
    counts = Counter(k for s in model.layers if (k := kind(s)) is not None)
    return [(n, _css(model, k)) for k, n in counts.items()] if len(counts) > 1 else []


def _css(model: LoadedModel, kind: str) -> str:
    arch = model.spec.architecture
    mixer, _, ffn = kind.partition("+")
    if mixer:
        return mixer_css(arch.mixers[mixer])
    return f"llmarch-{arch.ffns[ffn].CSS}"


def _cells(model: LoadedModel) -> dict[str, list[tuple[int, str]]]:
    found: dict[str, list[tuple[int, str]]] = {}
    for node, _, label, css in CELL.findall(main_panel(model, thumb=True).dot):
        found.setdefault(node, []).append((int(label.split(" ×")[0]), css))
    return found


def test_the_models_folder_has_mixed_stacks() -> None:
    assert any(_single_purpose(m) for m in MIXED)
    assert any(len({s.mixer for s in m.layers}) > 1 for m in MIXED)


@pytest.mark.parametrize("model", MIXED, ids=lambda m: m.slug)
def test_a_mixed_stacks_thumbnail_has_a_box_per_kind_of_layer(model: LoadedModel) -> None:
    if _single_purpose(model):
        whole = _expected(model, lambda s: f"{s.mixer or ''}+{s.ffn or ''}")
        expected = {"attn": whole} if whole else {}
    else:
        mixers = _expected(model, lambda s: s.mixer and f"{s.mixer}+")
        ffns = _expected(model, lambda s: s.ffn and f"+{s.ffn}")
        expected = {k: v for k, v in (("attn", mixers), ("ffn", ffns)) if v}
    assert _cells(model) == expected
    # the counts add up to the layers the box stands for
    for row in expected.values():
        assert sum(n for n, _ in row) <= len(model.layers)


@pytest.mark.parametrize("model", PLAIN[:5], ids=lambda m: m.slug)
def test_a_plain_stacks_thumbnail_keeps_its_boxes(model: LoadedModel) -> None:
    assert _cells(model) == {}


def test_a_hybrid_thumbnail_draws_its_mix_in_colour() -> None:
    model = next(m for m in MIXED if _single_purpose(m))
    root = ET.fromstring(compose(figure_spec(model, compute(model), "thumb"), SvgCache().get).svg())
    boxes = {
        (el.get("id") or "").rpartition("-")[2]: (
            el.get("class") or "",
            " ".join(t.text or "" for t in el.iter(f"{SVG}text")),
        )
        for el in root.iter(f"{SVG}g")
        if re.search(r"-main-attn_\d+$", el.get("id") or "")
    }
    expected = _expected(model, lambda s: f"{s.mixer or ''}+{s.ffn or ''}")
    assert len(boxes) == len(expected) > 1
    for i, (count, css) in enumerate(expected, start=1):
        classes, words = boxes[f"attn_{i}"]
        assert css in classes.split()
        assert words.startswith(f"{count} ×")
    # no box names the kinds together any more
    assert not [t.text for t in root.iter(f"{SVG}text") if t.text and " or" in t.text]

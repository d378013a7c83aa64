"""Finished figures kept as text and on disk: the same SVG as composing them, composed once."""

from __future__ import annotations

from pathlib import Path

import pytest

from sphinx_llmarch.draw.compose import compose
from sphinx_llmarch.draw.engine import SvgCache
from sphinx_llmarch.draw.figure import FigureSpec, figure_spec
from sphinx_llmarch.draw.renderer import FigureRenderer
from sphinx_llmarch.model.figures import compute
from sphinx_llmarch.model.loader import load_file

from .conftest import MODELS

PANELS = SvgCache()


def _specs(variant: str) -> list[FigureSpec]:
    specs = []
    for path in sorted(MODELS.glob("*.yaml")):
        model = load_file(path).model
        if model is not None:
            specs.append(figure_spec(model, compute(model), variant))
    return specs


def _resolve(key: str) -> str | None:
    """Some concepts explained (one address needing escapes), others not."""
    if len(key) % 3 == 0:
        return None
    return f'../docs/concepts.html?a=1&b="{key}"#{key}'


@pytest.mark.parametrize("variant", ["full", "thumb"])
def test_kept_figure_writes_what_composing_writes(variant: str) -> None:
    renderer = FigureRenderer(PANELS)
    specs = _specs(variant)
    linked = 0
    for spec in specs:
        figure = renderer.figure(spec)
        assert figure.svg(_resolve) == compose(spec, PANELS.get).svg(_resolve), spec.slug
        assert figure.svg() == compose(spec, PANELS.get).svg(), spec.slug
        assert "\x00" not in figure.svg(_resolve)
        linked += "&amp;b=&quot;" in figure.svg(_resolve)
    # the links were really filled in (thumbnails hold few)
    assert linked > (len(specs) // 2 if variant == "full" else 0)


def test_figures_on_disk_are_reused_by_the_next_build(tmp_path: Path) -> None:
    specs = _specs("full")[:5]
    first = FigureRenderer(SvgCache(directory=tmp_path))
    written = [first.figure(spec).svg(_resolve) for spec in specs]
    assert first.composed == len(specs)
    assert len(list((tmp_path / "figures").glob("*.svg"))) == len(specs)
    second = FigureRenderer(SvgCache(directory=tmp_path))
    assert not any(second.needs_engine(spec) for spec in specs)
    assert [second.figure(spec).svg(_resolve) for spec in specs] == written
    assert second.composed == 0
    assert second.cache.renders == 0

"""Diagrams: what the DOT and the SVG contain, determinism, and snapshots."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from sphinx_llmarch.compose import compose
from sphinx_llmarch.dot import figure_spec
from sphinx_llmarch.figures import compute
from sphinx_llmarch.loader import load_file
from sphinx_llmarch.render import SvgCache

from .conftest import MODELS, TESTS

SVG = "{http://www.w3.org/2000/svg}"
SNAPSHOTS = TESTS / "snapshots"
UPDATE = os.environ.get("LLMARCH_UPDATE_SNAPSHOTS") == "1"


def spec_of(slug: str, variant: str = "full"):
    model = load_file(MODELS / f"{slug}.yaml").model
    assert model is not None
    return figure_spec(model, compute(model), variant)  # type: ignore[arg-type]


def svg_of(slug: str, variant: str = "full") -> str:
    return compose(spec_of(slug, variant), SvgCache().get)


def texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    return [t.text or "" for t in root.iter(f"{SVG}text")]


def test_deepseek_main_panel_structure() -> None:
    spec = spec_of("deepseek-v3")
    assert 'label="61 ×"' in spec.main
    assert 'label="Multi-head latent attention"' in spec.main
    assert 'label="Feed forward (layers 1–3)\\nMoE (layers 4–61)"' in spec.main
    assert 'class="llmarch-moe"' in spec.main
    assert 'label="RoPE + YaRN"' in spec.main
    notes = {a.node: a.lines for a in spec.annotations}
    assert notes["ffn"] == (
        "layers 1–3: hidden size 18,432",
        "layers 4–61: 256 experts, 8 active per token",
        "+ 1 shared expert",
        "expert hidden size 2,048",
    )
    assert notes["attn"][0] == "128 heads; KV latent 512, query latent 1536"
    assert notes["head"] == ("vocabulary 129,280",)
    assert spec.footer == (
        "total 671B parameters, 37.6B active per token",
        "KV cache 68.6 KiB per token (bf16)",
    )


def test_gpt2_shows_learned_positions_and_tied_head() -> None:
    spec = spec_of("gpt2-xl")
    assert 'label="48 ×"' in spec.main
    assert "tied to the embedding" in spec.main
    assert 'label="LayerNorm 1"' in spec.main
    assert "RoPE" not in spec.main


def test_composed_svg_is_accessible_and_themable() -> None:
    svg = svg_of("llama-3-8b")
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    classes = root.get("class", "").split()
    assert "llmarch-svg" in classes
    assert any(c.startswith("llmarch-accent-") for c in classes)
    assert root.get("role") == "img"
    titles = list(root.iter(f"{SVG}title"))
    assert [t.text for t in titles] == ["Llama 3 8B (8B)"]  # Graphviz's node tooltips are gone
    desc = root.find(f"{SVG}desc")
    assert desc is not None and "32 layers (32 GQA)" in (desc.text or "")
    ids = [el.get("id") for el in root.iter() if el.get("id")]
    assert len(ids) == len(set(ids))
    assert all(i.startswith("llmarch-llama-3-8b-full-") for i in ids)
    words = texts(svg)
    for expected in (
        "32 ×",
        "Grouped-query attention",
        "RoPE",
        "32 heads, 8 KV heads, head dim 128",
        "hidden size 14,336",
        "vocabulary 128,256",
        "context 8,192 tokens",
    ):
        assert expected in words
    # nodes carry CSS classes, so the page's stylesheet colours them
    groups = {c for g in root.iter(f"{SVG}g") for c in g.get("class", "").split()}
    assert {"llmarch-attn", "llmarch-ffn", "llmarch-norm", "llmarch-block"} <= groups


def test_annotations_do_not_overlap() -> None:
    root = ET.fromstring(svg_of("deepseek-v3"))
    notes = root.find(f"{SVG}g[@class='llmarch-notes']")
    assert notes is not None
    ys = sorted(float(t.get("y", 0)) for t in notes.iter(f"{SVG}text"))
    assert all(b - a >= 13 for a, b in itertools.pairwise(ys))


def test_thumbnail_has_no_annotations() -> None:
    words = texts(svg_of("deepseek-v3", "thumb"))
    assert "61 ×" in words
    assert not any("vocabulary" in w for w in words)


def inline_part(standalone: str) -> str:
    """The inline SVG inside a standalone file: drop the prolog, stylesheet and canvas."""
    root = ET.fromstring(standalone)
    for child in list(root):
        if child.tag == f"{SVG}style" or child.get("class") == "llmarch-canvas":
            root.remove(child)
    return ET.tostring(root, encoding="unicode", short_empty_elements=True)


def test_same_input_same_bytes_across_processes(tmp_path: Path) -> None:
    """The CLI, in a fresh process, draws exactly the SVG the docs inline."""
    out = tmp_path / "deepseek-v3.svg"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx_llmarch",
            "diagram",
            str(MODELS / "deepseek-v3.yaml"),
            "-o",
            str(out),
        ],
        check=True,
    )
    here = svg_of("deepseek-v3")
    assert inline_part(out.read_text(encoding="utf-8")) == here
    assert here == svg_of("deepseek-v3")


@pytest.mark.parametrize("slug", ["gpt2-xl", "llama-3-8b", "deepseek-v3"])
def test_snapshot(slug: str) -> None:
    """Guards against unintended changes; refresh with LLMARCH_UPDATE_SNAPSHOTS=1."""
    svg = svg_of(slug)
    path = SNAPSHOTS / f"{slug}.svg"
    if UPDATE or not path.exists():
        path.write_text(svg, encoding="utf-8")
    assert svg == path.read_text(encoding="utf-8"), f"{path.name} changed"


def test_render_cache_hits_disk(tmp_path: Path) -> None:
    spec = spec_of("gpt2-xl")
    first = SvgCache(directory=tmp_path)
    first.get(spec.main)
    assert first.renders == 1
    second = SvgCache(directory=tmp_path)
    second.get(spec.main)
    assert second.renders == 0

"""Diagrams: what the DOT and the SVG contain, determinism, and snapshots."""

from __future__ import annotations

import itertools
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from sphinx_llmarch.draw.compose import compose
from sphinx_llmarch.draw.engine import SvgCache
from sphinx_llmarch.draw.figure import figure_spec
from sphinx_llmarch.model.figures import compute
from sphinx_llmarch.model.loader import load_file

from .conftest import MODELS, TESTS

SVG = "{http://www.w3.org/2000/svg}"
SNAPSHOTS = TESTS / "snapshots"
UPDATE = os.environ.get("LLMARCH_UPDATE_SNAPSHOTS") == "1"


def spec_of(slug: str, variant: str = "full"):
    model = load_file(MODELS / f"{slug}.yaml").model
    assert model is not None
    return figure_spec(model, compute(model), variant)  # type: ignore[arg-type]


def svg_of(slug: str, variant: str = "full") -> str:
    return compose(spec_of(slug, variant), SvgCache().get).svg()


def texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    return [t.text or "" for t in root.iter(f"{SVG}text")]


def test_deepseek_main_panel_structure() -> None:
    spec = spec_of("deepseek-v3")
    assert 'label="61 ×"' in spec.main
    assert 'label="Multi-head latent attention"' in spec.main
    # a dense prefix: the box names both kinds, the note says which layers use which
    assert 'label="Feed forward or\\nMoE"' in spec.main
    assert 'class="llmarch-moe"' in spec.main
    assert 'label="RoPE + YaRN"' in spec.main
    notes = {a.node: a.lines for a in spec.annotations}
    assert notes["ffn"] == (
        "layers 1–3: dense FFN, hidden size 18,432",
        "layers 4–61: MoE: 256 experts, 8 active + 1 shared",
    )
    assert notes["attn"] == ("128 heads, head dim 128+64",)
    assert notes["head"] == ("vocabulary 129,280",)
    assert spec.footer == (
        "61 layers: 61 MLA",
        "Computed: 671B parameters, 37.6B active per token · KV cache 68.6 KiB per token (bf16)",
    )
    panels = {p.key: p for p in spec.panels}
    assert list(panels) == ["mixer-mla", "moe", "ffn"]  # no schedule panel for a dense prefix
    assert panels["moe"].notes[0] == "8 of 256 routed experts per token"
    assert 'label="Expert 256"' in panels["moe"].dot
    assert 'label="Shared expert"' in panels["moe"].dot
    assert "KV latent 512" in panels["mixer-mla"].dot


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
    # it holds links to the concept pages, which role="img" would hide from screen readers
    assert any(el.tag == f"{SVG}a" for el in root.iter())
    assert root.get("role") == "group"
    assert (
        root.get("aria-labelledby") == "llmarch-llama-3-8b-full-title llmarch-llama-3-8b-full-desc"
    )
    thumb = ET.fromstring(svg_of("llama-3-8b", "thumb"))
    assert not any(el.tag == f"{SVG}a" for el in thumb.iter())
    assert thumb.get("role") == "img"
    titles = list(root.iter(f"{SVG}title"))
    assert [t.text for t in titles] == ["Llama 3 8B"]  # Graphviz's node tooltips are gone
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


ALL = sorted(p.stem for p in MODELS.glob("*.yaml"))


def _boxes(root: ET.Element, cls: str) -> list[tuple[float, float, float, float]]:
    out = []
    for g in root.iter(f"{SVG}g"):
        if cls in g.get("class", "").split():
            x, y = (float(v) for v in g.get("transform", "translate(0,0)")[10:-1].split(","))
            rect = g.find(f"{SVG}rect")
            assert rect is not None
            out.append((x, y, x + float(rect.get("width", 0)), y + float(rect.get("height", 0))))
    return out


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("slug", ALL)
def test_layout_has_no_overlaps(slug: str) -> None:
    """Panels never overlap each other or the main panel; notes never overlap each other."""
    root = ET.fromstring(svg_of(slug))
    width, height = (float(v) for v in root.get("viewBox", "").split()[2:])
    panels = _boxes(root, "llmarch-panel")
    main = root.find(f"{SVG}g[@class='llmarch-main']")
    assert main is not None
    for i, a in enumerate(panels):
        assert a[2] <= width + 0.5 and a[3] <= height + 0.5, f"panel {i} outside the canvas"
        for b in panels[i + 1 :]:
            assert not _overlap(a, b)
    notes = root.find(f"{SVG}g[@class='llmarch-notes']")
    assert notes is not None
    ys = sorted(float(t.get("y", 0)) for t in notes.iter(f"{SVG}text"))
    assert all(b - a >= 13 for a, b in itertools.pairwise(ys))
    # the notes column ends left of the main panel
    left = float(main.get("transform", "")[10:].split(",")[0])
    assert all(float(t.get("x", 0)) < left for t in notes.iter(f"{SVG}text"))
    top_of_panels = min((p[1] for p in panels), default=height)
    main_bottom = max(float(t.get("y", 0)) for t in notes.iter(f"{SVG}text"))
    assert main_bottom < top_of_panels


def test_moe_panel_counts_experts() -> None:
    spec = spec_of("qwen3-next-80b-a3b")
    moe = next(p for p in spec.panels if p.key == "moe")
    assert 'label="Expert 512"' in moe.dot
    assert 'label="Router\\n(softmax, top-10)"' in moe.dot
    assert moe.notes[:2] == ("10 of 512 routed experts per token", "+ 1 shared, hidden size 512")
    latent = next(p for p in spec_of("nemotron-3-super-120b-a12b").panels if p.key == "moe")
    assert 'label="Down-projection\\n4,096 → 1,024"' in latent.dot
    assert 'label="Up-projection\\n1,024 → 4,096"' in latent.dot
    grok = next(p for p in spec_of("grok-2.5").panels if p.key == "moe")
    assert 'label="Dense FFN\\n(every token)"' in grok.dot


def _cluster_labels(dot: str) -> list[str]:
    return re.findall(r'subgraph "cluster_[^"]+" \{\n\s+graph \[label="([^"]+)"', dot)


def test_hybrid_schedule_counts() -> None:
    spec = spec_of("qwen3-next-80b-a3b")
    schedule = next(p for p in spec.panels if p.key == "schedule")
    assert _cluster_labels(schedule.dot) == ["12 ×", "3 ×"]
    assert schedule.notes == ("48 layers: 36 Gated DeltaNet and 12 gated attention",)
    assert [p.key for p in spec.panels] == [
        "schedule",
        "mixer-gated_deltanet",
        "mixer-gated",
        "moe",
        "ffn",
    ]
    nano = next(p for p in spec_of("nemotron-3-nano-30b-a3b").panels if p.key == "schedule")
    assert _cluster_labels(nano.dot) == ["5 ×", "2 ×", "1 ×", "3 ×", "4 ×"]
    assert nano.notes == ("52 layers: 23 Mamba-2, 23 MoE and 6 GQA",)
    # every layer type of the macro-blocks is drawn, each as its own row
    assert nano.dot.count('label="Mamba-2"') == 5 and nano.dot.count('label="GQA"') == 2


def test_dense_prefix_needs_no_schedule() -> None:
    keys = [p.key for p in spec_of("kimi-k2").panels]
    assert "schedule" not in keys and "moe" in keys


def test_side_inputs_say_which_layers_they_apply_to() -> None:
    smol = spec_of("smollm3-3b").main  # NoPE in every fourth layer
    assert "RoPE\\n(27 of 36 layers)\\nor NoPE\\n(9 of 36 layers)" in smol
    assert "NoPE\\n(MLA)" in spec_of("kimi-linear-48b-a3b").main
    gemma = spec_of("gemma-3-27b").main
    assert (
        "RoPE\\n(sliding-window GQA)\\nor RoPE + linear scaling\\n(global GQA)\\n+ QK-norm" in gemma
    )


def test_boxes_link_to_concepts() -> None:
    spec = spec_of("deepseek-v3")
    links = {link.node: link.concept for link in spec.links}
    assert links["attn"] == "mla"
    assert links["ffn"] == "moe"
    assert "URL" not in spec.main  # the DOT carries no placeholder addresses
    figure = compose(spec, SvgCache().get)
    assert "href=" not in figure.svg()  # written without targets: tooltips only
    linked = figure.svg(lambda key: "../concepts.html#mla" if key == "mla" else None)
    root = ET.fromstring(linked)
    hrefs = [
        a.get("{http://www.w3.org/1999/xlink}href") or a.get("href") for a in root.iter(f"{SVG}a")
    ]
    # the MLA box and the MLA panel's title link there; unknown targets keep no address
    assert hrefs.count("../concepts.html#mla") == 2
    assert {h for h in hrefs if h} == {"../concepts.html#mla"}
    assert figure.svg() == svg_of("deepseek-v3")  # writing with links changed nothing else


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


@pytest.mark.parametrize(
    "slug",
    ["gpt2-xl", "llama-3-8b", "deepseek-v3", "qwen3-next-80b-a3b", "nemotron-3-nano-30b-a3b"],
)
def test_snapshot(slug: str) -> None:
    """Guards against unintended changes; refresh with LLMARCH_UPDATE_SNAPSHOTS=1.

    Written with every concept link resolved, so the snapshots also show what links where.
    """
    svg = compose(spec_of(slug), SvgCache().get).svg(lambda key: f"concepts.html#{key}")
    path = SNAPSHOTS / f"{slug}.svg"
    if UPDATE:
        path.write_text(svg, encoding="utf-8")
    assert path.exists(), f"{path.name} is missing; write it with LLMARCH_UPDATE_SNAPSHOTS=1"
    assert svg == path.read_text(encoding="utf-8"), f"{path.name} changed"


def test_render_cache_hits_disk(tmp_path: Path) -> None:
    spec = spec_of("gpt2-xl")
    first = SvgCache(directory=tmp_path)
    first.get(spec.main)
    assert first.renders == 1
    second = SvgCache(directory=tmp_path)
    second.get(spec.main)
    assert second.renders == 0

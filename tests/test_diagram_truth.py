"""Diagrams that never mislead: findings of an audit of the diagrams against the official
modelling code, each tested on the diagram it was found in.

Each finding's test failed on the diagrams drawn before its fix.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from functools import cache
from typing import Any

import pytest

from sphinx_llmarch.draw.compose import compose
from sphinx_llmarch.draw.engine import SvgCache
from sphinx_llmarch.draw.figure import FigureSpec, figure_spec
from sphinx_llmarch.draw.panels import Panel
from sphinx_llmarch.model.figures import compute
from sphinx_llmarch.model.loader import LoadedModel, load_file
from sphinx_llmarch.model.stack import used_ffns

from .conftest import MODELS

SVG = "{http://www.w3.org/2000/svg}"
ALL = sorted(p.stem for p in MODELS.glob("*.yaml"))
_LABEL = re.compile(r'"([^"]+)" \[[^\]]*?label="((?:[^"\\]|\\.)*)"')
_EDGE = re.compile(r'"([^"]+)" -> "([^"]+)"(?: \[([^\]]*)\])?')


@cache
def model_of(slug: str) -> LoadedModel:
    model = load_file(MODELS / f"{slug}.yaml").model
    assert model is not None
    return model


@cache
def spec_of(slug: str) -> FigureSpec:
    model = model_of(slug)
    return figure_spec(model, compute(model))


@cache
def svg_of(slug: str) -> str:
    return compose(spec_of(slug), SvgCache().get).svg()


def labels(dot: str) -> dict[str, str]:
    """Node name → its label, line breaks as newlines."""
    return {name: label.replace("\\n", "\n") for name, label in _LABEL.findall(dot)}


def edges(dot: str, visible: bool = True) -> set[tuple[str, str]]:
    return {(a, b) for a, b, attrs in _EDGE.findall(dot) if not visible or "invis" not in attrs}


def panel(slug: str, key: str) -> Panel:
    return next(p for p in spec_of(slug).panels if p.key == key)


def notes(slug: str, node: str) -> tuple[str, ...]:
    return next((a.lines for a in spec_of(slug).annotations if a.node == node), ())


# --------------------------------------------------------------------------- the findings


@pytest.mark.parametrize("slug", ["gpt-oss-120b", "gpt-oss-20b"])
def test_1_sinks_and_biases_are_said_of_every_layer_type(slug: str) -> None:
    """Both layer types have sinks and biases: said once, for all; the window is the
    sliding layers' own."""
    lines = notes(slug, "attn")
    assert "attention sinks, biases" in lines
    assert "sliding-window GQA: window of 128 tokens" in lines
    assert "window of 128 tokens" not in lines


def test_2_kimi_linear_mla_has_no_rope_key() -> None:
    mla = panel("kimi-linear-48b-a3b", "mixer-mla")
    drawn = "\n".join(labels(mla.dot).values())
    assert "RoPE" not in drawn
    assert labels(mla.dot)["key"] == "Shared key 64\n(not rotated, cached)"


def _after_conv(dot: str) -> dict[str, str]:
    """Each short convolution → the label of the node it feeds."""
    names = labels(dot)
    return {a: names[b] for a, b in edges(dot) if names.get(a) == "Conv"}


def test_3_kda_applies_silu_after_the_q_k_and_v_convolutions() -> None:
    kda = panel("kimi-linear-48b-a3b", "mixer-kimi_delta")
    assert sorted(_after_conv(kda.dot).values()) == ["s", "s"]  # Q/K path and V path
    assert labels(kda.dot)["gs"] == "σ"  # the output gate is the sigmoid
    assert "s = SiLU, σ = sigmoid" in kda.notes[1]


@pytest.mark.parametrize("slug", ["qwen3-next-80b-a3b", "qwen3.5-397b"])
def test_4_gated_deltanet_applies_silu_to_the_whole_convolution(slug: str) -> None:
    gdn = panel(slug, "mixer-gated_deltanet")
    assert sorted(_after_conv(gdn.dot).values()) == ["s", "s"]
    assert "σ" not in labels(gdn.dot).values()
    assert gdn.notes[1].startswith("s = SiLU;")


def test_5_smollm3_schedule_shows_the_nope_layers() -> None:
    rows = [v for k, v in labels(panel("smollm3-3b", "schedule").dot).items() if k.endswith("m")]
    assert sorted(set(rows)) == ["GQA (NoPE)", "GQA (RoPE)"]


@pytest.mark.parametrize("slug", ALL)
def test_6_the_feed_forward_box_names_every_kind(slug: str) -> None:
    """A dense prefix too: the box never says 'MoE' alone when some layers are dense."""
    model = model_of(slug)
    arch = model.spec.architecture
    main = labels(spec_of(slug).main)
    box = main.get("ffn", main["attn"]).replace("\n", " ")
    for name in used_ffns(arch, model.layers):
        assert arch.ffns[name].TITLE in box


def _leader_ends(slug: str) -> dict[str, tuple[float, float]]:
    """Where each note's leader line ends, in the main panel's coordinates, by target node."""
    root = ET.fromstring(svg_of(slug))
    main = root.find(f"{SVG}g[@class='llmarch-main']")
    assert main is not None
    dx, dy = (float(v) for v in main.get("transform", "")[10:-1].split(","))
    group = root.find(f"{SVG}g[@class='llmarch-notes']")
    assert group is not None
    ends = []
    for path in group.iter(f"{SVG}path"):
        x, y = path.get("d", "").split(" L")[-1].split(",")
        ends.append((float(x) - dx, float(y) - dy))
    targets = sorted(
        (a.node for a in spec_of(slug).annotations if a.node in _boxes(slug)),
        key=lambda n: _boxes(slug)[n].cy,
    )
    return dict(zip(targets, ends, strict=True))


@cache
def _boxes(slug: str) -> dict[str, Any]:
    from sphinx_llmarch.draw.svg import parse_drawing

    return parse_drawing(SvgCache().get(spec_of(slug).main), "x").boxes


def _at(point: tuple[float, float], box: Any, slack: float = 4) -> bool:
    x, y = point
    return box.x0 - slack <= x <= box.x1 + slack and box.y0 - slack <= y <= box.y1 + slack


def test_7_tiny_aya_leaders_end_at_their_own_boxes() -> None:
    ends, boxes = _leader_ends("tiny-aya"), _boxes("tiny-aya")
    assert ends["attn"] != ends["ffn"]
    assert _at(ends["attn"], boxes["attn"]) and _at(ends["ffn"], boxes["ffn"])
    assert not _at(ends["ffn"], boxes["inputs"]) and not _at(ends["attn"], boxes["inputs"])


@pytest.mark.parametrize(
    ("slug", "key", "norm"),
    [
        ("deepseek-v3", "mixer-mla", "kvn"),
        (
            "motif-3-beta",
            "mixer-gdla",
            "kvu",
        ),  # the same split in grouped differential latent attention
    ],
)
def test_8_mla_rope_key_is_split_off_before_the_norm(slug: str, key: str, norm: str) -> None:
    mla = panel(slug, key)
    flow = edges(mla.dot)
    assert {("kvd", "key"), ("key", "sdpa"), ("kvd", "latent"), ("latent", norm)} <= flow
    assert labels(mla.dot)["latent"] == "KV latent 512\n(cached)"
    assert labels(mla.dot)["key"] == "RoPE key 64\n(cached)"


@pytest.mark.parametrize("slug", ALL)
def test_9_schedule_runs_through_every_feed_forward_block(slug: str) -> None:
    """No block of a schedule is a dead end: every one but the last feeds the next."""
    schedule = next((p for p in spec_of(slug).panels if p.key == "schedule"), None)
    if schedule is None:
        pytest.skip("no schedule panel")
    boxes = [n for n in labels(schedule.dot) if re.fullmatch(r"s.*r\d+[mf]", n)]
    tails = {a for a, _ in edges(schedule.dot)}
    assert all(b in tails for b in boxes)
    pairs = [(n, f"{n[:-1]}f") for n in boxes if n.endswith("m") and f"{n[:-1]}f" in boxes]
    assert all(pair in edges(schedule.dot) for pair in pairs)  # mixer → its feed-forward


@pytest.mark.parametrize("slug", ALL)
def test_10_leaders_end_at_their_own_box(slug: str) -> None:
    """Never at the block's edge, never beside another box (DeepSeek V3's heads note ended
    next to 'RoPE + YaRN')."""
    boxes = _boxes(slug)
    for node, end in _leader_ends(slug).items():
        assert _at(end, boxes[node]), node
        others = [n for n in boxes if n not in (node, "block") and not n.startswith("clust")]
        assert not any(_at(end, boxes[n], 1) for n in others if not boxes[n].holds(boxes[node]))


def test_11a_mimo_value_head_dim_is_shown() -> None:
    assert "global GQA: 64 heads, 4 KV heads, head dim 192, value head dim 128" in notes(
        "mimo-v2-flash", "attn"
    )


def test_11b_step_sliding_layers_have_96_heads() -> None:
    """One gated-attention panel for both layer types: its heads note names each type."""
    step = panel("step-3.5-flash", "mixer-gated").notes
    assert "sliding-window gated GQA: 96 heads, 8 KV heads, head dim 128" in step
    assert "global gated GQA: 64 heads, 8 KV heads, head dim 128" in step
    assert not any(n.startswith("64 heads") for n in step)


@pytest.mark.parametrize("slug", ["qwen3-next-80b-a3b", "qwen3.5-397b"])
def test_11c_qwen_shared_expert_has_its_sigmoid_gate(slug: str) -> None:
    moe = panel(slug, "moe")
    assert {("shared", "sgm"), ("sgl", "sgs"), ("sgs", "sgm"), ("sgm", "sum")} <= edges(moe.dot)
    assert labels(moe.dot)["sgs"] == "σ"
    assert "a sigmoid gate (σ) scales the shared output" in moe.notes


@pytest.mark.parametrize("slug", ["gpt-oss-120b", "gpt-oss-20b"])
def test_11d_gpt_oss_swiglu_is_the_clamped_one(slug: str) -> None:
    assert panel(slug, "ffn").title == "Each expert: feed forward (Clamped SwiGLU)"

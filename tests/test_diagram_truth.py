"""Diagrams that never mislead: the twelve findings of an audit against the official code, and
a truth test over every model in ``models/``.

Each finding's test failed on the diagrams drawn before its fix.  The truth tests hold for
every model file, including any added later: every number a diagram prints comes from the
model's data or from a computed figure; every mixer, feed-forward and position kind the
model uses is named in its diagram; layer types that differ never share a schedule label;
and the title and the footer say which size is official and which is computed.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import asdict
from functools import cache
from typing import Any

import pytest

from sphinx_llmarch.describe import fmt
from sphinx_llmarch.describe import labels as naming
from sphinx_llmarch.describe.rows import rows_of
from sphinx_llmarch.draw.compose import compose, wrap_all
from sphinx_llmarch.draw.engine import SvgCache
from sphinx_llmarch.draw.figure import FigureSpec, figure_spec
from sphinx_llmarch.draw.panels import Panel
from sphinx_llmarch.draw.text import wrap
from sphinx_llmarch.model.figures import compute
from sphinx_llmarch.model.loader import LoadedModel, load_file
from sphinx_llmarch.model.stack import used_ffns, used_mixers

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


def test_12a_wrapping_leaves_no_orphans() -> None:
    assert wrap_all(notes("deepseek-v3", "ffn")) == [
        "layers 1–3: dense FFN, hidden size 18,432",
        "layers 4–61: MoE: 256 experts,",
        "  8 active + 1 shared",
    ]
    assert wrap("sliding-window GQA: 64 heads, 8 KV heads, head dim 192", 44) == [
        "sliding-window GQA: 64 heads, 8 KV heads,",
        "head dim 192",
    ]


def test_12b_plus_means_combined_and_alternatives_say_or() -> None:
    """Layers side by side say 'and'; '+' is kept for what one layer combines."""
    assert spec_of("gpt-oss-120b").footer[0] == "36 layers: 18 sliding-window and 18 global"
    gemma = spec_of("gemma-3-27b")
    assert "sliding-window GQA (1,024) with RoPE and GQA with RoPE + linear scaling" in (
        gemma.description
    )
    assert labels(gemma.main)["inputs"].split("\n") == [
        "RoPE",
        "(sliding-window GQA)",
        "or RoPE + linear scaling",
        "(global GQA)",
        "+ QK-norm",
    ]


def test_12c_title_and_footer_say_official_and_computed() -> None:
    assert spec_of("deepseek-v3.2").title == "DeepSeek V3.2 (671B, official)"
    assert spec_of("deepseek-v3.2").footer[1].startswith("Computed: 672B parameters")
    assert spec_of("glm-4.5").title == "GLM-4.5 (355B, official)"


# --------------------------------------------------------------------------- truth, every model

_NUMBER = re.compile(r"(?<![\w.,])\d+(?:,\d{3})*(?:\.\d+)?(?:[KMBT]\b| ?[KMGT]iB|%)?")


def _values(data: Any) -> list[int | float]:
    """Every number in a model's data, nested."""
    if isinstance(data, bool):
        return []
    if isinstance(data, int | float):
        return [data]
    if isinstance(data, dict):
        return [v for item in data.values() for v in _values(item)]
    if isinstance(data, list | tuple):
        return [v for item in data for v in _values(item)]
    return []


def _is_property(obj: object, name: str) -> bool:
    return not name.startswith(("_", "model_")) and isinstance(getattr(type(obj), name), property)


def _spellings(value: float) -> set[str]:
    out = {str(value), f"{value:,}" if isinstance(value, int) else str(value)}
    if isinstance(value, float):  # as the diagram rounds it
        out.add(f"{value:.4g}")
    if isinstance(value, float) and value.is_integer():
        out |= _spellings(int(value))
    if isinstance(value, int):
        out |= {fmt.params(value), fmt.bytes_iec(value).replace(" ", "")}
    return out


@cache
def _allowed(slug: str) -> frozenset[str]:
    """What a diagram may print: the data's numbers, the computed figures, the fact table's
    texts, the layer counts, and the mechanisms' own cache and state sizes."""
    model = model_of(slug)
    figures = compute(model)
    arch = model.spec.architecture
    numbers = _values(model.spec.model_dump()) + _values(asdict(figures))
    numbers += list(range(len(model.layers) + 1))
    numbers += list(Counter(s.mixer for s in model.layers).values())
    numbers += list(Counter(s.ffn for s in model.layers).values())
    for m in arch.mixers.values():
        numbers += [m.cache_values_per_token(), m.state_values()]
    for part in [*arch.mixers.values(), *arch.ffns.values()]:  # widths they derive: q_width
        numbers += _values([getattr(part, n) for n in dir(type(part)) if _is_property(part, n)])
    numbers += [figures.linear_state_bytes, figures.kv_cache_bytes_per_token]
    if arch.loop is not None:  # the layers a token passes through
        numbers.append(len(model.layers) * arch.loop.passes)
    allowed = {s for v in numbers for s in _spellings(v)} | set(_NUMBER.findall(model.spec.name))
    for row in rows_of(model, figures).values():
        allowed |= {n.replace(" ", "") for n in _NUMBER.findall(row.value)}
    return frozenset(allowed)


def _printed(slug: str) -> list[str]:
    spec = spec_of(slug)
    texts = [t.text or "" for t in ET.fromstring(svg_of(slug)).iter(f"{SVG}text")]
    return [spec.title, *texts]


@pytest.mark.parametrize("slug", ALL)
def test_every_number_traces_to_the_data_or_a_figure(slug: str) -> None:
    allowed = _allowed(slug)
    stray = [
        (text, n)
        for text in _printed(slug)
        for n in _NUMBER.findall(text)
        if n.replace(" ", "") not in allowed
    ]
    assert not stray, f"numbers the data does not hold: {stray}"


@pytest.mark.parametrize("slug", ALL)
def test_every_kind_is_named(slug: str) -> None:
    model = model_of(slug)
    arch, stack = model.spec.architecture, model.stack
    spec = spec_of(slug)
    drawn = " ".join(
        [*labels(spec.main).values(), *(t for p in spec.panels for t in labels(p.dot).values())]
    ).replace("\n", " ")
    for name in used_mixers(arch, model.layers):
        m = arch.mixers[name]
        assert m.title(stack) in drawn or m.abbreviation() in drawn, name
        p = m.position_scheme()
        if p is not None:
            assert (p.label() if not p.AT_EMBEDDING else "Positional embedding") in drawn, name
    for name in used_ffns(arch, model.layers):
        assert arch.ffns[name].TITLE in drawn or arch.ffns[name].mix_label() in drawn, name


@pytest.mark.parametrize("slug", ALL)
def test_layer_types_that_differ_never_share_a_label(slug: str) -> None:
    model = model_of(slug)
    arch = model.spec.architecture
    for parts, named in (
        (arch.mixers, naming.mixer_labels(arch, list(arch.mixers), model.stack)),
        (arch.ffns, naming.ffn_labels(arch, list(arch.ffns))),
    ):
        for a in parts:
            for b in parts:
                if parts[a] != parts[b]:
                    assert named[a] != named[b], (a, b)
    schedule = next((p for p in spec_of(slug).panels if p.key == "schedule"), None)
    if schedule is not None:
        rows = {v for k, v in labels(schedule.dot).items() if re.fullmatch(r"s.*r\d+m", k)}
        used = naming.mixer_labels(arch, list(arch.mixers), model.stack)
        assert rows == {used[n] for n in used_mixers(arch, model.layers)}


@pytest.mark.parametrize("slug", ALL)
def test_sizes_say_official_or_computed(slug: str) -> None:
    spec = spec_of(slug)
    size = re.search(r"\((\S+), (official|computed)\)$", spec.title)
    if size is None:  # the name carries its size, as the publisher named it
        assert not re.search(r"\(\d", spec.title)
    official = model_of(slug).spec.official_params
    if size is not None:
        assert (size.group(2) == "official") == bool(official and official.total)
    assert any(line.startswith("Computed: ") for line in spec.footer)


@pytest.mark.parametrize("slug", ALL)
def test_attention_notes_without_a_layer_type_hold_for_every_type(slug: str) -> None:
    model = model_of(slug)
    arch = model.spec.architecture
    kinds = [arch.mixers[n] for n in used_mixers(arch, model.layers)]
    own = [{m.heads_text(), *m.notes()} for m in kinds]
    if any(not (s.mixer and s.ffn) for s in model.layers):
        pytest.skip("one combined box: its notes name their layers")
    for line in notes(slug, "attn"):
        if not any(
            line.startswith(f"{label}: ")
            for label in naming.mixer_labels(
                arch, used_mixers(arch, model.layers), model.stack
            ).values()
        ):
            assert all(line in lines for lines in own), line


@pytest.mark.parametrize("slug", ALL)
def test_wrapped_notes_leave_no_orphans(slug: str) -> None:
    for annotation in spec_of(slug).annotations:
        for line in annotation.lines:
            parts = wrap_all((line,))
            if len(parts) > 1:
                assert all(" " in p.strip() for p in parts), parts
            assert not any(re.search(r"(dim|\+|→)$", p) for p in parts), parts

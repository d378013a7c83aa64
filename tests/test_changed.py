"""What a comparison marks as changed: block signatures and the differing blocks of two
diagrams (draw/changed.py), the summary line's aspects (describe/changes.py), and the marks
the composer writes into the SVG."""

from __future__ import annotations

import dataclasses
import itertools
import xml.etree.ElementTree as ET
from functools import cache

import pytest

from sphinx_llmarch.describe.changes import MINOR, SAME, aspect_changes, aspects, changes, summary
from sphinx_llmarch.draw.changed import CHANGED, differing, signatures
from sphinx_llmarch.draw.compose import compose
from sphinx_llmarch.draw.engine import SvgCache
from sphinx_llmarch.draw.figure import FigureSpec, figure_spec
from sphinx_llmarch.model.figures import compute
from sphinx_llmarch.model.loader import LoadedModel, load_file
from sphinx_llmarch.model.stack import used_ffns

from .conftest import MODELS

SVG = "{http://www.w3.org/2000/svg}"

ALL = sorted(p.stem for p in MODELS.glob("*.yaml"))


@cache
def model(slug: str) -> LoadedModel:
    loaded = load_file(MODELS / f"{slug}.yaml").model
    assert loaded is not None, slug
    return loaded


@cache
def spec(slug: str) -> FigureSpec:
    return figure_spec(model(slug), compute(model(slug)))


@cache
def sigs(slug: str) -> dict[str, str]:
    return signatures(spec(slug))


def marked(svg: str) -> dict[str, int]:
    """Marked blocks of an SVG → how many elements carry each."""
    found: dict[str, int] = {}
    for el in ET.fromstring(svg).iter():
        if CHANGED in el.get("class", "").split():
            block = el.get("data-llmarch-block", "")
            found[block] = found.get(block, 0) + 1
    return found


def routed(slug: str) -> bool:
    arch = model(slug).spec.architecture
    return any(arch.ffns[n].routing() for n in used_ffns(arch, model(slug).layers))


@pytest.mark.parametrize("slug", ALL)
def test_a_model_compared_with_itself_differs_in_nothing(slug: str) -> None:
    assert sigs(slug)
    assert differing(sigs(slug), sigs(slug)) == frozenset()
    assert aspect_changes(aspects(model(slug)), aspects(model(slug))) == []
    assert summary([]) == "No architectural differences."


def test_every_diagram_has_its_mixer_and_each_panel_as_blocks() -> None:
    for slug in ALL:
        s = spec(slug)
        assert "main/attn" in sigs(slug), slug
        assert {f"panel/{p.key}" for p in s.panels} <= set(sigs(slug)), slug


def test_deepseek_v3_to_v3_2_marks_the_sparse_attention_and_its_indexer() -> None:
    found = differing(sigs("deepseek-v3"), sigs("deepseek-v3.2"))
    # the mixer's box (MLA + DSA), its panel, and the indexer and top-k inside it
    assert {"main/attn", "panel/mixer-mla", "panel/mixer-mla/idx", "panel/mixer-mla/topk"} <= found
    # what the two share is not marked
    assert not found & {"main/ffn", "panel/moe", "panel/ffn", "main/embed", "main/block"}
    assert "panel/mixer-mla/idx" not in sigs("deepseek-v3")
    assert differing(sigs("deepseek-v3.2"), sigs("deepseek-v3")) == found


def test_dense_against_moe_marks_the_feed_forward() -> None:
    dense = [s for s in ALL if not routed(s)]
    moe = [s for s in ALL if routed(s)]
    assert dense and moe
    for a in dense:
        found = differing(sigs(a), sigs(moe[0]))
        assert {"main/ffn", "panel/moe"} <= found or "main/ffn" not in sigs(a), a


def test_differences_are_symmetric_and_blocks_of_a_missing_panel_are_not_listed() -> None:
    for a, b in itertools.pairwise(ALL):
        found = differing(sigs(a), sigs(b))
        assert found == differing(sigs(b), sigs(a)), (a, b)
        for block in found:
            parts = block.split("/")
            if parts[0] == "panel" and len(parts) > 2:  # a box inside a panel both have
                panel = "/".join(parts[:2])
                assert panel in sigs(a) and panel in sigs(b), (a, b, block)


def test_the_summary_line_agrees_with_the_family_tree_edges() -> None:
    """Where the family tree says two models share their architecture, the summary line
    names no difference, and where it names some, so does the line."""
    for slug in ALL:
        base = model(slug).spec.based_on
        if base is None or base not in ALL:
            continue
        edge = changes(model(base), model(slug))
        line = aspect_changes(aspects(model(base)), aspects(model(slug)))
        assert (line == []) == (edge in ([SAME], [MINOR])), (base, slug, edge, line)


def test_summary_wording() -> None:
    assert summary(["MHA → GQA"]) == "1 architectural difference: MHA → GQA"
    line = aspect_changes(aspects(model("deepseek-v3")), aspects(model("deepseek-v3.2")))
    assert summary(line) == "1 architectural difference: MLA → MLA + DSA"


def test_the_composer_marks_exactly_the_named_blocks_in_both_diagrams() -> None:
    found = differing(sigs("deepseek-v3"), sigs("deepseek-v3.2"))
    render = SvgCache().get
    for slug in ("deepseek-v3", "deepseek-v3.2"):
        s = dataclasses.replace(spec(slug), changed=tuple(sorted(found)))
        marks = marked(compose(s, render).svg())
        assert set(marks) == found & set(sigs(slug)), slug
        assert set(marks.values()) == {1}  # one element per block
        assert {"main/attn", "panel/mixer-mla"} <= set(marks)
    assert "panel/mixer-mla/idx" in marked(
        compose(dataclasses.replace(spec("deepseek-v3.2"), changed=tuple(found)), render).svg()
    )
    assert marked(compose(spec("deepseek-v3.2"), render).svg()) == {}


@pytest.mark.parametrize("slug", ALL)
def test_a_signed_diagram_writes_every_block_once_with_its_signature(slug: str) -> None:
    signed = dataclasses.replace(spec(slug), signed=True)
    root = ET.fromstring(compose(signed, SvgCache().get).svg())
    written = [
        (el.get("data-llmarch-block"), el.get("data-llmarch-sig"))
        for el in root.iter()
        if el.get("data-llmarch-block")
    ]
    assert dict(written) == sigs(slug)
    assert len(written) == len(sigs(slug))


def test_a_model_page_diagram_carries_no_block_data() -> None:
    """Only comparisons pay for the identities: a model page's diagram is as it was."""
    svg = compose(spec("deepseek-v3.2"), SvgCache().get).svg()
    assert "data-llmarch-block" not in svg and "data-llmarch-sig" not in svg


def test_a_compared_diagram_puts_each_part_s_panels_in_a_row_of_their_own() -> None:
    render = SvgCache().get

    def rows(figure: FigureSpec) -> list[list[str]]:
        tops: dict[str, list[str]] = {}
        for g in ET.fromstring(compose(figure, render).svg()).iter(f"{SVG}g"):
            if "llmarch-panel" in g.get("class", "").split():
                top = g.get("transform", "").split(",")[1]
                tops.setdefault(top, []).append(g.get("class", "").split()[1])
        return list(tops.values())

    for slug in ("deepseek-v3", "deepseek-v3.2"):
        compared = dataclasses.replace(spec(slug), compared=True)
        assert rows(compared) == [
            ["llmarch-panel-mixer-mla"],
            ["llmarch-panel-moe", "llmarch-panel-ffn"],
        ]
    # on a model page, panels fill each row: V3's MoE panel stands beside its MLA panel
    assert rows(spec("deepseek-v3"))[0] == ["llmarch-panel-mixer-mla", "llmarch-panel-moe"]

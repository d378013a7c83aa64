"""The family tree: each edge names what changed and links to the compare view of the pair."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from sphinx_llmarch.draw import charts

from .conftest import html

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}"


def _summary(slug: str, based_on: str | None) -> dict[str, object]:
    return {"name": slug.upper(), "family": "F", "based_on": based_on}


def test_edge_labels_and_links_in_the_dot() -> None:
    summaries = {"a": _summary("a", None), "b": _summary("b", "a"), "c": _summary("c", "b")}
    changes = {"b": ["MHA → GQA"], "c": ["+ QK-norm", "x", "y", "z", "w"]}
    dot = charts.family_tree_dot(summaries, {}, changes, "compare.html")
    edges = [line for line in dot.splitlines() if " -> " in line]
    assert len(edges) == 2
    assert 'label="MHA → GQA"' in edges[0]
    assert 'URL="compare.html?a=a&b=b"' in edges[0]
    # three lines at most; the tooltip keeps every change
    assert 'label="+ QK-norm\\nx\\n… 3 more"' in edges[1]
    assert 'tooltip="B → C: + QK-norm; x; y; z; w"' in edges[1]


def test_no_compare_page_no_links() -> None:
    summaries = {"a": _summary("a", None), "b": _summary("b", "a")}
    dot = charts.family_tree_dot(summaries, {}, {"b": ["MHA → GQA"]})
    edge = next(line for line in dot.splitlines() if " -> " in line)
    assert "URL=" not in edge
    assert 'label="MHA → GQA"' in edge


@pytest.mark.sphinx("html", testroot="gallery", freshenv=True)
def test_tree_edges_on_the_page(app) -> None:
    app.build()
    page = html(app, "charts")
    start = page.rindex("<svg", 0, page.index('id="llmarch-family-tree-title"'))
    svg = ET.fromstring(page[start : page.index("</svg>", start) + 6])
    edges = [g for g in svg.iter(f"{SVG}g") if "llmarch-family-edge" in g.get("class", "")]
    assert len(edges) == 1
    edge = edges[0]
    links = [a.get(f"{XLINK}href") for a in edge.iter(f"{SVG}a")]
    assert links and set(links) == {"app.html?a=tiny-gqa&b=tiny-mla"}
    texts = [t.text for t in edge.iter(f"{SVG}text")]
    assert texts == ["GQA → MLA", "dense → MoE 8×2", "… 3 more"]
    tips = {a.get(f"{XLINK}title") for a in edge.iter(f"{SVG}a")}
    changes = "GQA → MLA; dense → MoE 8×2; + multi-token prediction; 4 → 6 layers; "
    assert tips == {f"Tiny GQA → Tiny MLA: {changes}context 4,096 → 8,192"}
    # the tree scrolls sideways in a frame the keyboard can reach
    assert '<div class="llmarch-diagram llmarch-tree" tabindex="0" role="region"' in page
    # every id on the page stays unique
    ids = re.findall(r' id="([^"]+)"', page)
    assert len(ids) == len(set(ids))


def test_long_changes_break_after_their_arrow() -> None:
    long = "Lightning Attention and MLA → Kimi Delta Attention and MLA"
    assert charts.edge_label([long, "MHA → GQA"]) == (
        "Lightning Attention and MLA →\nKimi Delta Attention and MLA\nMHA → GQA"
    )
    assert (
        charts.edge_label(["+ MLA + DSA (shared index) 19:7"]) == "+ MLA + DSA (shared index) 19:7"
    )


def test_a_long_number_change_breaks_after_its_label() -> None:
    assert (
        charts.edge_label(["Partial RoPE + YaRN: ×64 → ×32"]) == "Partial RoPE + YaRN:\n×64 → ×32"
    )

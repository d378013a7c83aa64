"""The charts read honestly: the scatter's labels overlap nothing, every point links to
its model and has a name and a tooltip, an outlier year sits past an axis break, the bar
charts use a linear scale they state and whose tick labels are real values, and the family
tree's names fit in their boxes. Drawn from every model in ``models/``."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from itertools import combinations
from typing import Any

import pytest

from sphinx_llmarch.describe.records import summary_of
from sphinx_llmarch.draw import charts
from sphinx_llmarch.draw.engine import render_raw
from sphinx_llmarch.draw.labelplace import Box, overlap, text_box
from sphinx_llmarch.draw.text import text_width
from sphinx_llmarch.model.figures import compute
from sphinx_llmarch.model.loader import load_file

from .conftest import MODELS

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def summaries() -> list[dict[str, Any]]:
    found = []
    for path in sorted(MODELS.glob("*.yaml")):
        model = load_file(path).model
        assert model is not None, path
        found.append(summary_of(model, compute(model)))
    return found


def _svg(html: str) -> ET.Element:
    """The chart's SVG out of its frame."""
    return ET.fromstring(html[html.index("<svg") : html.rindex("</svg>") + 6])


def _page(slug: str) -> str:
    return f"models/{slug}.html"


def _circle_box(c: ET.Element) -> Box:
    x, y, r = (float(c.get(k, "0")) for k in ("cx", "cy", "r"))
    return (x - r, y - r, x + r, y + r)


def _label_box(t: ET.Element) -> Box:
    return text_box(
        float(t.get("x", "0")), float(t.get("y", "0")), t.text or "", t.get("text-anchor", "start")
    )


def _points(svg: ET.Element) -> list[ET.Element]:
    return [e for e in svg.iter() if "llmarch-point" in e.get("class", "").split()]


def test_scatter_labels_overlap_no_other_label_and_no_point(
    summaries: list[dict[str, Any]],
) -> None:
    svg = _svg(charts.timeline(summaries, _page))
    labels = [t for t in svg.iter(f"{SVG}text") if t.get("class") == "llmarch-label"]
    boxes = [_label_box(t) for t in labels]
    dots = [
        _circle_box(c) for c in svg.iter(f"{SVG}circle") if c.get("class") != "llmarch-dot" or True
    ]
    dots = [_circle_box(c) for p in _points(svg) for c in p.iter(f"{SVG}circle")]
    for (a, ta), (b, tb) in combinations(zip(boxes, labels, strict=True), 2):
        assert not overlap(a, b), f"labels '{ta.text}' and '{tb.text}' overlap"
    for box, label in zip(boxes, labels, strict=True):
        assert not any(overlap(box, dot) for dot in dots), f"label '{label.text}' covers a point"
    width, height = (float(v) for v in svg.get("viewBox", "").split()[2:])
    assert all(b[0] >= 0 and b[2] <= width and b[1] >= 0 and b[3] <= height for b in boxes)
    # placed, not thinned to nothing: a good share of the points keep their name
    assert len(labels) >= 0.4 * len(_points(svg))


def test_every_point_links_to_its_model_and_has_a_name_and_a_tooltip(
    summaries: list[dict[str, Any]],
) -> None:
    svg = _svg(charts.timeline(summaries, _page))
    points = _points(svg)
    dated = {s["slug"]: s for s in summaries if s["release_date"]}
    assert len(points) == len(dated)
    assert {p.get("href") for p in points} == {_page(slug) for slug in dated}
    for p in points:
        s = dated[p.get("href", "")[len("models/") : -len(".html")]]
        assert p.tag == f"{SVG}a"
        assert p.get("aria-label", "").startswith(f"{s['name']}, ")
        assert p.get("data-tip") == p.get("aria-label")
        assert s["release_date"][:4] in p.get("aria-label", "")


def test_a_point_without_a_page_is_focusable_and_named_but_no_link(
    summaries: list[dict[str, Any]],
) -> None:
    svg = _svg(charts.timeline(summaries[:3], lambda slug: None))
    assert not list(svg.iter(f"{SVG}a"))
    for p in _points(svg):
        assert p.get("tabindex") == "0" and p.get("aria-label") and p.get("data-tip")


def _dated(summaries: list[dict[str, Any]], dates: list[str]) -> list[dict[str, Any]]:
    return [{**s, "release_date": d} for s, d in zip(summaries, dates, strict=False)]


def test_an_outlier_year_sits_in_a_bin_past_an_axis_break(summaries: list[dict[str, Any]]) -> None:
    dates = ["2019-11-05", "2024-04-18", "2024-09-25", "2025-03-01", "2025-06-30"]
    svg = _svg(charts.timeline(_dated(summaries, dates), _page))
    axis = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "llmarch-axis"]
    years = [a for a in axis if a and re.fullmatch(r"\d{4}", a)]
    assert years == ["2024", "2025", "2019"]  # no empty years 2020–2023
    assert len([e for e in svg.iter(f"{SVG}line") if e.get("class") == "llmarch-break"]) == 2
    xs = [float(next(p.iter(f"{SVG}circle")).get("cx", "0")) for p in _points(svg)]
    by_date = [x for _, x in sorted(zip(dates, xs, strict=False))]
    tick = {
        t.text: float(t.get("x", "0")) for t in svg.iter(f"{SVG}text") if t.text in {"2019", "2024"}
    }
    # the 2019 model is at its bin's tick, well left of 2024, and the rest spread out after it
    assert abs(by_date[0] - tick["2019"]) < 1 and tick["2024"] - by_date[0] > 30
    assert by_date == sorted(by_date) and by_date[-1] - by_date[1] > 200


def test_no_outlier_no_break(summaries: list[dict[str, Any]]) -> None:
    dates = ["2024-04-18", "2024-09-25", "2025-03-01"]
    svg = _svg(charts.timeline(_dated(summaries, dates), _page))
    assert not [e for e in svg.iter(f"{SVG}line") if e.get("class") == "llmarch-break"]


def _bytes(text: str) -> float:
    number, unit = text.split()
    return float(number) * 1024 ** ["B", "KiB", "MiB", "GiB"].index(unit)


def test_kv_chart_is_linear_and_says_so(summaries: list[dict[str, Any]]) -> None:
    html = charts.kv_cache(summaries, _page)
    svg = _svg(html)
    assert "linear scale" in (svg.findtext(f"{SVG}desc") or "")
    axis = [t.text or "" for t in svg.iter(f"{SVG}text") if t.get("class") == "llmarch-axis"]
    assert "linear scale" in axis[0]
    # tick labels are real values, evenly spaced from zero, twice (above and below)
    ticks = {
        float(t.get("x", "0")): _bytes(t.text or "")
        for t in svg.iter(f"{SVG}text")
        if t.get("class") == "llmarch-axis" and t.text != axis[0]
    }
    xs = sorted(ticks)
    assert ticks[xs[0]] == 0
    scale = (xs[-1] - xs[0]) / ticks[xs[-1]]
    for x in xs:
        assert x - xs[0] == pytest.approx(ticks[x] * scale, abs=0.1)
    # each bar's length is its value on that scale (Llama 3 8B's bar is a quarter of OLMo 2's)
    rows = [e for e in svg.iter() if e.get("class") == "llmarch-row"]
    assert len(rows) == len(summaries)
    kv = {_page(s["slug"]): s["kv_cache_bytes_per_token"] for s in summaries}
    for row in rows:
        bar = next(row.iter(f"{SVG}rect"))
        expected = max(1.0, kv[row.get("href", "")] * scale)
        assert float(bar.get("width", "0")) == pytest.approx(expected, abs=0.1)


def test_bars_link_to_their_models(summaries: list[dict[str, Any]]) -> None:
    svg = _svg(charts.active_share(summaries, _page))
    rows = [e for e in svg.iter() if e.get("class") == "llmarch-row"]
    sparse = {s["slug"] for s in summaries if s["active_params"] < s["total_params"]}
    assert {r.get("href") for r in rows} == {_page(slug) for slug in sparse}
    assert all(r.get("aria-label") for r in rows)


def _numbers(d: str) -> list[float]:
    return [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", d)]


def test_family_tree_names_fit_their_boxes(summaries: list[dict[str, Any]]) -> None:
    by_slug = {s["slug"]: s for s in summaries}
    svg = ET.fromstring(render_raw(charts.family_tree_dot(by_slug, {})))
    nodes = [g for g in svg.iter(f"{SVG}g") if g.get("class", "").startswith("node")]
    assert nodes
    for node in nodes:
        shape = next(e for e in node.iter() if e.tag in {f"{SVG}path", f"{SVG}polygon"})
        xs = _numbers(shape.get("d") or shape.get("points") or "")[0::2]
        text = next(node.iter(f"{SVG}text"))
        needed = text_width(text.text or "", float(text.get("font-size", "0")))
        assert max(xs) - min(xs) >= needed + 8, f"'{text.text}' does not fit its box"

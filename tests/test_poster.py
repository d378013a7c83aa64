"""The to-scale poster: one stack per model, heights and widths to scale, the layer mix in
colour, deterministic SVG and PNG, and ``llmarch poster``."""

from __future__ import annotations

import re
import struct
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from sphinx_llmarch.cli import main
from sphinx_llmarch.describe import fmt
from sphinx_llmarch.draw import raster
from sphinx_llmarch.draw.poster import Entry, entry_of
from sphinx_llmarch.draw.posterkey import DASHES, LAYER_GAP, LAYER_HEIGHT, UNITS_PER_DIMENSION
from sphinx_llmarch.draw.posterpng import PNG_MAX_PIXELS, PNG_WIDTH, png_width, poster_files
from sphinx_llmarch.draw.postersvg import poster_svg
from sphinx_llmarch.model.store import ModelStore

from .conftest import MODELS, REPO, TESTS, html, warning_lines

SVG = "{http://www.w3.org/2000/svg}"
TINY = TESTS / "roots" / "test-gallery" / "models"
BAD = TESTS / "roots" / "test-bad" / "models"


@cache
def _entries(folder: Path) -> tuple[Entry, ...]:
    store = ModelStore(folder)
    models = [store.load(slug).model for slug in store.slugs()]
    return tuple(entry_of(m, store.figures(m)) for m in models if m is not None)


@cache
def _stacks(folder: Path) -> dict[str, ET.Element]:
    root = ET.fromstring(poster_svg(_entries(folder), "light"))
    return {g.get("data-slug", ""): g for g in root.iter(f"{SVG}g") if g.get("data-slug")}


@dataclass(frozen=True)
class Cell:
    """One layer's part as the poster paints it: its paint class, top and height."""

    paint: str
    y: float
    height: float


def _cells(stack: ET.Element) -> list[Cell]:
    """The stack's layer parts, from its bands: each a vertical line dashed a layer apart."""
    dash, gap = (float(v) for v in DASHES.split())
    cells = []
    for line in stack.iter(f"{SVG}line"):
        paint, kind = (line.get("class") or "").split()
        count = int(line.get("data-layers", 0))
        bottom, top = float(line.get("y1", 0)), float(line.get("y2", 0))
        assert kind == "lp-layers" and line.get("x1") == line.get("x2")
        # the line's dashes are exactly its layers: none cut short at its top
        assert bottom - top == pytest.approx(count * (dash + gap) - gap, abs=0.01)
        for i in range(count):
            end = bottom - i * (dash + gap)
            cells.append(Cell(paint, round(end - dash, 3), dash))
    return cells


def _outline(stack: ET.Element) -> ET.Element:
    return next(r for r in stack.iter(f"{SVG}rect") if r.get("class") == "lp-outline")


def test_one_stack_per_model() -> None:
    stacks = _stacks(MODELS)
    assert sorted(stacks) == sorted(p.stem for p in MODELS.glob("*.yaml"))


def test_heights_and_widths_to_scale() -> None:
    store = ModelStore(MODELS)
    for slug, stack in _stacks(MODELS).items():
        model = store.load(slug).model
        assert model is not None
        outline = _outline(stack)
        height, width = float(outline.get("height", 0)), float(outline.get("width", 0))
        assert height == pytest.approx(len(model.layers) * LAYER_HEIGHT, abs=0.01), slug
        hidden = model.spec.architecture.hidden_size
        assert width == pytest.approx(hidden * UNITS_PER_DIMENSION, abs=0.01), slug
        # one row of cells per layer, each the same height, inside the outline
        rows = {c.y for c in _cells(stack)}
        assert len(rows) == len(model.layers), slug
        assert {c.height for c in _cells(stack)} == {LAYER_HEIGHT - LAYER_GAP}
        top = float(outline.get("y", 0))
        assert min(float(y or 0) for y in rows) == pytest.approx(top, abs=0.01)


@pytest.mark.parametrize(
    ("slug", "expected"),
    [
        ("deepseek-v3", {"lp-attn": 61, "lp-ffn": 3, "lp-routed": 58}),
        ("gemma-3-27b", {"lp-local": 52, "lp-attn": 10, "lp-ffn": 62}),
        ("qwen3-next-80b-a3b", {"lp-linear": 36, "lp-attn": 12, "lp-routed": 48}),
        ("nemotron-3-nano-30b-a3b", {"lp-ssm": 23, "lp-attn": 6, "lp-routed": 23}),
    ],
)
def test_layer_mix_in_colour(slug: str, expected: dict[str, int]) -> None:
    stack = _stacks(REPO / "models")[slug]
    assert Counter(c.paint for c in _cells(stack)) == expected


def test_first_layer_at_the_bottom() -> None:
    stack = _stacks(REPO / "models")["deepseek-v3"]
    ffn = [c for c in _cells(stack) if c.paint in ("lp-ffn", "lp-routed")]
    lowest = sorted(ffn, key=lambda c: -c.y)
    # DeepSeek V3's three dense layers come first, so they are drawn lowest
    assert [c.paint for c in lowest[:4]] == ["lp-ffn"] * 3 + ["lp-routed"]


def test_labels_say_name_size_and_date() -> None:
    stacks = _stacks(REPO / "models")
    texts = [t.text for t in stacks["deepseek-v3"].iter(f"{SVG}text")]
    assert texts == [
        "DeepSeek V3",
        "671B official parameters",
        "61 layers × 7,168",
        "2024-12-26",
    ]
    undated = [t.text for t in stacks["antares-1b"].iter(f"{SVG}text")]
    assert undated[1].endswith("computed parameters") or "official" in undated[1]
    assert undated[-1] == "date not given"


def test_scale_is_stated_on_the_poster() -> None:
    svg = poster_svg(_entries(TINY), "light")
    assert "1 layer = 6 units" in svg and "1,000 dimensions = 20 units" in svg


def test_svg_is_deterministic() -> None:
    entries = _entries(TINY)
    first = poster_svg(entries, "dark")
    assert poster_svg(tuple(reversed(entries)), "dark") == first
    assert re.findall(r' id="([^"]+)"', first) == [
        "llmarch-poster-title",
        "llmarch-poster-tiny-gqa",
        "llmarch-poster-tiny-mla",
    ]


def test_themes() -> None:
    light, dark = poster_svg(_entries(TINY), "light"), poster_svg(_entries(TINY), "dark")
    page = poster_svg(_entries(TINY), "page", link=lambda slug: f"models/{slug}.html")
    assert "var(" not in light and "var(" not in dark  # resvg reads no CSS variables
    assert ".llmarch-poster .lp-canvas { fill: #ffffff; }" in light
    assert ".llmarch-poster .lp-canvas { fill: #0d1117; }" in dark
    assert "var(--llmarch-attn)" in page and 'class="lp-canvas"' not in page
    # inline in a page, its rules reach the poster only
    rules = re.search(r"<style>(.*)</style>", page, re.DOTALL)
    assert rules and all(line.startswith(".llmarch-poster ") for line in rules[1].splitlines())
    assert 'href="models/tiny-gqa.html"' in page


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_png_is_wide_deterministic_and_has_text() -> None:
    svg = poster_svg(_entries(TINY), "light")
    width = png_width(svg)
    first, second = raster.png(svg, width), raster.png(svg, width)
    assert first == second
    assert _png_size(first)[0] == width == PNG_WIDTH >= 4000
    # the same poster without its words gives other pixels: the text was drawn
    blank = re.sub(r"<text[^>]*>[^<]*</text>", "", svg)
    assert raster.png(blank, width) != first


def test_a_tall_poster_gets_a_narrower_png_of_bounded_pixels() -> None:
    """Drawing time and memory grow with the pixels: a poster of hundreds of models at
    full width took 23 s and 2 GB for each theme."""
    tall = '<svg xmlns="http://www.w3.org/2000/svg" width="4200" height="42000"></svg>'
    width = png_width(tall)
    assert width < PNG_WIDTH
    assert width * (width * 42000 / 4200) <= PNG_MAX_PIXELS
    assert width * (width * 42000 / 4200) > 0.99 * PNG_MAX_PIXELS
    short = '<svg xmlns="http://www.w3.org/2000/svg" width="4200" height="3000"></svg>'
    assert png_width(short) == PNG_WIDTH


def test_png_without_a_font_is_refused() -> None:
    with pytest.raises(raster.RasterError, match="pip install fontpkg-noto-sans"):
        raster.png("<svg xmlns='http://www.w3.org/2000/svg'/>", 10, fonts=[])


# --------------------------------------------------------------------------- CLI


def test_cli_writes_svg_and_png(tmp_path: Path, capsys) -> None:
    for name in ("p.svg", "p.png", "q.png"):
        assert main(["poster", "-o", str(tmp_path / name), "--models", str(TINY)]) == 0
        assert f"llmarch: wrote {tmp_path / name} (2 models" in capsys.readouterr().err
    svg = (tmp_path / "p.svg").read_text()
    assert svg == poster_svg(_entries(TINY), "light")
    assert (tmp_path / "p.png").read_bytes() == (tmp_path / "q.png").read_bytes()
    assert (
        main(["poster", "-o", str(tmp_path / "d.svg"), "--theme", "dark", "--models", str(TINY)])
        == 0
    )
    assert ".lp-canvas { fill: #0d1117; }" in (tmp_path / "d.svg").read_text()  # dark


def test_cli_refuses_other_formats(tmp_path: Path, capsys) -> None:
    assert main(["poster", "-o", str(tmp_path / "p.pdf"), "--models", str(TINY)]) == 2
    assert (
        capsys.readouterr().err
        == f"llmarch: {tmp_path / 'p.pdf'}: write the poster as .svg or .png\n"
    )
    assert not (tmp_path / "p.pdf").exists()


def test_cli_needs_model_files(tmp_path: Path, capsys) -> None:
    assert main(["poster", "-o", str(tmp_path / "p.svg"), "--models", str(tmp_path)]) == 2
    assert capsys.readouterr().err == f"llmarch: {tmp_path}: no model files (*.yaml) there\n"


def test_cli_refuses_models_with_problems(tmp_path: Path, capsys) -> None:
    assert main(["poster", "-o", str(tmp_path / "p.svg"), "--models", str(BAD)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[-1].endswith("model file(s) with problems: nothing written")
    assert any(line.startswith(f"{BAD}/wrong-type.yaml:29: ") for line in err)
    assert not (tmp_path / "p.svg").exists()


def test_cli_png_without_a_font(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.setattr(raster, "font_files", list)
    assert main(["poster", "-o", str(tmp_path / "p.png"), "--models", str(TINY)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"llmarch: {tmp_path / 'p.png'}: no Noto Sans font found")
    assert not (tmp_path / "p.png").exists()


# --------------------------------------------------------------------------- site


@pytest.mark.sphinx("html", testroot="gallery", freshenv=True)
def test_poster_page(app) -> None:
    app.build()
    assert warning_lines(app) == []
    page = html(app, "poster")
    start = page.index("<svg", page.index("data-llmarch-poster"))
    svg = ET.fromstring(page[start : page.index("</svg>", start) + 6])
    stacks = [g for g in svg.iter(f"{SVG}g") if g.get("data-slug")]
    assert [g.get("data-slug") for g in stacks] == ["tiny-gqa", "tiny-mla"]
    links = [a.get("href") for a in svg.iter(f"{SVG}a")]
    assert links == ["models/tiny-gqa.html", "models/tiny-mla.html"]
    assert "var(--llmarch-canvas)" not in page.split("<svg", 1)[0]  # colours from the theme
    out = Path(app.outdir)
    files = re.findall(r'href="(llmarch-poster-[a-z]+\.(?:svg|png))" download', page)
    assert files == [
        "llmarch-poster-light.svg",
        "llmarch-poster-light.png",
        "llmarch-poster-dark.svg",
        "llmarch-poster-dark.png",
    ]
    entries = _entries(Path(app.srcdir) / "models")
    assert (out / files[2]).read_text() == poster_svg(entries, "dark")
    svg = (out / files[0]).read_text(encoding="utf-8")
    assert _png_size((out / files[1]).read_bytes())[0] == png_width(svg)


def test_an_edited_model_redraws_the_poster_files(make_app, rootdir: Path, tmp_path: Path) -> None:
    import os
    import shutil
    import time

    srcdir = tmp_path / "src"
    shutil.copytree(rootdir / "test-gallery", srcdir)
    app = make_app("html", srcdir=srcdir, builddir=tmp_path / "build", freshenv=True)
    app.build()
    svg = Path(app.outdir) / "llmarch-poster-light.svg"
    before = svg.read_text()
    model = srcdir / "models" / "tiny-gqa.yaml"
    model.write_text(model.read_text().replace("hidden_size: 256", "hidden_size: 512"))
    later = time.time() + 5
    os.utime(model, (later, later))
    app.build()
    assert warning_lines(app) == []
    after = svg.read_text()
    assert after != before
    assert after == poster_svg(_entries.__wrapped__(srcdir / "models"), "light")
    assert 'data-hidden="512"' in html(app, "poster")


def test_without_a_font_the_site_warns_and_keeps_the_svg_files(
    make_app, rootdir: Path, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setattr(raster, "font_files", list)
    import shutil

    shutil.copytree(rootdir / "test-gallery", tmp_path / "src")
    app = make_app("html", srcdir=tmp_path / "src", builddir=tmp_path / "b", freshenv=True)
    app.build()
    lines = warning_lines(app)
    assert len(lines) == 1
    assert "cannot draw the poster's PNG: no Noto Sans font found" in lines[0]
    assert lines[0].endswith("[llmarch.render]")
    out = Path(app.outdir)
    assert (out / "llmarch-poster-light.svg").is_file()
    assert (out / "llmarch-poster-dark.svg").is_file()
    assert not (out / "llmarch-poster-light.png").exists()


def test_every_size_says_whose_it_is() -> None:
    store = ModelStore(MODELS)
    for slug, stack in _stacks(MODELS).items():
        model = store.load(slug).model
        assert model is not None
        size = [t.text for t in stack.iter(f"{SVG}text")][1]
        stated = model.spec.official_params
        if stated and stated.basis == "stated" and stated.total:
            assert size == f"{fmt.params(stated.total)} official parameters", slug
        else:  # no figure, or only the one the name rounds to: our own count, said so
            total = store.figures(model).total_params
            assert size == f"{fmt.params(total)} computed parameters", slug


def test_no_models_an_empty_poster() -> None:
    root = ET.fromstring(poster_svg([], "light"))
    assert [g for g in root.iter(f"{SVG}g") if g.get("data-slug")] == []
    assert "0 models, each a stack of its layers" in poster_svg([], "page")


def test_both_themes_composed_once_are_the_posters_of_each_theme() -> None:
    entries = _entries(TINY)
    both = {theme: made.svg for theme, made in poster_files(entries, ("light", "dark")).items()}
    assert both == {theme: poster_svg(entries, theme) for theme in ("light", "dark")}
    assert both["light"] != both["dark"]

"""Social cards: what a model's card says and draws, and the files and tags a build makes."""

from __future__ import annotations

import re
import struct
from pathlib import Path

import pytest

from sphinx_llmarch.describe import fmt
from sphinx_llmarch.draw.card import HEIGHT, WIDTH, card_lines, card_png, card_svg
from sphinx_llmarch.draw.poster import entry_of
from sphinx_llmarch.model.figures import compute
from sphinx_llmarch.model.loader import load_file

from .conftest import MODELS, warning_lines


def _model(slug: str, folder: Path = MODELS):
    model = load_file(folder / f"{slug}.yaml").model
    assert model is not None
    return model, compute(model)


def test_the_card_states_the_model_s_facts() -> None:
    model, f = _model("deepseek-v3")
    assert card_lines(model, f) == [
        "DeepSeek · 2024-12-26",
        f"671B parameters (official), {fmt.params(f.active_params)} active (computed)",
        "Sparse MoE: 61 MLA",
        "61 layers, width 7,168",
        f"KV cache {fmt.bytes_iec(f.kv_cache_bytes_per_token)} per token · context 163,840",
    ]


@pytest.mark.parametrize("slug", ["deepseek-v3", "qwen3-next-80b-a3b", "nemotron-3-nano-30b-a3b"])
def test_the_card_draws_every_layer_and_keys_its_colours(slug: str) -> None:
    model, f = _model(slug)
    entry = entry_of(model, f)
    svg = card_svg(entry, card_lines(model, f))
    cells = sum(
        band.count * ((band.mixer is not None) + (band.ffn is not None)) for band in entry.bands
    )
    paints = {p for band in entry.bands for p in (band.mixer, band.ffn) if p}
    # every layer part painted (a band's parts are dashed lines, a dash per layer), one
    # swatch per colour in the key
    painted = re.findall(r'class="lp-(\w+) lp-layers"[^>]* data-layers="(\d+)"', svg)
    assert sum(int(n) for _, n in painted) == cells
    assert {p for p, _ in painted} == paints
    assert sum(svg.count(f'class="lp-{p}"') for p in paints) == len(paints)
    assert f'viewBox="0 0 {WIDTH} {HEIGHT}"' in svg and model.spec.name.split()[0] in svg


def test_the_card_png_is_1200_by_630_and_the_same_each_time() -> None:
    model, f = _model("gemma-3-27b")
    entry, lines = entry_of(model, f), card_lines(model, f)
    first, second = card_png(entry, lines), card_png(entry, lines)
    assert first == second and first[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", first[16:24]) == (WIDTH, HEIGHT)


def test_a_build_writes_each_card_once_and_names_it(make_app, rootdir, tmp_path) -> None:
    app = make_app(
        "html",
        srcdir=rootdir / "test-gallery",
        builddir=tmp_path,
        freshenv=True,
        confoverrides={"llmarch_social_cards": True},
    )
    app.build()
    assert warning_lines(app) == []
    out = Path(app.outdir)
    card = out / "_images" / "llmarch" / "tiny-gqa-card.png"
    assert struct.unpack(">II", card.read_bytes()[16:24]) == (WIDTH, HEIGHT)
    meta = app.env.metadata["models/tiny-gqa"]
    assert meta["og:image"] == "_images/llmarch/tiny-gqa-card.png"
    assert meta["og:image:width"] == "1200" and meta["og:image:alt"].startswith("Tiny GQA: ")
    stamp = card.stat().st_mtime_ns
    (out / "models" / "tiny-gqa.html").unlink()  # written again, its card unchanged
    app.build()
    assert card.stat().st_mtime_ns == stamp

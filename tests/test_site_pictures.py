"""Site-wide pictures: the card of the pages that are not model pages (articles, the
landing page) and the touch icon, each with its size, its pixels and its tag."""

from __future__ import annotations

import re
import shutil
import struct
from pathlib import Path

from sphinx_llmarch.draw.card import HEIGHT, WIDTH, site_card_svg
from sphinx_llmarch.draw.poster import entry_of
from sphinx_llmarch.ext.sitecard import SITE_CARD, TOUCH_ICON
from sphinx_llmarch.model.figures import compute
from sphinx_llmarch.model.loader import load_file

from .conftest import MODELS, REPO, TESTS, warning_lines
from .test_fonts import ink, png_pixels

CARD = f"_images/llmarch/{SITE_CARD}-card.png"


def _size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_the_site_card_draws_each_model_to_one_scale() -> None:
    slugs = sorted(p.stem for p in MODELS.glob("*.yaml"))[:3]
    entries = []
    for slug in slugs:
        model = load_file(MODELS / f"{slug}.yaml").model
        assert model is not None
        entries.append(entry_of(model, compute(model)))
    svg = site_card_svg("A site", ["one line"], entries)
    stacks = re.findall(r'<g transform="translate\(([0-9.]+) 570\) scale\(([0-9.e-]+)\)">', svg)
    assert len(stacks) == len(entries) and len({scale for _, scale in stacks}) == 1
    assert [float(x) for x, _ in stacks] == sorted(float(x) for x, _ in stacks)
    assert ">A site</text>" in svg and ">one line</text>" in svg
    assert f'viewBox="0 0 {WIDTH} {HEIGHT}"' in svg


def _site(make_app, tmp_path: Path, **conf: object):
    src = tmp_path / "src"
    shutil.copytree(TESTS / "roots" / "test-gallery", src)
    shutil.copyfile(REPO / "docs" / "_static" / "favicon.svg", src / "favicon.svg")
    conf = {"html_favicon": "favicon.svg", **conf}
    app = make_app("html", srcdir=src, builddir=tmp_path / "b", freshenv=True, confoverrides=conf)
    app.build()
    assert warning_lines(app) == []
    return app


def test_articles_show_the_site_card(make_app, tmp_path: Path) -> None:
    app = _site(make_app, tmp_path, llmarch_social_cards=True)
    out = Path(app.outdir)
    assert _size(out / CARD) == (WIDTH, HEIGHT)
    assert ink((out / CARD).read_bytes()) > 5000  # its title and lines are drawn
    meta = app.env.metadata
    for docname in ("article", "index", "gallery"):
        assert meta[docname]["og:image"] == CARD
        assert (meta[docname]["og:image:width"], meta[docname]["og:image:height"]) == (
            "1200",
            "630",
        )
    # a model page keeps its own
    assert meta["models/tiny-gqa"]["og:image"] == "_images/llmarch/tiny-gqa-card.png"
    stamp = (out / CARD).stat().st_mtime_ns
    app.build()  # nothing changed: not drawn again
    assert (out / CARD).stat().st_mtime_ns == stamp


def test_the_touch_icon_is_the_favicon_at_180_pixels(make_app, tmp_path: Path) -> None:
    app = _site(make_app, tmp_path, llmarch_touch_icon=True)
    out = Path(app.outdir)
    icon = out / TOUCH_ICON
    width, height, rows = png_pixels(icon.read_bytes())
    assert (width, height) == (180, 180)
    # opaque everywhere (a home screen fills transparency with black): white corners,
    # the favicon's dark tile in the middle
    assert all(row[x + 3] == 255 for row in rows for x in range(0, len(row), 4))
    assert rows[2][8:11] == b"\xff\xff\xff" and rows[90][360:363] != b"\xff\xff\xff"
    tag = '<link rel="apple-touch-icon" sizes="180x180" href="{}" />'
    assert tag.format(TOUCH_ICON) in (out / "index.html").read_text()
    assert tag.format("../" + TOUCH_ICON) in (out / "models" / "tiny-gqa.html").read_text()


def test_both_are_off_by_default(make_app, tmp_path: Path) -> None:
    app = _site(make_app, tmp_path)
    out = Path(app.outdir)
    assert not (out / CARD).exists() and not (out / TOUCH_ICON).exists()
    assert "og:image" not in app.env.metadata["article"]
    assert "apple-touch-icon" not in (out / "index.html").read_text()

"""The poster's PNG drawn in strips: the bands of its drawing hold each element once and
draw only within their rows, the strips are cut where the poster is empty, and the PNG
put together from them is the poster drawn whole.  And the site begins the poster's
files as soon as reading ends, where it can."""

from __future__ import annotations

import io
import os
import shutil
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import replace
from functools import cache
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageStat
from sphinx.testing.util import _clean_up_global_state

from sphinx_llmarch.draw import raster
from sphinx_llmarch.draw.poster import Entry, entries_from
from sphinx_llmarch.draw.posterkey import LABEL_LINE
from sphinx_llmarch.draw.posterpng import poster_files
from sphinx_llmarch.draw.postersvg import Composed, composed, poster_svg
from sphinx_llmarch.ext import posterfiles
from sphinx_llmarch.mechanisms.words import ENGLISH
from sphinx_llmarch.model.store import ModelStore

from .conftest import MODELS, warning_lines

SVG = "{http://www.w3.org/2000/svg}"


@cache
def _entries() -> tuple[Entry, ...]:
    store = ModelStore(MODELS)
    return tuple(entries_from(store, store.slugs()))


def test_the_bands_hold_every_element_once_and_make_the_whole_text() -> None:
    poster = composed(list(_entries()), "light", None, ENGLISH)
    assert list(poster.root) == [*poster.ground, *poster.bands]
    stacks = [g for band in poster.bands[1:] for g in band if g.get("class") == "lp-model"]
    assert len(stacks) == len(_entries())
    assert len({g.get("data-slug") for g in stacks}) == len(stacks)
    whole = ET.tostring(poster.root, encoding="unicode", short_empty_elements=True) + "\n"
    assert poster.text() == whole
    assert poster.starts == sorted(poster.starts) and poster.starts[0] == 0


def _extent(el: ET.Element) -> tuple[float, float]:
    """The top and bottom of what an element of a band draws, in units (text: a line
    above its baseline, and its descenders below)."""
    tops, bottoms = [], []
    for part in el.iter():
        tag = part.tag.removeprefix(SVG)
        if tag == "text":
            size = 44.0 if "lp-title" in part.get("class", "") else 22.0
            y = float(part.get("y", 0))
            tops.append(y - size)
            bottoms.append(y + 0.3 * size)
        elif tag == "rect":
            y = float(part.get("y", 0))
            tops.append(y)
            bottoms.append(y + float(part.get("height", 0)))
        elif tag == "line":
            ys = [float(part.get("y1", 0)), float(part.get("y2", 0))]
            tops.append(min(ys))
            bottoms.append(max(ys))
    return min(tops, default=float("inf")), max(bottoms, default=float("-inf"))


def test_each_band_draws_only_between_its_start_and_the_next() -> None:
    poster = composed(list(_entries()), "light", None, ENGLISH)
    ends = [*poster.starts[1:], poster.height]
    assert len(poster.bands) == len(poster.starts) > 4
    for band, start, end in zip(poster.bands, poster.starts, ends, strict=True):
        for el in band:
            top, bottom = _extent(el)
            # a line's room: a few units clear of each cut, more than a pixel at any width
            assert start + 4 <= top and bottom <= end - 4, (el.get("id"), start, end)
    assert min(b - a for a, b in zip(poster.starts, ends, strict=True)) > LABEL_LINE


def _pixels(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data)).convert("RGB")


def test_the_stitched_png_is_the_poster_drawn_whole() -> None:
    made = poster_files(_entries(), ("dark",))["dark"]
    stitched = _pixels(made.png())
    whole = _pixels(raster.png(made.svg, made.width))
    assert stitched.size == whole.size == (made.width, made.height)
    # resvg centres the whole poster in its pixel rows (a tenth of a pixel here): the
    # edges of what it draws differ by that much, nothing else
    difference = ImageStat.Stat(ImageChops.difference(stitched, whole)).mean
    assert max(difference) < 2.0
    blank = raster.png(made.svg.split("<g", 1)[0] + "</svg>", made.width)
    assert max(ImageStat.Stat(ImageChops.difference(stitched, _pixels(blank))).mean) > 10
    # every cut between two strips is in a part of the poster drawn in the canvas alone
    canvas = whole.getpixel((0, 0))
    for strip in made.strips[1:]:
        for row in (strip.top - 1, strip.top):
            line = whole.crop((0, row, made.width, row + 1))
            assert line.getcolors() == [(made.width, canvas)], row


def _site(make_app, rootdir: Path, tmp_path: Path, **options: object):
    srcdir = tmp_path / "src"
    if not srcdir.exists():
        shutil.copytree(rootdir / "test-gallery", srcdir)
    _clean_up_global_state()  # the node classes an earlier application registered
    return make_app("html", srcdir=srcdir, builddir=tmp_path / "build", **options)


def _order(app, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What happens in the build, in order: 'poster' when its files are begun, 'page'
    for each page written."""
    events: list[str] = []
    original = posterfiles._write

    def recorded(app: object) -> None:
        events.append("poster")
        original(app)  # type: ignore[arg-type]

    monkeypatch.setattr(posterfiles, "_write", recorded)
    app.connect("doctree-resolved", lambda *args: events.append("page"))
    return events


def test_the_poster_is_begun_when_reading_ends(
    make_app, rootdir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = _site(make_app, rootdir, tmp_path, freshenv=True)
    events = _order(app, monkeypatch)
    app.build()
    assert events[0] == "poster" and events.count("poster") == 1
    assert "page" in events
    out = Path(app.outdir)
    assert all((out / f"llmarch-poster-{t}.png").is_file() for t in ("light", "dark"))
    assert warning_lines(app) == []


def test_a_poster_page_found_by_the_writing_alone_has_its_files_at_the_end(
    make_app, rootdir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every page written, none read: the files once the pages are written."""
    _site(make_app, rootdir, tmp_path, freshenv=True).build()
    for name in ("llmarch-poster-light.png", "llmarch-poster-dark.svg"):
        (tmp_path / "build" / "html" / name).unlink()
    app = _site(make_app, rootdir, tmp_path)
    events = _order(app, monkeypatch)
    app.build(force_all=True)
    assert events[-1] == "poster" and events.count("poster") == 1
    out = Path(app.outdir)
    assert (out / "llmarch-poster-light.png").is_file()
    assert (out / "llmarch-poster-dark.svg").is_file()


def test_a_parallel_build_writes_the_poster_files_at_the_end(
    make_app, rootdir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = _site(make_app, rootdir, tmp_path, freshenv=True, parallel=2)
    events = _order(app, monkeypatch)
    app.build()
    assert events.count("poster") == 1 and events.index("poster") > events.index("page")
    assert (Path(app.outdir) / "llmarch-poster-dark.png").is_file()


def test_kept_bands_are_composed_again_only_where_an_edit_changed_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    kept: dict[str, tuple[str, str]] = {}
    made: list[str] = []

    def memo(name: str, key: str, make: Callable[[], str]) -> str:
        if name not in kept or kept[name][0] != key:
            made.append(name)
            kept[name] = (key, make())
        return kept[name][1]

    entries = list(_entries())
    first = poster_svg(entries, "page", lambda slug: f"{slug}.html", memo=memo)
    assert len(made) == len(composed(entries, "page", None, ENGLISH).starts)
    made.clear()
    assert poster_svg(entries, "page", lambda slug: f"{slug}.html", memo=memo) == first
    assert made == []
    edited = [replace(entries[0], name=entries[0].name.upper()), *entries[1:]]
    again = poster_svg(edited, "page", lambda slug: f"{slug}.html", memo=memo)
    assert len(made) == 1  # the renamed model's line
    assert again == poster_svg(edited, "page", lambda slug: f"{slug}.html")
    # another link is another band: the page's bands are not the files'
    made.clear()
    poster_svg(edited, "page", lambda slug: f"../{slug}.html", memo=memo)
    assert len(made) == len(again.split('class="lp-band"')) - 2  # every line but the key


def test_a_rebuild_after_an_edit_composes_only_the_bands_it_changed(
    make_app, rootdir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    srcdir = tmp_path / "src"
    app = _site(make_app, rootdir, tmp_path, freshenv=True)
    app.build()
    composed_bands: list[int] = []
    original = Composed._text

    def counted(self: Composed, i: int) -> str:
        composed_bands.append(i)
        return original(self, i)

    monkeypatch.setattr(Composed, "_text", counted)
    model = srcdir / "models" / "tiny-gqa.yaml"
    model.write_text(model.read_text().replace("name: ", "name: Edited ", 1))
    later = time.time() + 5
    os.utime(model, (later, later))
    app = _site(make_app, rootdir, tmp_path)
    app.build()
    assert warning_lines(app) == []
    # one line of models, in the page's poster and in the files'
    assert composed_bands == [1, 1]
    page_svg = (Path(app.outdir) / "llmarch-poster-light.svg").read_text(encoding="utf-8")
    assert ">Edited " in page_svg

"""The poster's files: each theme's SVG composed once, the PNG drawn only when no earlier
build left one of the same SVG in the cache, else strip by strip, each strip only when no
earlier build left it, and the files the same as drawn afresh."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from sphinx_llmarch.draw import raster
from sphinx_llmarch.draw.poster import Entry, entries_from
from sphinx_llmarch.draw.posterpng import poster_file, poster_files
from sphinx_llmarch.ext import export, pngjobs
from sphinx_llmarch.ext.pngjobs import PngJobs
from sphinx_llmarch.model.store import ModelStore

from .conftest import MODELS, TESTS

GALLERY_MODELS = TESTS / "roots" / "test-gallery" / "models"
SMALL_SVG = (
    "<svg xmlns='http://www.w3.org/2000/svg' width='40' height='20'>"
    "<text x='2' y='15' font-family='Noto Sans'>{}</text></svg>"
)


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    drawn: list[int] = []
    original = raster.png

    def counted(svg: str, width: int, fonts: object = None) -> bytes:
        drawn.append(width)
        return original(svg, width, fonts)  # type: ignore[arg-type]

    monkeypatch.setattr(raster, "png", counted)
    return drawn


def test_a_png_is_drawn_once_per_svg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    drawn = _counting(monkeypatch)
    first, path = raster.cached_png(SMALL_SVG.format("a"), 40, tmp_path)
    assert raster.cached_png(SMALL_SVG.format("a"), 40, tmp_path) == (first, path)
    assert drawn == [40]
    assert first == raster.png(SMALL_SVG.format("a"), 40)
    # another SVG, another width: drawn again
    assert raster.cached_png(SMALL_SVG.format("b"), 40, tmp_path)[0] != first
    raster.cached_png(SMALL_SVG.format("a"), 80, tmp_path)
    assert drawn == [40, 40, 40, 80]


def test_a_damaged_cached_png_is_drawn_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, _ = raster.cached_png(SMALL_SVG.format("a"), 40, tmp_path)
    (stored,) = tmp_path.glob("poster-*.png")
    stored.write_bytes(stored.read_bytes()[:-7] + b"garbage")
    drawn = _counting(monkeypatch)
    assert raster.cached_png(SMALL_SVG.format("a"), 40, tmp_path)[0] == first
    assert drawn == [40]


def _write(out: Path, store: ModelStore, slugs: list[str], cache: Path) -> None:
    """The poster's files, drawn in this process (where the counting can see them)."""
    _write_entries(out, entries_from(store, slugs), cache)


def _write_entries(out: Path, entries: list[Entry], cache: Path) -> None:
    jobs = PngJobs()
    assert export.write_poster(out, entries, jobs, cache) is None
    assert jobs.finish() == []


def _cached(entries: list[Entry], cache: Path) -> set[Path]:
    """The cached PNGs of the poster of ``entries``: each theme's whole and its strips."""
    kept = set()
    for made in poster_files(entries, ("light", "dark")).values():
        for svg in (made.svg, *(strip.svg for strip in made.strips)):
            path = raster.cached_path(svg, made.width, cache)
            assert path is not None
            kept.add(path)
    return kept


def test_poster_files_from_the_cache_equal_fresh_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pngjobs, "_cores", lambda: 1)
    store = ModelStore(GALLERY_MODELS)
    slugs = store.slugs()
    _write(tmp_path / "a", store, slugs, tmp_path / "cache")
    drawn = _counting(monkeypatch)
    _write(tmp_path / "b", store, slugs, tmp_path / "cache")
    assert drawn == []
    entries = entries_from(store, slugs)
    for (theme, suffix), name in export.POSTER_FILES.items():
        fresh = poster_file(entries, theme, suffix)
        assert (tmp_path / "a" / name).read_bytes() == fresh
        assert (tmp_path / "b" / name).read_bytes() == fresh


def test_an_edit_draws_only_the_strips_it_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A model renamed (to a name no longer than its old one, so no line flows anew):
    one strip per theme drawn again, and the PNG that of the edited poster."""
    monkeypatch.setattr(pngjobs, "_cores", lambda: 1)
    store = ModelStore(MODELS)
    entries = entries_from(store, store.slugs())
    cache = tmp_path / "cache"
    _write_entries(tmp_path / "a", entries, cache)
    strips = len(poster_files(entries, ("light",))["light"].strips)
    assert strips >= 4  # the key and the lines of models
    edited = [replace(entries[0], name=entries[0].name.upper()), *entries[1:]]
    drawn = _counting(monkeypatch)
    _write_entries(tmp_path / "b", edited, cache)
    assert len(drawn) == 2  # one strip in each theme
    for (theme, suffix), name in export.POSTER_FILES.items():
        assert (tmp_path / "b" / name).read_bytes() == poster_file(edited, theme, suffix)


def test_only_the_latest_posters_pngs_are_kept(tmp_path: Path) -> None:
    store = ModelStore(GALLERY_MODELS)
    slugs = store.slugs()
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "panel.svg").write_text("<svg/>")  # the other caches' files are left alone
    _write(tmp_path / "a", store, slugs, cache)
    first = set(cache.glob("poster-*.png"))
    assert first == _cached(entries_from(store, slugs), cache)
    _write(tmp_path / "b", store, slugs[1:], cache)
    second = set(cache.glob("poster-*.png"))
    assert second == _cached(entries_from(store, slugs[1:]), cache)
    assert first - second  # the whole posters and the strips that changed are gone
    assert (cache / "panel.svg").is_file()

"""PNGs drawn beside the build: at once for the first few, then by worker processes; the
same bytes either way, failures reported with what and where, files never half written."""

from __future__ import annotations

from pathlib import Path

import pytest

from sphinx_llmarch.draw.raster import png
from sphinx_llmarch.ext import pngjobs
from sphinx_llmarch.ext.pngjobs import INLINE, PngJobs

SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40">'
    '<rect width="120" height="40" fill="#eee"/>'
    '<text x="4" y="28" font-family="Noto Sans" font-size="20">{}</text></svg>'
)


def test_the_first_pngs_are_drawn_at_once_the_rest_by_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pngjobs, "_cores", lambda: 2)
    jobs = PngJobs()
    for i in range(INLINE + 3):
        target = tmp_path / f"card-{i}.png"
        source = tmp_path / f"card-{i}.svg"
        assert jobs.submit(target, SVG.format(i), 240, f"card {i}", source=source) is None
        # drawn at once: already there; in the pool: not yet waited for
        if i < INLINE:
            assert target.is_file()
    assert jobs.pool is not None and len(jobs.pending) == 3
    assert jobs.finish() == []
    assert jobs.pool is None
    for i in range(INLINE + 3):
        # the same bytes as drawn here, and the source written beside its PNG
        assert (tmp_path / f"card-{i}.png").read_bytes() == png(SVG.format(i), 240)
        assert (tmp_path / f"card-{i}.svg").read_text(encoding="utf-8") == SVG.format(i)
    # no partial file left behind
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_a_worker_failure_names_the_png_and_its_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pngjobs, "_cores", lambda: 2)
    jobs = PngJobs(inline=0)
    where = object()
    jobs.submit(
        tmp_path / "bad.png", "<svg", 100, "the card of 'x'", where, source=tmp_path / "bad.svg"
    )  # type: ignore[arg-type]
    [(what, why, place)] = jobs.finish()
    assert (what, place) == ("the card of 'x'", where)
    assert why.startswith("resvg cannot draw it")
    # neither file: the next build tries again
    assert not (tmp_path / "bad.png").exists() and not (tmp_path / "bad.svg").exists()


def test_an_inline_failure_is_returned_at_once(tmp_path: Path) -> None:
    jobs = PngJobs()
    error = jobs.submit(tmp_path / "bad.png", "<svg", 100, "x")
    assert error is not None and error.startswith("resvg cannot draw it")
    assert jobs.finish() == []


def test_a_forked_writer_draws_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Sphinx's parallel writers are children of the build's process: no pool of their own."""
    monkeypatch.setattr(pngjobs, "_cores", lambda: 2)
    jobs = PngJobs(inline=0, owner=-1)
    assert jobs.submit(tmp_path / "a.png", SVG.format("a"), 120, "a") is None
    assert (tmp_path / "a.png").is_file() and jobs.pool is None


def test_one_core_draws_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pngjobs, "_cores", lambda: 1)
    jobs = PngJobs(inline=0)
    jobs.submit(tmp_path / "a.png", SVG.format("a"), 120, "a")
    assert (tmp_path / "a.png").is_file() and jobs.pool is None


def test_a_large_png_goes_to_the_pool_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The poster's PNGs take seconds each: its two themes are drawn side by side."""
    monkeypatch.setattr(pngjobs, "_cores", lambda: 2)
    jobs = PngJobs()
    tall = SVG.replace('height="40"', 'height="4000"', 1).format("tall")
    assert jobs.submit(tmp_path / "tall.png", tall, 1200, "the poster") is None
    assert jobs.pool is not None and len(jobs.pending) == 1
    small = SVG.format("small")
    assert jobs.submit(tmp_path / "small.png", small, 120, "a card") is None
    assert len(jobs.pending) == 1 and (tmp_path / "small.png").is_file()
    assert jobs.finish() == []
    assert (tmp_path / "tall.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

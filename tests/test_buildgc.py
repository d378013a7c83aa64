"""Garbage collection during a build: tuned while it runs, as it was once it ends."""

from __future__ import annotations

import gc
import pickle
from pathlib import Path

import pytest

from sphinx_llmarch.ext import buildgc

from .conftest import warning_lines


def _build(make_app, rootdir: Path, tmp_path: Path, fail: bool) -> dict[str, object]:
    seen: dict[str, object] = {}
    app = make_app("html", srcdir=rootdir / "test-basic", builddir=tmp_path, freshenv=True)

    def writing(app, doctree, docname: str) -> None:
        seen["threshold"] = gc.get_threshold()
        seen["frozen"] = gc.get_freeze_count()
        if fail:
            raise RuntimeError("stop")

    app.connect("doctree-resolved", writing)
    if fail:
        with pytest.raises(Exception, match="stop"):
            app.build()
    else:
        app.build()
        assert warning_lines(app) == []
    return seen


@pytest.mark.parametrize("fail", [False, True])
def test_collector_tuned_during_the_build_and_restored(make_app, rootdir, tmp_path, fail):
    before, frozen = gc.get_threshold(), gc.get_freeze_count()
    seen = _build(make_app, rootdir, tmp_path, fail)
    expected = tuple(t * f for t, f in zip(before, buildgc.FACTORS, strict=True))
    assert seen["threshold"] == expected
    assert isinstance(seen["frozen"], int)
    assert seen["frozen"] > frozen + 10_000  # the environment, out of the collector's sight
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == frozen


def test_saved_environment_loaded_with_the_collector_tuned(
    make_app, rootdir, tmp_path, monkeypatch
):
    """Unpickling the environment of the last build makes its objects all at once: with
    the interpreter's thresholds that set off full collections over all of them."""
    before = gc.get_threshold()
    first = make_app("html", srcdir=rootdir / "test-basic", builddir=tmp_path, freshenv=True)
    first.build()
    seen: list[tuple[int, int, int]] = []
    real_load = pickle.load

    def load(file, *args, **kwargs):
        # the environment's file (Jinja's kept templates are read with pickle too)
        if getattr(file, "name", "").endswith("environment.pickle"):
            seen.append(gc.get_threshold())
        return real_load(file, *args, **kwargs)

    monkeypatch.setattr("sphinx.application.pickle.load", load)
    again = make_app("html", srcdir=rootdir / "test-basic", builddir=tmp_path)
    again.build()
    assert seen == [tuple(t * f for t, f in zip(before, buildgc.FACTORS, strict=True))]
    assert gc.get_threshold() == before

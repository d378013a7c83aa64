"""The code part of a kept figure's key: the layers that compose figures, and only them,
so that editing the Sphinx integration does not throw away every kept figure."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sphinx_llmarch.draw import renderer

PACKAGE = Path(renderer.__file__).resolve().parent.parent


def _digest(package: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(renderer, "_PACKAGE", package)
    renderer.code_digest.cache_clear()
    try:
        return renderer.code_digest()
    finally:
        renderer.code_digest.cache_clear()


def test_only_the_drawing_layers_are_in_the_key(tmp_path: Path, monkeypatch) -> None:
    copy = tmp_path / "sphinx_llmarch"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "static"))
    first = _digest(copy, monkeypatch)
    for outside in ("ext/extension.py", "cli.py", "importer/config.py"):
        (copy / outside).write_text("# edited\n", encoding="utf-8")
    assert _digest(copy, monkeypatch) == first
    for layer in renderer.DRAWING_LAYERS:
        module = max((copy / layer).glob("*.py"))
        before = _digest(copy, monkeypatch)
        module.write_text(module.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
        assert _digest(copy, monkeypatch) != before, layer

"""A long page's later diagrams are scripts named by their content: a browser never takes
an earlier drawing kept under the same name, and the earlier script goes."""

from __future__ import annotations

from pathlib import Path

from sphinx_llmarch.draw.figure import FigureSpec
from sphinx_llmarch.ext.diagramfiles import lazy_html, lazy_script_name

SPEC = FigureSpec(slug="tiny", variant="full", title="Tiny", accent=0, main="")


def _svg(text: str) -> str:
    return f'<svg xmlns="http://www.w3.org/2000/svg" width="812.35" height="400"><text>{text}</text></svg>'


def _scripts(out: Path) -> list[str]:
    return sorted(p.name for p in (out / "_images" / "llmarch" / "lazy").iterdir())


def test_a_changed_drawing_gets_a_new_script_and_the_old_one_goes(tmp_path: Path) -> None:
    first = lazy_html(tmp_path, "article-3", SPEC, _svg("one"), lambda path: path)
    other = lazy_html(tmp_path, "article-3-2", SPEC, _svg("two"), lambda path: path)
    name = lazy_script_name("article-3", _svg("one"))
    assert f'data-llmarch-lazy="{name}"' in first
    assert 'style="width: 812.35px; aspect-ratio: 812.35 / 400"' in first
    assert name.startswith("_images/llmarch/lazy/article-3.") and name.endswith(".js")
    assert lazy_script_name("article-3", _svg("two")) != name
    lazy_html(tmp_path, "article-3", SPEC, _svg("three"), lambda path: path)
    # the key's earlier script is gone; another key sharing its start is kept
    assert _scripts(tmp_path) == sorted(
        Path(lazy_script_name(key, _svg(text))).name
        for key, text in (("article-3", "three"), ("article-3-2", "two"))
    )
    assert "article-3-2" in other

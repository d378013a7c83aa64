"""Functional checks behind the build's performance (timings live in the benchmark)."""

from __future__ import annotations

import re
from pathlib import Path

from jinja2.sandbox import SandboxedEnvironment
from sphinx.testing.util import _clean_up_global_state

from sphinx_llmarch.ext.state import state_of

from .conftest import copy_site, warning_lines


def test_the_render_cache_is_used_by_a_second_clean_build(
    make_app, rootdir: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    renders = []
    for run in range(2):
        app = make_app(
            "html",
            srcdir=rootdir / "test-basic",
            builddir=tmp_path / f"b{run}",
            freshenv=True,
            confoverrides={"llmarch_cache_dir": str(cache)},
        )
        app.build()
        assert warning_lines(app) == []
        renders.append(state_of(app.env).renderer.cache.renders)
        app.cleanup()
    assert renders[0] > 0
    assert renders[1] == 0  # every panel came from the cache folder
    assert any(cache.glob("*.svg"))


def _sidebar(page: str) -> str:
    match = re.search(r'<div class="sidebar-tree">(.*?)</div>\s*</div>', page, re.DOTALL)
    assert match, "furo's sidebar not found"
    return match.group(1)


def test_model_pages_stay_out_of_the_navigation(site_app, tmp_path: Path) -> None:
    """The sidebar of a model page does not grow with the number of models."""
    src = copy_site(tmp_path / "site")
    app = site_app(src, tmp_path / "b")
    app.build()
    out = Path(app.outdir)
    before = _sidebar((out / "models" / "gpt2-xl.html").read_text())
    assert "models/" not in before  # no model is listed in the navigation
    assert 'href="../articles/index.html"' in before
    # all model pages share one navigation tree; it is the one each page would compute
    trees = state_of(app.env).navigation
    shared = [tree for (folder, _), tree in trees.items() if folder == "models"]
    assert len(shared) == 1
    furo = {"collapse": False, "titles_only": True, "maxdepth": -1, "includehidden": True}
    for page in ("models/gpt2-xl", "models/qwen3.5-397b"):
        assert app.builder._get_local_toctree(page, **furo) == shared[0]
    for i in range(3):
        text = (src / "models" / "llama-3-8b.yaml").read_text()
        (src / "models" / f"extra-{i}.yaml").write_text(
            text.replace("slug: llama-3-8b", f"slug: extra-{i}")
        )
    app.build()
    after = _sidebar((out / "models" / "gpt2-xl.html").read_text())
    assert after == before


def test_a_second_build_compiles_no_page_template(
    make_app, rootdir: Path, tmp_path: Path, monkeypatch
) -> None:
    """The theme's templates are compiled once and kept in the cache folder."""
    conf = {"llmarch_cache_dir": str(tmp_path / "cache")}
    first = make_app("html", srcdir=rootdir / "test-gallery", builddir=tmp_path / "b",
                     freshenv=True, confoverrides=conf)  # fmt: skip
    first.build()
    assert any((tmp_path / "cache" / "templates").glob("__jinja2_*"))
    compiled: list[str] = []
    original = SandboxedEnvironment.compile

    def counted(self, source, name=None, filename=None, *args, **kwargs):
        if name is not None:  # a template from a string is not a file to keep
            compiled.append(name)
        return original(self, source, name, filename, *args, **kwargs)

    monkeypatch.setattr(SandboxedEnvironment, "compile", counted)
    _clean_up_global_state()
    again = make_app("html", srcdir=rootdir / "test-gallery", builddir=tmp_path / "b",
                     freshenv=True, confoverrides=conf)  # fmt: skip
    again.build()
    assert warning_lines(again) == []
    assert compiled == []
    assert (Path(again.outdir) / "genindex.html").is_file()

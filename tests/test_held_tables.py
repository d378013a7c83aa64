"""A model page's fact and memory tables are held beside its tree while it is read (every
transform of reading walks every node) and join it when the page is resolved: the saved
doctree has no table, the resolved one has both, in the page's order, and every builder
shows them as before (the theme's frame around them, their links for the link checker)."""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx import addnodes

from sphinx_llmarch.ext.facttable import expand_tables, held, llmarch_table

from .conftest import html

PAGE = "models/tiny-gqa"


def _built(  # type: ignore[no-untyped-def]
    make_app, rootdir: Path, tmp_path: Path, builder: str = "html", **conf: str
):
    app = make_app(
        builder,
        srcdir=rootdir / "test-gallery",
        builddir=tmp_path / "b",
        freshenv=True,
        confoverrides=conf,
    )
    app.build()
    return app


def _classes(doctree: nodes.Node) -> list[str]:
    return [c for t in doctree.findall(nodes.table) for c in t["classes"] if c.startswith("ll")]


def test_the_tables_are_held_while_read_and_join_the_tree_when_resolved(
    make_app, rootdir: Path, tmp_path: Path
) -> None:
    app = make_app("html", srcdir=rootdir / "test-gallery", builddir=tmp_path / "b", freshenv=True)
    app.build()
    read = app.env.get_doctree(PAGE)
    assert not list(read.findall(nodes.table))
    assert len(list(read.findall(llmarch_table))) == 2
    resolved = app.env.get_and_resolve_doctree(PAGE, app.builder, tags=app.tags)
    assert not list(resolved.findall(llmarch_table))
    assert _classes(resolved) == ["llmarch-facts", "llmarch-memory-table"]
    # the fact table's source links are in the tree the link checker's collector walks
    links = [r["refuri"] for t in resolved.findall(nodes.table) for r in t.findall(nodes.reference)]
    assert "https://example.org/tiny-gqa/config.json" in links
    page = html(app, PAGE)
    assert page.count('<table class="llmarch-facts docutils') == 1
    assert page.index("llmarch-facts") < page.index("llmarch-memory-table")


def test_the_theme_still_frames_them(make_app, rootdir: Path, tmp_path: Path) -> None:
    page = html(_built(make_app, rootdir, tmp_path, html_theme="furo"), PAGE)
    assert '<div class="table-wrapper llmarch-facts docutils container">' in page
    assert '<div class="table-wrapper llmarch-memory-table docutils container">' in page


def test_text_output_shows_them(make_app, rootdir: Path, tmp_path: Path) -> None:
    app = make_app("text", srcdir=rootdir / "test-gallery", builddir=tmp_path / "b", freshenv=True)
    app.build()
    text = (Path(app.outdir) / f"{PAGE}.txt").read_text(encoding="utf-8")
    assert "| KV cache per token" in text and "| Context " in text


def test_a_comparison_table_is_held_and_its_model_links_resolved(
    make_app, rootdir: Path, tmp_path: Path
) -> None:
    """A comparison's table (half the nodes of a long article) is held while the page is
    read too; it joins the tree before references are resolved, so its header's links to
    the models' pages work."""
    app = _built(make_app, rootdir, tmp_path)
    read = app.env.get_doctree("compare")
    assert not list(read.findall(nodes.table))
    assert len(list(read.findall(llmarch_table))) == 3
    resolved = app.env.get_and_resolve_doctree("compare", app.builder, tags=app.tags)
    assert not list(resolved.findall(llmarch_table))
    assert _classes(resolved) == ["llmarch-compare-table"] * 3
    assert not list(resolved.findall(addnodes.pending_xref))
    page = html(app, "compare")
    assert page.count('href="models/tiny-gqa.html"') >= 3
    assert page.count('href="models/tiny-mla.html"') >= 3


def test_a_copied_tree_and_its_original_each_get_their_own_table() -> None:
    """Expanding takes the held table itself (copying every table was a twentieth of a
    clean build's resolving); a tree copied before expanding holds the same table, and
    the second tree to expand it gets a copy."""
    table = nodes.table("", nodes.tgroup(cols=1))
    original = nodes.section("", held(table))
    copy = original.deepcopy()
    expand_tables(original)
    expand_tables(copy)
    first, second = original[0], copy[0]
    assert first is table and second is not table
    assert first.parent is original and second.parent is copy
    assert second.astext() == first.astext()

"""Every Sphinx builder builds an outside project that uses every view, twice in a row,
without a warning; links have targets in the outputs that hold only some pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from docutils import nodes
from sphinx.addnodes import pending_xref

from sphinx_llmarch.ext.domain import domain_of

from .conftest import warning_lines

BUILDERS = ["html", "dirhtml", "singlehtml", "epub", "latex", "text", "man", "texinfo", "gettext"]
#: EPUB3 wants these of any book
BOOK = {"copyright": "2026, the tests", "author": "the tests", "version": "1"}


@pytest.mark.parametrize("builder", BUILDERS)
def test_each_builder_builds_the_outside_project_twice_without_a_warning(
    make_app, rootdir: Path, tmp_path: Path, builder: str
) -> None:
    app = make_app(
        builder,
        srcdir=rootdir / "test-gallery",
        builddir=tmp_path,
        freshenv=True,
        confoverrides=BOOK,
    )
    app.build()
    assert warning_lines(app) == []
    app.cleanup()
    again = make_app(
        builder, srcdir=rootdir / "test-gallery", builddir=tmp_path, confoverrides=BOOK
    )
    again.build()
    assert warning_lines(again) == []
    assert any(Path(again.outdir).iterdir())


def test_the_single_page_links_only_to_anchors_it_has(
    make_app, rootdir: Path, tmp_path: Path
) -> None:
    app = make_app("singlehtml", srcdir=rootdir / "test-gallery", builddir=tmp_path)
    app.build()
    page = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    ids = set(re.findall(r'\sid="([^"]+)"', page))
    # the page's own text (the theme's sidebar toctree is Sphinx's, not ours)
    body = page.split('<div class="body" role="main">')[1].split('<div class="sphinxsidebar"')[0]
    fragments = set(re.findall(r'href="#([^"]+)"', body))
    assert fragments and fragments - ids == set()
    # model pages are not part of the single page: their names are shown without a link
    assert "#document-models/" not in page and 'href="models/' not in page
    assert '<p class="sd-card-title sd-font-weight-bold">Tiny GQA</p>' in body
    # a concept inside a diagram links to its section on the same page
    assert 'href="#llmarch-concept-mla"' in body
    # the compare page cannot take a query on a fragment: no links to it from the cards
    assert "?a=" not in page


def test_directory_html_links_every_model_page(make_app, rootdir: Path, tmp_path: Path) -> None:
    app = make_app("dirhtml", srcdir=rootdir / "test-gallery", builddir=tmp_path)
    app.build()
    out = Path(app.outdir)
    gallery = (out / "gallery" / "index.html").read_text(encoding="utf-8")
    for slug in ("tiny-gqa", "tiny-mla"):
        assert f'href="../models/{slug}/"' in gallery
        assert (out / "models" / slug / "index.html").is_file()


def test_a_model_reference_resolves_to_its_name_where_the_output_has_no_model_pages(
    make_app, rootdir: Path, tmp_path: Path
) -> None:
    """The figures check of our site resolves model references itself; LaTeX's builder
    raises NoUri for a model page, which used to stop the build."""
    app = make_app("latex", srcdir=rootdir / "test-gallery", builddir=tmp_path)
    app.build()
    contnode = nodes.inline("tiny-gqa", "tiny-gqa")
    xref = pending_xref("", contnode, refdomain="llmarch", reftype="model", reftarget="tiny-gqa")
    resolved = domain_of(app.env).resolve_xref(
        app.env, "index", app.builder, "model", "tiny-gqa", xref, contnode
    )
    assert isinstance(resolved, nodes.inline) and resolved.astext() == "Tiny GQA"

"""The ``llmarch-compare`` directive's output: the summary line, the marked blocks in both
diagrams with their key, the switch between all rows and only the rows that differ (no
script needed), readable names and the notes under the table."""

from __future__ import annotations

import re

import pytest

from .conftest import html

pytestmark = pytest.mark.sphinx("html", testroot="gallery", freshenv=True)

#: the page of the test project with the directive
PAGE = "compare"


def _first_view(page: str) -> str:
    """The first comparison of the page (the one with diagrams and a switch)."""
    views = page.split('class="llmarch-compare docutils container"')
    assert len(views) == 4
    return views[1]


def test_the_summary_line_names_the_differences(app) -> None:
    app.build()
    page = html(app, PAGE)
    lines = re.findall(r"llmarch-compare-summary[^>]*>\s*<p>([^<]+)</p>", page)
    assert lines and re.match(r"\d+ architectural differences?: ", lines[0])
    assert "GQA → MLA" in lines[0]
    assert all(line == lines[0] for line in lines)  # the same two models, the same line


def test_both_diagrams_mark_what_differs_with_a_key(app) -> None:
    app.build()
    view = _first_view(html(app, PAGE))
    svgs = re.findall(r"<svg .*?</svg>", view, re.DOTALL)
    assert len(svgs) == 2
    for svg in svgs:
        marked = re.findall(
            r'class="[^"]*\bllmarch-changed\b[^"]*" data-llmarch-block="([^"]+)"', svg
        )
        assert "main/attn" in marked  # GQA → MLA
    assert "llmarch-compare-legend" in view and "llmarch-changed-key" in view
    # the diagrams are stacked in one column, not drawn side by side
    assert 'class="llmarch-compare-diagrams' in view


def test_the_rows_switch_works_without_a_script(app) -> None:
    app.build()
    page = html(app, PAGE)
    view = _first_view(page)
    switch = re.search(
        r'<input type="checkbox" class="llmarch-rows-toggle" id="([^"]+)" checked>', view
    )
    assert switch is not None
    assert (
        f'<label class="llmarch-rows-label" for="{switch[1]}">Only the rows that differ (' in view
    )
    # the stylesheet hides the rows that are the same while the box is checked
    css = (app.outdir / "_static" / "llmarch.css").read_text(encoding="utf-8")
    assert (
        ".llmarch-rows-toggle:checked ~ * tbody tr:not(.llmarch-differs) { display: none; }" in css
    )
    rows = re.findall(r'<tr class="([^"]*)">', view)
    assert any("llmarch-differs" in r for r in rows) and any(
        "llmarch-differs" not in r for r in rows
    )
    # ids are unique on the page
    ids = re.findall(r'class="llmarch-rows-toggle" id="([^"]+)"', page)
    assert len(ids) == len(set(ids)) >= 2
    # ``:only-differences:`` keeps no switch: it shows the rows that differ only
    assert page.count("llmarch-rows-toggle") == len(ids)


def test_rows_have_readable_names_and_notes(app) -> None:
    app.build()
    view = _first_view(html(app, PAGE))
    based = re.search(r"<p>Based on</p>.*?</tr>", view, re.DOTALL)
    assert based is not None
    assert re.search(
        r'<a class="reference internal" href="[^"]*tiny-gqa[^"]*"[^>]*>.*?Tiny GQA', based[0]
    )
    assert "<p>tiny-gqa</p>" not in based[0]  # not the raw slug
    assert re.search(r"<p>Not confirmed<sup>1</sup></p>", view)
    notes = view[view.index("llmarch-compare-notes") :]
    assert re.search(
        r"<sup>1</sup><strong>Not confirmed</strong>: details of the model that no", notes
    )
    assert "– means the model has none." in notes


def test_the_switch_starts_off_where_no_row_differs() -> None:
    from sphinx_llmarch.ext.comparetable import rows_switch

    assert " checked>" in rows_switch("s", 3, 21).astext()
    assert " checked" not in rows_switch("s", 0, 21).astext()
    assert "(0 of 21)" in rows_switch("s", 0, 21).astext()

"""The table of a comparison: one column per model, the rows that differ marked, a switch
between every row and only those, and a note for each row whose label needs one.

The switch is a checkbox that the page's stylesheet reads (no script): checked, which it
is at first, it hides the rows whose values are all the same.
"""

from __future__ import annotations

from collections.abc import Sequence

from docutils import nodes
from sphinx import addnodes

from ..describe.rows import COMPARE_LABELS, COMPARE_NOTES, COMPARISON, MODEL_ROWS, NONE_NOTE, Row
from ..model.loader import LoadedModel


def model_ref(slug: str, text: str | None = None) -> addnodes.pending_xref:
    """A link to model ``slug``'s page, showing ``text`` or else the page's title."""
    return addnodes.pending_xref(
        "",
        nodes.inline(text or slug, text or slug),
        refdomain="llmarch",
        reftype="model",
        reftarget=slug,
        refexplicit=text is not None,
    )


def _header(models: Sequence[LoadedModel]) -> nodes.thead:
    head = nodes.thead()
    header = nodes.row()
    header += nodes.entry("", nodes.paragraph("", ""))
    for m in models:
        header += nodes.entry("", nodes.paragraph("", "", model_ref(m.slug, m.spec.name)))
    head += header
    return head


def _cell(key: str, text: str, known: Sequence[str]) -> nodes.paragraph:
    """A cell: a model's name, linked, where the row names a model the site has."""
    if key in MODEL_ROWS and text in known:
        return nodes.paragraph("", "", model_ref(text))
    return nodes.paragraph("", text)


def _label(key: str, numbers: dict[str, int]) -> nodes.paragraph:
    """A row's label, with the number of its note under the table."""
    label = nodes.paragraph("", COMPARE_LABELS[key])
    if key in numbers:
        label += nodes.superscript(str(numbers[key]), str(numbers[key]))
    return label


def difference_table(
    models: Sequence[LoadedModel],
    rows: Sequence[dict[str, Row]],
    keys: Sequence[str] = (),
    only_differences: bool = False,
    known: Sequence[str] = (),
) -> nodes.table:
    """One column per model; the cells of rows whose values differ are marked.  ``known``:
    the models whose names a row may link to."""
    keys = keys or COMPARISON
    numbers = {k: i for i, k in enumerate((k for k in keys if k in COMPARE_NOTES), 1)}
    table = nodes.table(classes=["llmarch-compare-table"])
    group = nodes.tgroup(cols=len(models) + 1)
    table += group
    group += nodes.colspec(colwidth=20, stub=1)
    for _ in models:
        group += nodes.colspec(colwidth=40)
    group += _header(models)
    body = nodes.tbody()
    group += body
    for key in keys:
        cells = [r[key].value for r in rows]
        differs = len(set(cells)) > 1
        if only_differences and not differs:
            continue
        row = nodes.row(classes=["llmarch-differs"] if differs else [])
        row += nodes.entry("", _label(key, numbers))
        for text in cells:
            marked = ["llmarch-differs"] if differs else []
            row += nodes.entry("", _cell(key, text, known), classes=marked)
        body += row
    return table


def row_notes(keys: Sequence[str] = ()) -> nodes.container:
    """The notes under a comparison's table, numbered as its labels are."""
    notes = nodes.container(classes=["llmarch-compare-notes"])
    chosen = [k for k in keys or COMPARISON if k in COMPARE_NOTES]
    for i, key in enumerate(chosen, 1):
        para = nodes.paragraph("", "")
        para += nodes.superscript(str(i), str(i))
        para += nodes.strong(COMPARE_LABELS[key], COMPARE_LABELS[key])
        para += nodes.Text(f": {COMPARE_NOTES[key]}")
        notes += para
    notes += nodes.paragraph("", NONE_NOTE)
    return notes


def differing_count(rows: Sequence[dict[str, Row]], keys: Sequence[str] = ()) -> int:
    return sum(1 for key in keys or COMPARISON if len({r[key].value for r in rows}) > 1)


def rows_switch(ident: str, differing: int, total: int) -> nodes.raw:
    """The checkbox that hides the rows that are the same (checked: hidden); checked at
    first unless no row differs."""
    checked = " checked" if differing else ""
    html = (
        f'<input type="checkbox" class="llmarch-rows-toggle" id="{ident}"{checked}>'
        f'<label class="llmarch-rows-label" for="{ident}">Only the rows that differ '
        f"({differing} of {total})</label>"
    )
    return nodes.raw("", html, format="html")

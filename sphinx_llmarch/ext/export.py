"""The machine-readable export, written into the built site.

* ``models.json``: every model: its file's data, the computed figures and derived labels,
  with the schema version;
* ``models.csv``: the overview table, one row per model;
* ``llmarch-model.schema.json``: the JSON Schema of a model file;
* ``_static/llmarch-data.js``: what the compare page needs, loadable without a server;
* ``_static/llmarch-names.js``: every model's slug and name, for the model pages' pickers;
* ``llmarch-poster-{light,dark}.{svg,png}``: the poster, where a page shows it.
"""

from __future__ import annotations

import csv
import functools
import io
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ..describe.changes import ASPECT_KINDS
from ..describe.records import export_document
from ..describe.rows import COMPARE_LABELS, COMPARE_NOTES, MODEL_ROWS, NONE_NOTE
from ..draw.poster import SUFFIXES, Entry
from ..draw.posterkey import FILE_THEMES, Theme
from ..draw.posterpng import poster_files
from ..draw.postersvg import Memo
from ..draw.raster import cached_path, prune_cached
from ..mechanisms.words import ENGLISH, Language
from ..model.memory import settings
from ..model.schema import json_schema
from .diagramfiles import diagram_script_name, image_name, script_of
from .pngjobs import PngJobs

#: the compare page's data, where its page looks for it
DATA_SCRIPT = "_static/llmarch-data.js"
#: every model's name, for the "Compare with…" picker of every model page
NAMES_SCRIPT = "_static/llmarch-names.js"
CSV_COLUMNS = (
    "slug",
    "name",
    "organisation",
    "family",
    "release_date",
    "total_params",
    "active_params",
    "kv_cache_bytes_per_token",
    "decoder_type",
    "layer_mix",
    "context",
    "layers",
    "hidden_size",
)


def write_export(
    outdir: Path,
    records: Mapping[str, Mapping[str, Any]],
    summaries: Mapping[str, Mapping[str, Any]],
    pages: Mapping[str, str],
    *,
    files: bool,
    words: Language = ENGLISH,
) -> None:
    """Write the compare page's data script, and with ``files`` every export file, from
    the records of the models with a page (made when their pages were read: no model file
    is loaded again).  The compare page's words are in ``words``' language."""
    _write(outdir / DATA_SCRIPT, data_script(summaries, pages, words))
    _write(outdir / NAMES_SCRIPT, names_script(summaries))
    if not files:
        return
    ordered = [records[slug] for slug in sorted(records)]
    _write(outdir / "models.json", json.dumps(export_document(ordered), indent=1) + "\n")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for slug in sorted(summaries):
        writer.writerow([summaries[slug].get(c, "") for c in CSV_COLUMNS])
    _write(outdir / "models.csv", buffer.getvalue())
    _write(outdir / "llmarch-model.schema.json", _schema_text())


@functools.cache
def _schema_text() -> str:
    """The schema file's text: made once per process (the schema is the code's, not the
    models'), not on every build or edit."""
    return json.dumps(json_schema(), indent=1) + "\n"


#: the poster's files at the root of the site: (theme, suffix) → name
POSTER_FILES: dict[tuple[Theme, str], str] = {
    (theme, suffix): f"llmarch-poster-{theme}{suffix}"
    for suffix in SUFFIXES  # the SVG files first: they are written even when no PNG can be
    for theme in FILE_THEMES
}


def write_poster(
    outdir: Path,
    entries: Iterable[Entry],
    jobs: PngJobs,
    cache: Path | None,
    words: Language = ENGLISH,
    memo: Memo | None = None,
) -> str | None:
    """The poster in both themes, as SVG and PNG; the PNGs go to ``jobs``.  Returns why a
    PNG cannot be drawn, if that is known at once.  Its words are in ``words``' language;
    ``memo`` keeps its bands' texts between builds.

    Each theme's SVG is composed once for both its files; the PNG is drawn only when no
    earlier build left one of the same SVG in ``cache``, and then strip by strip, each
    strip drawn only when no earlier build left it there."""
    made = poster_files(entries, FILE_THEMES, words, memo)
    for theme, drawn in made.items():
        _write(outdir / POSTER_FILES[(theme, ".svg")], drawn.svg)
    failure, kept = None, []
    for theme, drawn in made.items():
        target = outdir / POSTER_FILES[(theme, ".png")]
        failure = jobs.submit_poster(target, drawn, cache) or failure
        pictures = [drawn.svg, *(strip.svg for strip in drawn.strips)]
        kept += [cached_path(svg, drawn.width, cache) for svg in pictures]
    if cache is not None:
        prune_cached(cache, [path for path in kept if path is not None])
    return failure


def data_script(
    summaries: Mapping[str, Mapping[str, Any]],
    pages: Mapping[str, str],
    words: Language = ENGLISH,
) -> str:
    """The compare page's data as a script (``file://`` pages cannot fetch JSON): its
    rows' labels, notes and the forms its differences are said in, in ``words``'
    language."""
    models = {
        slug: {
            "name": s["name"],
            "page": pages[slug],
            "images": {theme: image_name(slug, "full", theme) for theme in ("light", "dark")},
            "diagram": diagram_script_name(slug),
            "values": s["compare"],
            "aspects": s["aspects"],
            "memory": s["memory"],
        }
        for slug, s in sorted(summaries.items())
    }
    data = {
        "fields": {key: words.label(text) for key, text in COMPARE_LABELS.items()},
        "notes": {key: words.label(text) for key, text in COMPARE_NOTES.items()},
        "none_note": words.label(NONE_NOTE),
        "model_rows": MODEL_ROWS,
        "aspect_kinds": [(key, how, words.label(form)) for key, how, form in ASPECT_KINDS],
        "models": models,
        "memory_settings": settings(),
    }
    return script_of("window.LLMARCH_DATA", data)


def names_script(summaries: Mapping[str, Mapping[str, Any]]) -> str:
    """Every model's slug and name, by name: what a model page's picker offers."""
    names = sorted(([slug, s["name"]] for slug, s in summaries.items()), key=lambda p: p[1])
    return script_of("window.LLMARCH_NAMES", names)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def remove_model_outputs(outdir: Path, docname: str, slug: str) -> None:
    """Delete what a removed model page left in the output: no stale page survives."""
    for rel in (
        f"{docname}.html",
        f"_sources/{docname}.yaml.txt",
        diagram_script_name(slug),
        *(
            image_name(slug, variant, theme)
            for variant in ("full", "thumb")
            for theme in ("light", "dark")
        ),
    ):
        (outdir / rel).unlink(missing_ok=True)

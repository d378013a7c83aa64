"""One check for the mechanism tests: importing a config reproduces its hand-checked file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx_llmarch.importer.assemble import import_config
from sphinx_llmarch.model.figures import compute
from sphinx_llmarch.model.loader import LoadedModel, load_file, load_text

from .conftest import MODELS


def assert_import_matches(raw: dict[str, Any], slug: str) -> LoadedModel:
    """Import ``raw`` as ``slug``; its figures must equal those of ``models/<slug>.yaml``."""
    result = import_config(raw, slug)
    imported = load_text(result.text, Path(f"/m/{slug}.yaml"), f"{slug}.yaml").model
    hand = load_file(MODELS / f"{slug}.yaml").model
    assert imported is not None and hand is not None
    ours, theirs = compute(imported), compute(hand)
    assert ours.as_dict() == theirs.as_dict()
    assert ours.mtp_params == theirs.mtp_params
    assert imported.spec.architecture.residual == hand.spec.architecture.residual
    return imported

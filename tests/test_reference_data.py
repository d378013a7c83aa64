"""The reference folder is there where it must be, and every config in it has its model.

Each reference config is compared with its model file by name: a config without a model
file, or a model file named differently from its config, fails here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import MODELS
from .data.gallery import GALLERY
from .reference import REFERENCE, WAVE2, missing


def stems(folder: Path, *suffixes: str) -> set[str]:
    """The slugs of the reference files in ``folder`` (its README aside)."""
    if not folder.is_dir():
        missing(str(folder))
    found = {
        p.name.removesuffix(suffix)
        for p in folder.iterdir()
        for suffix in suffixes
        if p.name.endswith(suffix)
    }
    assert found, f"{folder} holds no configs"
    return found


@pytest.mark.parametrize("folder", [REFERENCE, WAVE2], ids=["first wave", "second wave"])
def test_the_reference_folder_is_there(folder: Path) -> None:
    assert stems(folder, ".json")


def test_every_gallery_config_is_covered() -> None:
    """Every config of the reference gallery (a copy or facts collected by hand) has a
    model file of the same name and a row in the gallery table."""
    first = stems(REFERENCE, ".json", ".facts.yaml")
    models = {p.stem for p in MODELS.glob("*.yaml")}
    assert sorted(first - models) == []
    assert sorted(first - set(GALLERY)) == []


def test_every_second_wave_config_has_its_model() -> None:
    second = stems(WAVE2, ".json")
    assert sorted(second - {p.stem for p in MODELS.glob("*.yaml")}) == []

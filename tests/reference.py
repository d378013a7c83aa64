"""The reference configs kept beside the project, and what a test does when they are missing.

``../shared/reference`` holds copies of the official ``config.json`` files (outside the
project, never copied into it). CI has the folder, so there a test that needs it fails when it
is missing; elsewhere it is skipped with the reason. ``LLMARCH_REQUIRE_REFERENCE=1`` asks for
CI's behaviour on any machine.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NoReturn

import pytest

from .conftest import REPO

#: the first wave's configs (the reference gallery's models); the second wave's beside it
REFERENCE = Path(
    os.environ.get("LLMARCH_REFERENCE_CONFIGS", REPO.parent / "shared" / "reference" / "configs")
)
WAVE2 = Path(
    os.environ.get(
        "LLMARCH_REFERENCE_CONFIGS_WAVE2", REFERENCE.with_name(REFERENCE.name + "-wave2")
    )
)
REQUIRED = (
    os.environ.get("CI", "").lower() not in ("", "0", "false")
    or os.environ.get("LLMARCH_REQUIRE_REFERENCE") == "1"
)


def missing(what: str) -> NoReturn:
    """Skip, or fail where the reference folder is required, saying what is missing."""
    message = f"no reference configs in {what}"
    if REQUIRED:
        pytest.fail(f"{message}; CI (or LLMARCH_REQUIRE_REFERENCE=1) requires them")
    pytest.skip(message)

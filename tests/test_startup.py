"""Start-up: importing the extension builds no validator of the model file's schema.

Building pydantic's validators for every schema class took a third of the package's import
time, paid by every build, including a no-op one that reads no model file.  They are built
when a model file is first validated.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_PROBE = """
import sphinx_llmarch.ext.extension  # noqa: F401
from sphinx_llmarch.mechanisms.base import Spec

def subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from subclasses(sub)

classes = sorted({c for c in subclasses(Spec)}, key=lambda c: c.__qualname__)
print(len(classes))
print(" ".join(c.__qualname__ for c in classes if c.__pydantic_complete__))
"""


def _probe(extra: str = "") -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE + extra],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.splitlines()


def test_import_builds_no_schema_validator() -> None:
    count, built = _probe()[:2]
    assert int(count) > 50  # every mechanism's classes and the file's own are seen
    assert built == ""


def test_first_model_file_builds_the_schema() -> None:
    extra = """
from sphinx_llmarch.model.loader import load_file
from sphinx_llmarch.model.schema import ModelSpec
result = load_file("models/llama-3-8b.yaml")
print(not result.problems, ModelSpec.__pydantic_complete__)
"""
    assert _probe(extra)[2] == "True True"

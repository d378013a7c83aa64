"""Shared fixtures: Sphinx's testing plugin, the test roots, helpers for warnings and output."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytest_plugins = ("sphinx.testing.fixtures",)

TESTS = Path(__file__).parent
REPO = TESTS.parent
#: the model files the data-driven tests read; another folder can stand in for ``models/``
#: (the zero-touch test runs the suite's checks on a copy with one model more)
MODELS = Path(os.environ.get("LLMARCH_TEST_MODELS", REPO / "models"))
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return TESTS / "roots"


def warning_lines(app) -> list[str]:
    """The build's warnings, one per line, with the source folder shown as <srcdir>."""
    text = _ANSI.sub("", app.warning.getvalue())
    srcdir = str(Path(app.srcdir).resolve())
    return [line.replace(srcdir, "<srcdir>") for line in text.splitlines() if line.strip()]


def html(app, docname: str) -> str:
    return (Path(app.outdir) / f"{docname}.html").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's own site, built once per test run with -n -W like ``nox -s docs``."""
    out = tmp_path_factory.mktemp("site")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-b",
            "html",
            "-n",
            "-W",
            "--keep-going",
            "-E",
            "-q",
            "-d",
            str(out / "doctrees"),
            str(REPO),
            str(out / "html"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    return out / "html"

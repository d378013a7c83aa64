"""Shared fixtures: Sphinx's testing plugin, the test roots, helpers for warnings and output."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from io import StringIO
from pathlib import Path

import pytest
from sphinx.application import Sphinx
from sphinx.testing.util import _clean_up_global_state

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
    text = _ANSI.sub("", app._warning.getvalue())
    srcdir = str(Path(app.srcdir).resolve())
    return [line.replace(srcdir, "<srcdir>") for line in text.splitlines() if line.strip()]


def html(app, docname: str) -> str:
    return (Path(app.outdir) / f"{docname}.html").read_text(encoding="utf-8")


#: how sphinx-build is pointed at the project's site: conf.py at the top, pages in docs/
def site_args(project: Path = REPO) -> list[str]:
    return ["-c", str(project), str(project / "docs")]


def copy_site(dest: Path) -> Path:
    """A copy of the project's site: conf.py, docs/ (whose models/ links to ../models)
    and the model files, to build or change without touching the repository."""
    shutil.copytree(REPO / "docs", dest / "docs", symlinks=True)
    shutil.copytree(REPO / "models", dest / "models")
    shutil.copy(REPO / "conf.py", dest / "conf.py")
    return dest


@pytest.fixture
def site_app() -> Iterator[Callable[..., Sphinx]]:
    """Makes Sphinx applications for copies of the site (its conf.py is outside its pages,
    which ``make_app`` cannot express); ``warning_lines`` reads their warnings. Like
    ``make_app``, it clears docutils' global registries afterwards."""
    saved = sys.path.copy()

    def make(project: Path, builddir: Path, freshenv: bool = True) -> Sphinx:
        return Sphinx(
            project / "docs",
            project,
            builddir / "html",
            builddir / "doctrees",
            "html",
            status=StringIO(),
            warning=StringIO(),
            freshenv=freshenv,
        )

    yield make
    sys.path[:] = saved
    _clean_up_global_state()


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
            *site_args(),
            str(out / "html"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    return out / "html"


def count_family_changes(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """The (base, model) pairs whose family-tree changes are worked out from here on."""
    from sphinx_llmarch.ext import familytree

    asked: list[tuple[str, str]] = []
    original = familytree.changes

    def counted(base, model):  # type: ignore[no-untyped-def]
        asked.append((base.slug, model.slug))
        return original(base, model)

    monkeypatch.setattr(familytree, "changes", counted)
    return asked

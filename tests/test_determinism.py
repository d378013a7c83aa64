"""The same sources give the same site: two clean builds, and a build after an interrupted one."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import TESTS

#: Sphinx's pickled environment and doctrees: its internal cache, not part of the site
SPHINX_VARIES = {".doctrees"}


def _build(src: Path, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-q", *extra, str(src), str(out)],
        capture_output=True,
        text=True,
        check=False,
    )


def _outputs(out: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(out)): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and not (set(p.relative_to(out).parts) & SPHINX_VARIES)
    }


def _differences(a: dict[str, bytes], b: dict[str, bytes]) -> list[str]:
    return sorted(name for name in a.keys() | b.keys() if a.get(name) != b.get(name))


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("determinism") / "src"
    shutil.copytree(TESTS / "roots" / "test-gallery", src)
    return src


@pytest.fixture(scope="module")
def reference(project: Path) -> dict[str, bytes]:
    out = project.parent / "reference"
    proc = _build(project, out, "-E")
    assert proc.returncode == 0, proc.stderr
    return _outputs(out)


def test_two_clean_builds_are_identical(project: Path, reference: dict[str, bytes]) -> None:
    out = project.parent / "second"
    assert _build(project, out, "-E").returncode == 0
    assert _differences(reference, _outputs(out)) == []
    assert any(name.endswith(".svg") for name in reference)


def test_a_clean_build_links_the_assets_with_their_checksum(reference: dict[str, bytes]) -> None:
    # the stylesheet and script used to be written after the pages, so a clean build
    # linked them without the checksum that a second build then added
    page = reference["index.html"].decode("utf-8")
    assert 'href="_static/llmarch.css?v=' in page
    assert 'src="_static/llmarch.js?v=' in page


def test_a_parallel_build_is_identical(project: Path, reference: dict[str, bytes]) -> None:
    out = project.parent / "parallel"
    assert _build(project, out, "-E", "-j", "2").returncode == 0
    assert _differences(reference, _outputs(out)) == []


@pytest.mark.parametrize("delay", [0.8, 1.6])
def test_a_build_after_an_interrupted_one_is_correct(
    project: Path, reference: dict[str, bytes], delay: float
) -> None:
    out = project.parent / f"interrupted-{delay}"
    proc = subprocess.Popen(
        [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-E", str(project), str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(delay)
    proc.kill()
    proc.wait()
    again = _build(project, out)
    assert again.returncode == 0, again.stderr
    assert _differences(reference, _outputs(out)) == []

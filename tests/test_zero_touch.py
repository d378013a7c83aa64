"""Adding a model is adding one file; removing it leaves nothing behind (on the real site)."""

from __future__ import annotations

import json
import os
import runpy
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from .conftest import REPO, copy_site, warning_lines
from .test_links import broken_links

NEW = "demo-dense-2b"


def _pages(outdir: Path) -> dict[str, str]:
    return {
        p.relative_to(outdir).as_posix(): p.read_text(encoding="utf-8")
        for p in outdir.rglob("*.html")
    }


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    return copy_site(tmp_path_factory.mktemp("site"))


def test_a_new_file_appears_everywhere_and_leaves_no_trace(
    site_app, site: Path, tmp_path: Path
) -> None:
    build = tmp_path / "build"
    app = site_app(site, build)
    app.build()
    assert warning_lines(app) == []

    text = (site / "models" / "llama-3-8b.yaml").read_text()
    text = text.replace("slug: llama-3-8b", f"slug: {NEW}").replace(
        "name: Llama 3 8B", "name: Demo Dense 2B"
    )
    (site / "models" / f"{NEW}.yaml").write_text(text)
    app.build()
    assert warning_lines(app) == []
    out = Path(app.outdir)
    assert (out / "models" / f"{NEW}.html").is_file()
    pages = _pages(out)
    assert f'data-slug="{NEW}"' in pages["gallery.html"]
    assert "Demo Dense 2B" in pages["overview.html"]
    gqa = pages["concepts.html"].split('id="llmarch-concept-gqa"')[1].split("</section>")[0]
    assert "Demo Dense 2B" in gqa
    assert "Demo Dense 2B" in pages["charts.html"]
    export = json.loads((out / "models.json").read_text())
    assert NEW in {m["slug"] for m in export["models"]}
    assert NEW in (out / "_static" / "llmarch-data.js").read_text()
    assert (out / f"_images/llmarch/{NEW}-thumb-light.svg").is_file()
    # the similar models of its twin now include it
    assert f'href="{NEW}.html"' in pages["models/llama-3-8b.html"]

    (site / "models" / f"{NEW}.yaml").unlink()
    app.build()
    assert warning_lines(app) == []
    assert not (out / "models" / f"{NEW}.html").exists()
    assert not (out / f"_images/llmarch/{NEW}-thumb-light.svg").exists()
    for name, page in _pages(out).items():
        assert NEW not in page, f"{name} still mentions the removed model"
    export = json.loads((out / "models.json").read_text())
    assert NEW not in {m["slug"] for m in export["models"]}
    # every link between pages still resolves
    prefix = urlsplit(runpy.run_path(str(site / "conf.py"))["html_baseurl"]).path
    assert broken_links(out, prefix) == []


#: the suite's modules whose checks run over every model file
DATA_DRIVEN = ("test_official_figures.py", "test_loader.py", "test_links.py")


def test_the_data_driven_checks_take_one_more_model_without_change(tmp_path: Path) -> None:
    models = tmp_path / "models"
    shutil.copytree(REPO / "models", models)
    text = (REPO / "models" / "llama-3-8b.yaml").read_text()
    text = text.replace("slug: llama-3-8b", f"slug: {NEW}").replace(
        "name: Llama 3 8B", "name: Demo Dense 2B"
    )
    (models / f"{NEW}.yaml").write_text(text)
    tests = REPO / "tests"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-rA",
            "-p",
            "no:cacheprovider",
            *(str(tests / name) for name in DATA_DRIVEN),
            f"{tests / 'test_diagram.py'}",
            "-k",
            f"{NEW} or not test_diagram",
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, "LLMARCH_TEST_MODELS": str(models)},
        check=False,
    )
    assert run.returncode == 0, run.stdout[-3000:]
    ran = [line for line in run.stdout.splitlines() if line.startswith("PASSED") and NEW in line]
    # the new file went through the figures, loader, links and diagram checks
    for name in (*DATA_DRIVEN, "test_diagram.py"):
        assert any(name in line for line in ran), (name, run.stdout[-2000:])

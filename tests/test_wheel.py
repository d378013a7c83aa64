"""The package as another project gets it: the sdist and the wheel (built from the sdist,
so the sdist is complete) install in a fresh virtual environment, and an outside project
with no models folder draws a gallery model, compares two, quotes facts and links a model
it never draws, with ``-W``, under alabaster and furo, in MyST and reStructuredText.

The environment takes its packages from the package index (pip's cache makes it quick);
one environment serves every test of this module. Deselect with ``-m "not wheel"``. Where
the index cannot be reached the tests are skipped with the reason, except in CI (the
``CI`` variable is set), where they fail.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path
from typing import NamedTuple

import pytest

from sphinx_llmarch.describe.facts import fact_text
from sphinx_llmarch.model.figures import compute
from sphinx_llmarch.model.loader import load_file

from .conftest import REPO

pytestmark = pytest.mark.wheel
#: the models the package bundles: the repository's models/, whatever the tests' MODELS
BUNDLED = REPO / "models"

SLUGS = [p.stem for p in sorted(BUNDLED.glob("*.yaml")) if load_file(p).model is not None]
#: drawn, compared (two), linked without being drawn
A, B, C, D = SLUGS[:4]
#: what the outside project installs beside the wheel: the themes and MyST, as its docs do
EXTRAS = ("furo", "myst-parser >=4,<6")


class Installed(NamedTuple):
    python: Path
    wheel: Path
    sdist: Path


def _run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run(
        [str(a) for a in args], capture_output=True, text=True, check=False, cwd=cwd, env=env
    )


def _unreachable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"the package index is needed in CI: {reason}")
    pytest.skip(f"cannot reach the package index: {reason}")


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    root = tmp_path_factory.mktemp("wheel")
    venv = root / "venv"
    made = _run(sys.executable, "-m", "venv", venv)
    assert made.returncode == 0, made.stderr
    python = venv / "bin" / "python"
    tools = _run(python, "-m", "pip", "install", "-q", "build")
    if tools.returncode != 0:
        _unreachable(tools.stderr.strip().splitlines()[-1] if tools.stderr.strip() else "pip")
    dist = root / "dist"
    built = _run(python, "-m", "build", "--outdir", dist, REPO, cwd=root)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    [wheel] = dist.glob("*.whl")
    [sdist] = dist.glob("*.tar.gz")
    done = _run(python, "-m", "pip", "install", "-q", wheel, *EXTRAS, cwd=root)
    assert done.returncode == 0, done.stderr[-3000:]
    return Installed(python, wheel, sdist)


def test_the_wheel_carries_the_models_and_the_licence(installed: Installed) -> None:
    names = zipfile.ZipFile(installed.wheel).namelist()
    models = sorted(p.name for p in BUNDLED.glob("*.yaml"))
    packaged = sorted(
        n.removeprefix("sphinx_llmarch/gallery_models/")
        for n in names
        if n.startswith("sphinx_llmarch/gallery_models/")
    )
    assert packaged == models
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert "sphinx_llmarch/static/llmarch.js" in names
    assert "sphinx_llmarch/ext/templates/gallery.html" in names
    with tarfile.open(installed.sdist) as sdist:
        members = {m.name.split("/", 1)[1] for m in sdist.getmembers() if "/" in m.name}
    assert {f"models/{m}" for m in models} <= members
    assert {"LICENSE", "pyproject.toml", "README.md"} <= members


def test_the_installed_package_reads_its_own_models(installed: Installed, tmp_path: Path) -> None:
    code = (
        "import sphinx_llmarch\nfrom sphinx_llmarch.model.store import bundled_dir\n"
        "print(sphinx_llmarch.__file__)\nprint(bundled_dir())\n"
    )
    out = _run(installed.python, "-c", code, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    module, folder = out.stdout.splitlines()
    site = installed.python.parent.parent
    assert Path(module).is_relative_to(site) and not Path(module).is_relative_to(REPO)
    assert Path(folder) == Path(module).parent / "gallery_models"


MYST = f"""# Outside

```{{llmarch}} {A}
```

```{{llmarch-compare}} {B} {C}
```

It has {{llmarch:fact}}`{A}.active_params` active parameters of
{{llmarch:fact}}`{A}.total_params`; see also {{llmarch:model}}`{D}`.

```{{llmarch-gallery}}
```
"""

RST = f"""Outside
=======

.. llmarch:: {A}

.. llmarch-compare:: {B} {C}

It has :llmarch:fact:`{A}.active_params` active parameters of
:llmarch:fact:`{A}.total_params`; see also :llmarch:model:`{D}`.

.. llmarch-gallery::
"""


def _fact(name: str) -> str:
    model = load_file(BUNDLED / f"{A}.yaml").model
    assert model is not None
    text = fact_text(model, compute(model), name)
    assert text is not None
    return text


@pytest.mark.parametrize("theme", ["alabaster", "furo"])
@pytest.mark.parametrize("markup", ["myst", "rst"])
def test_an_outside_project_builds_with_the_installed_wheel(
    installed: Installed, tmp_path: Path, theme: str, markup: str
) -> None:
    src = tmp_path / "src"
    src.mkdir()
    extensions = ["myst_parser", "sphinx_llmarch"] if markup == "myst" else ["sphinx_llmarch"]
    conf = f"extensions = {extensions!r}\nhtml_theme = {theme!r}\n"
    (src / "conf.py").write_text(conf, encoding="utf-8")
    page = src / ("index.md" if markup == "myst" else "index.rst")
    page.write_text(MYST if markup == "myst" else RST, encoding="utf-8")
    out = tmp_path / "html"
    args = ("-m", "sphinx", "-b", "html", "-n", "-W", "--keep-going", "-q", src, out)
    built = _run(installed.python, *args, cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    assert built.stderr == ""
    index = (out / "index.html").read_text(encoding="utf-8")
    # the model drawn, the two compared: three diagrams
    assert index.count('<div class="llmarch-diagram') == 3
    assert f'<span class="llmarch-fact">{_fact("active_params")}</span>' in index
    assert f'<span class="llmarch-fact">{_fact("total_params")}</span>' in index
    name = load_file(BUNDLED / f"{D}.yaml").model.spec.name  # type: ignore[union-attr]
    assert f'<span class="llmarch-model-ref llmarch-unlinked">{name}</span>' in index
    assert '<p class="llmarch-count-line">4 models</p>' in index
    # the project's output holds only its own files: no export beside it
    assert not (out / "models.json").exists()

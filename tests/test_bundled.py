"""The gallery's models come with the package: another project draws, compares, quotes and
links them with no models folder; its own folder adds models and replaces bundled ones;
the views of many models show the models the project uses (``llmarch_aggregate_models``)
and say so when there is none."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from sphinx_llmarch.cli import main
from sphinx_llmarch.describe.facts import fact_text
from sphinx_llmarch.model.figures import compute
from sphinx_llmarch.model.loader import load_file
from sphinx_llmarch.model.store import ModelStore, bundled_dir

from .conftest import REPO, TESTS, warning_lines

#: the models the package bundles: the repository's models/, whatever the tests' MODELS
BUNDLED = REPO / "models"

#: the bundled models this test uses: the first valid ones of models/, whatever they are
SLUGS = [p.stem for p in sorted(BUNDLED.glob("*.yaml")) if load_file(p).model is not None]
A, B, C, D = SLUGS[:4]
OWN = TESTS / "roots" / "test-basic" / "models" / "tiny-gqa.yaml"

#: a row of the overview table: its model's name
ROW = r'<tr><th scope="row" class="llmarch-col-name" data-value="([^"]+)"'


def _name(slug: str) -> str:
    model = load_file(BUNDLED / f"{slug}.yaml").model
    assert model is not None
    return model.spec.name


def _fact(slug: str, name: str) -> str:
    model = load_file(BUNDLED / f"{slug}.yaml").model
    assert model is not None
    text = fact_text(model, compute(model), name)
    assert text is not None
    return text


def _project(tmp_path: Path, pages: dict[str, str], conf: str = "") -> Path:
    src = tmp_path / "src"
    src.mkdir(parents=True)
    (src / "conf.py").write_text(
        'extensions = ["myst_parser", "sphinx_llmarch"]\nexclude_patterns = ["_build"]\n' + conf,
        encoding="utf-8",
    )
    for name, text in pages.items():
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        (src / name).write_text(text, encoding="utf-8")
    return src


def _build(make_app, src: Path, tmp_path: Path, **overrides: object):
    app = make_app("html", srcdir=src, builddir=tmp_path / "b", freshenv=True, **overrides)
    app.build()
    return app


def _page(app, docname: str = "index") -> str:
    return (Path(app.outdir) / f"{docname}.html").read_text(encoding="utf-8")


def _renamed(slug: str, name: str) -> str:
    text = (BUNDLED / f"{slug}.yaml").read_text(encoding="utf-8")
    old = f"name: {_name(slug)}"
    assert old in text
    return text.replace(old, f"name: {name}", 1)


ARTICLE = f"""# Outside

```{{llmarch}} {A}
:show: diagram
```

```{{llmarch-compare}} {B} {C}
:show: table
```

It has {{llmarch:fact}}`{A}.active_params` active parameters; see {{llmarch:model}}`{D}`
and {{llmarch:model}}`{A}`.

```{{llmarch-gallery}}
```
"""


def test_the_package_finds_its_models_in_the_checkout() -> None:
    # run from the repository (an editable install): its models/, the same files
    assert bundled_dir() == REPO / "models"


def test_the_projects_folder_adds_models_and_replaces_bundled_ones(tmp_path: Path) -> None:
    own = tmp_path / "models"
    own.mkdir()
    shutil.copy(OWN, own / "tiny-gqa.yaml")
    (own / f"{A}.yaml").write_text(_renamed(A, "Our own"), encoding="utf-8")
    store = ModelStore(own, bundled=BUNDLED)
    bundled = sorted(p.stem for p in BUNDLED.glob("*.yaml"))
    assert store.slugs() == sorted({*bundled, "tiny-gqa"})
    assert store.project_slugs() == sorted([A, "tiny-gqa"])
    assert (store.origin(A), store.origin(B), store.origin("nobody")) == (
        "project",
        "bundled",
        None,
    )
    assert store.path(A) == own / f"{A}.yaml"
    assert store.path(B) == BUNDLED / f"{B}.yaml"
    model = store.load(A).model
    assert model is not None and model.spec.name == "Our own"
    # this site's folder is the bundled one: read once, never twice
    same = ModelStore(BUNDLED, bundled=BUNDLED)
    assert same.bundled is None and same.slugs() == bundled


def test_an_outside_project_draws_compares_quotes_and_links_bundled_models(
    make_app, tmp_path: Path
) -> None:
    src = _project(tmp_path, {"index.md": ARTICLE})
    app = _build(make_app, src, tmp_path)
    assert warning_lines(app) == []
    index = _page(app)
    assert index.count('<div class="llmarch-diagram') == 1 and f'id="llmarch-{A}"' in index
    assert f'<span class="llmarch-fact">{_fact(A, "active_params")}</span>' in index
    # a model drawn on the page is linked there; one shown nowhere is its name, unlinked
    assert f'href="#llmarch-{A}"' in index
    for slug in (B, C, D):
        assert f'<span class="llmarch-model-ref llmarch-unlinked">{_name(slug)}</span>' in index
    # the gallery shows the four models the page uses, with thumbnails for each
    assert '<p class="llmarch-count-line">4 models</p>' in index
    cards = re.findall(r'data-slug="([^"]+)"', index)
    assert sorted(cards) == sorted([A, B, C, D])
    for slug in (A, B, C, D):
        assert (Path(app.outdir) / f"_images/llmarch/{slug}-thumb-light.svg").is_file()
    # no export files unless asked
    assert not (Path(app.outdir) / "models.json").exists()
    # without sphinx-design, whose grid classes the gallery uses, the cards get a grid of ours
    css = (Path(app.outdir) / "_static" / "llmarch.css").read_text(encoding="utf-8")
    assert ".llmarch-gallery .llmarch-cards { display: grid;" in css


def test_an_empty_view_warns_with_its_place_and_says_why(make_app, tmp_path: Path) -> None:
    src = _project(tmp_path, {"index.md": "# Empty\n\n```{llmarch-gallery}\n```\n"})
    app = _build(make_app, src, tmp_path)
    why = (
        "no page of this project draws, compares, quotes or links a model, and it has no "
        "models of its own in <srcdir>/models; name models on its pages, or set "
        "llmarch_aggregate_models = 'all' for every bundled model"
    )
    assert warning_lines(app) == [
        f"<srcdir>/index.md:3: WARNING: llmarch-gallery shows no model: {why} [llmarch.empty]"
    ]
    assert "No model to show: no page of this project draws" in _page(app)


def test_the_scope_of_the_views_is_a_choice(make_app, tmp_path: Path) -> None:
    pages = {
        "index.md": f"# Views\n\n{{llmarch:model}}`{A}`\n\n```{{llmarch-models}}\n```\n",
        "rst.rst": ":orphan:\n\nRST\n===\n\n.. llmarch-models::\n",
    }
    src = _project(tmp_path, pages, f'llmarch_aggregate_models = ["{B}", "{C}", "nobody"]\n')
    app = _build(make_app, src, tmp_path)
    assert warning_lines(app) == [
        "WARNING: llmarch_aggregate_models: unknown model 'nobody' [llmarch.config]"
    ]
    for docname in ("index", "rst"):
        rows = re.findall(ROW, _page(app, docname))
        assert sorted(rows) == sorted([_name(B), _name(C)])


def test_all_bundled_models_when_asked(make_app, tmp_path: Path) -> None:
    src = _project(tmp_path, {"index.md": "# All\n\n```{llmarch-models}\n```\n"})
    app = _build(make_app, src, tmp_path, confoverrides={"llmarch_aggregate_models": "all"})
    assert warning_lines(app) == []
    rows = re.findall(ROW, _page(app))
    assert len(rows) == len(SLUGS)


def test_a_misspelt_scope_is_reported_and_the_default_used(make_app, tmp_path: Path) -> None:
    src = _project(tmp_path, {"index.md": f"# One\n\n{{llmarch:model}}`{A}`\n"})
    app = _build(make_app, src, tmp_path, confoverrides={"llmarch_aggregate_models": "al"})
    assert warning_lines(app) == [
        (
            "WARNING: llmarch_aggregate_models: unknown value 'al'; did you mean 'all'? "
            "(values: 'used', 'all', 'project' or a list of slugs); using 'used' [llmarch.config]"
        )
    ]


def test_the_projects_file_wins_and_says_so(
    make_app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    article = f"# Own\n\n```{{llmarch}} {A}\n:show: table\n```\n\n```{{llmarch-models}}\n```\n"
    src = _project(tmp_path, {"index.md": article})
    (src / "models").mkdir()
    (src / "models" / f"{A}.yaml").write_text(_renamed(A, "Our own"), encoding="utf-8")
    shutil.copy(OWN, src / "models" / "tiny-gqa.yaml")
    app = _build(make_app, src, tmp_path)
    assert warning_lines(app) == []
    status = app.status.getvalue()
    bundled = len(list(BUNDLED.glob("*.yaml")))
    line = (
        f"llmarch: 2 model(s) in {src.resolve()}/models, {bundled} bundled; the project's "
        f"file replaces the bundled one for {A}"
    )
    assert line in status
    index = _page(app)
    assert "Our own" in index and _name(A) not in index
    # the views show the project's own models (its pages); the model drawn is its own file
    names = re.findall(ROW, index)
    assert sorted(names) == sorted(["Our own", "Tiny GQA"])
    monkeypatch.chdir(src)
    assert main(["validate", "--sources"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert f"{A}  project (replaces the bundled file)  {src / 'models' / f'{A}.yaml'}" in out
    assert f"{B}  bundled  {BUNDLED / f'{B}.yaml'}" in out
    assert "tiny-gqa  project  " + str(src / "models" / "tiny-gqa.yaml") in out


def test_a_model_shown_nowhere_links_to_another_site_through_intersphinx(
    make_app, tmp_path: Path
) -> None:
    gallery = _project(tmp_path / "gallery", {"index.md": f"# G\n\n```{{llmarch}} {D}\n```\n"})
    first = _build(make_app, gallery, tmp_path / "gallery")
    inventory = Path(first.outdir) / "objects.inv"
    first.cleanup()
    conf = (
        'extensions.append("sphinx.ext.intersphinx")\n'
        f'intersphinx_mapping = {{"gallery": ("https://example.org/g/", "{inventory}")}}\n'
    )
    page = f"# Mine\n\n{{llmarch:model}}`{D}` and {{external+gallery:llmarch:model}}`{D}`\n"
    mine = _project(tmp_path / "mine", {"index.md": page}, conf)
    app = _build(make_app, mine, tmp_path / "mine")
    assert warning_lines(app) == []
    link = f'href="https://example.org/g/index.html#llmarch-{D}"'
    # the plain role finds no place here and falls back to the inventory, like the explicit one
    assert _page(app).count(link) == 2


INSTALL = REPO / "docs" / "guide" / "install.md"


@pytest.mark.parametrize("page", ["index.md", "index.rst"])
def test_the_install_pages_examples_build_without_warnings(
    make_app, tmp_path: Path, page: str
) -> None:
    text = INSTALL.read_text(encoding="utf-8")
    confs = re.findall(r"`conf\.py`:\n\n```python\n(.*?)\n```\n", text, re.DOTALL)
    fence, close = ("````md", "````") if page == "index.md" else ("```rst", "```")
    [body] = re.findall(rf"`{re.escape(page)}`:\n\n{fence}\n(.*?)\n{close}\n", text, re.DOTALL)
    src = tmp_path / "src"
    src.mkdir()
    conf = confs[0] if page == "index.md" else confs[1]
    (src / "conf.py").write_text(conf + '\nexclude_patterns = ["_build"]\n', encoding="utf-8")
    (src / page).write_text(body + "\n", encoding="utf-8")
    app = _build(make_app, src, tmp_path)
    assert warning_lines(app) == []
    index = _page(app)
    assert index.count('<div class="llmarch-diagram') == 1 and 'class="llmarch-fact"' in index
    assert "llmarch-unlinked" in index  # the model it links but never draws


def test_the_command_line_finds_a_bundled_model_by_its_slug(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.chdir(tmp_path)  # a folder with no models of its own
    assert main(["memory", A, "--context", "4096"]) == 0
    assert f"{_name(A)} ({A})" in capsys.readouterr().out


def _rows(app, docname: str = "index") -> list[str]:
    return sorted(re.findall(ROW, _page(app, docname)))


def test_the_views_follow_the_models_the_pages_name(make_app, tmp_path: Path) -> None:
    # no toctree between them: Sphinx would rewrite the home page for a change of the article
    home = "# Home\n\n```{llmarch-models}\n```\n"
    orphan = "---\norphan: true\n---\n"
    article = f"{orphan}# A\n\n{{llmarch:model}}`{A}`\n"
    src = _project(tmp_path, {"index.md": home, "article.md": article})
    first = _build(make_app, src, tmp_path)
    assert warning_lines(first) == [] and _rows(first) == [_name(A)]
    first.cleanup()
    article = f"{orphan}# A\n\n{{llmarch:model}}`{A}` and {{llmarch:fact}}`{B}.total_params`\n"
    (src / "article.md").write_text(article, encoding="utf-8")
    # an incremental build: only the article changed, and the table on the home page follows
    second = make_app("html", srcdir=src, builddir=tmp_path / "b")
    second.build()
    assert warning_lines(second) == []
    assert _rows(second) == sorted([_name(A), _name(B)])

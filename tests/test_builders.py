"""Builders other than HTML: the views of all models build where model pages are left out.

LaTeX and Texinfo hold only the documents of the toctree, not the model pages (orphans):
links to them become plain names instead of stopping the build.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sphinx_llmarch.describe import fmt
from sphinx_llmarch.describe.memory import sequence_bytes
from sphinx_llmarch.model.figures import compute
from sphinx_llmarch.model.loader import load_file
from sphinx_llmarch.model.memory import Coefficients

from .conftest import warning_lines


@pytest.mark.parametrize("builder", ["latex", "texinfo"])
def test_views_of_all_models_build_without_model_pages(
    make_app, rootdir, tmp_path, builder
) -> None:
    app = make_app(builder, srcdir=rootdir / "test-gallery", builddir=tmp_path, freshenv=True)
    app.build()
    assert warning_lines(app) == []
    [output] = [p for p in Path(app.outdir).iterdir() if p.suffix in (".tex", ".texi")]
    text = output.read_text(encoding="utf-8")
    # the gallery's list names both models, and the memory chart's table has its rows
    assert text.count("Tiny GQA") >= 2 and "Tiny MLA" in text
    model = load_file(rootdir / "test-gallery" / "models" / "tiny-gqa.yaml").model
    assert model is not None
    c = Coefficients.of(compute(model), maximum=model.spec.context.native)
    assert fmt.bytes_iec(sequence_bytes(c, 4096)) in text


def test_epub_builds_twice_without_the_export_files(make_app, rootdir, tmp_path) -> None:
    # EPUB3 wants these of any book
    book = {"copyright": "2026, the tests", "author": "the tests", "version": "1"}
    app = make_app("epub", srcdir=rootdir / "test-gallery", builddir=tmp_path, confoverrides=book)
    app.build()
    app.build()  # the second build used to fail on models.json's unknown mimetype
    assert warning_lines(app) == []
    out = Path(app.outdir)
    assert not (out / "models.json").exists() and (out / "_static" / "llmarch-data.js").is_file()


def test_export_files_are_opt_in(make_app, rootdir, tmp_path) -> None:
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-gallery", src)
    conf = src / "conf.py"
    conf.write_text(conf.read_text().replace("llmarch_export = True", "llmarch_export = False"))
    app = make_app("html", srcdir=src, builddir=tmp_path / "b", freshenv=True)
    app.build()
    assert warning_lines(app) == [
        (
            "<srcdir>/overview.md:6: WARNING: {llmarch:data}`models.json` links a file that is not "
            "written: set llmarch_export = True in conf.py [llmarch.config]"
        )
    ]
    out = Path(app.outdir)
    assert not (out / "models.json").exists() and not (out / "models.csv").exists()
    assert (out / "_static" / "llmarch-data.js").is_file()  # the compare page still works


def _warnings_of(make_app, rootdir, tmp_path, pages: dict[str, str]) -> list[str]:
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-gallery", src)
    for name, text in pages.items():
        (src / name).write_text(text, encoding="utf-8")
    app = make_app("html", srcdir=src, builddir=tmp_path / "b", freshenv=True)
    app.build()
    return warning_lines(app)


def test_misspelt_slugs_and_facts_get_a_suggestion(make_app, rootdir, tmp_path) -> None:
    article = (
        "# A\n\n{llmarch:model}`Tiny-GQA` and {llmarch:model}`tinymla`.\n\n"
        "{llmarch:fact}`tiny-gqa` {llmarch:fact}`tiny_gqa.total_params`\n"
        "{llmarch:fact}`tiny-gqa.total_param` {llmarch:fact}`nothing`\n"
    )
    lines = _warnings_of(make_app, rootdir, tmp_path, {"article.md": article})
    assert [w.split(" WARNING: ")[1] for w in lines] == [
        "fact 'tiny-gqa' should read '<model>.<fact>'; the fact's name is missing [llmarch.ref]",
        (
            "unknown model in fact 'tiny_gqa.total_params': no model file matches its start; did "
            "you mean 'tiny-gqa'? [llmarch.ref]"
        ),
        "unknown fact 'total_param' of 'tiny-gqa'; did you mean 'total_params'? (named facts: "
        + lines[2].split("(named facts: ")[1],
        "fact 'nothing' should read '<model>.<fact>'; it names no model and no fact [llmarch.ref]",
        (
            "unknown model 'Tiny-GQA': there is no Tiny-GQA.yaml in <srcdir>/models or among the "
            "bundled gallery models; did you mean "
            "'tiny-gqa'?; the :llmarch:model: role links nothing [llmarch.ref]"
        ),
        (
            "unknown model 'tinymla': there is no tinymla.yaml in <srcdir>/models or among the "
            "bundled gallery models; did you mean "
            "'tiny-mla'?; the :llmarch:model: role links nothing [llmarch.ref]"
        ),
    ]


def test_one_bad_field_gives_one_cause_and_one_warning_per_page(
    make_app, rootdir, tmp_path
) -> None:
    model = (rootdir / "test-gallery" / "models" / "tiny-gqa.yaml").read_text(encoding="utf-8")
    broken = model.replace("heads: 8", "heads: 3x2", 1)
    assert broken != model
    article = (
        "# A\n\n{llmarch:model}`tiny-gqa` {llmarch:model}`tiny-gqa`\n"
        "{llmarch:fact}`tiny-gqa.total_params` {llmarch:fact}`tiny-gqa.layers`\n\n"
        "```{llmarch} tiny-gqa\n```\n"
    )
    lines = _warnings_of(
        make_app, rootdir, tmp_path, {"models/tiny-gqa.yaml": broken, "article.md": article}
    )
    causes = [w for w in lines if w.startswith("<srcdir>/models/tiny-gqa.yaml:")]
    assert len(causes) == 1 and "heads" in causes[0] and "3x2" in causes[0]
    pages = [w.split(":")[0] for w in lines if w not in causes]
    assert sorted(pages) == sorted(set(pages))  # at most one per page
    assert all(
        "is invalid (see <srcdir>/models/tiny-gqa.yaml:" in w for w in lines if w not in causes
    )


def test_show_is_spelt_alike_and_captions_take_markup(make_app, rootdir, tmp_path) -> None:
    page = (
        "# C\n\n```{llmarch-compare} tiny-gqa tiny-mla\n:show: diagrams\n"
        ":caption: *Dense* and {llmarch:model}`tiny-mla`.\n```\n\n"
        "```{llmarch-compare} tiny-gqa tiny-mla\n:show: diagram\n```\n"
    )
    lines = _warnings_of(make_app, rootdir, tmp_path, {"compare.md": page})
    assert lines == [
        (
            "<srcdir>/compare.md:3: WARNING: :show: diagrams is an old spelling; write :show: "
            "diagram [llmarch.deprecated]"
        )
    ]
    out = (tmp_path / "b" / "html" / "compare.html").read_text(encoding="utf-8")
    assert "<em>Dense</em> and" in out and 'href="models/tiny-mla.html"' in out
    assert "llmarch-compare-table" not in out  # both show the diagrams only


def test_a_missing_models_folder_is_reported_once(make_app, rootdir, tmp_path) -> None:
    app = make_app(
        "html",
        srcdir=rootdir / "test-basic",
        builddir=tmp_path,
        freshenv=True,
        confoverrides={"llmarch_models_dir": "nowhere"},
    )
    app.build()
    lines = warning_lines(app)
    assert lines[0] == (
        "WARNING: llmarch_models_dir: there is no folder <srcdir>/nowhere; only the bundled "
        "gallery models can be shown [llmarch.config]"
    )
    assert sum("nowhere" in w and "no folder" in w for w in lines) == 1

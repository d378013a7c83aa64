"""Builders other than HTML: the views of all models build where model pages are left out.

LaTeX and Texinfo hold only the documents of the toctree, not the model pages (orphans):
links to them become plain names instead of stopping the build.
"""

from __future__ import annotations

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

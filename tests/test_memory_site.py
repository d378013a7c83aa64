"""Memory on the site: the model page's table and calculator data, the memory chart.

The numbers in the pages are checked against :mod:`sphinx_llmarch.model.memory` (the
browser tests check what the script makes of them).
"""

from __future__ import annotations

import html as htmllib
import json
import re
import shutil
from pathlib import Path

import pytest

from sphinx_llmarch.describe import fmt
from sphinx_llmarch.model.figures import compute
from sphinx_llmarch.model.loader import load_file
from sphinx_llmarch.model.memory import Coefficients, memory, settings

from .conftest import html, warning_lines


def _coefficients(srcdir: Path, slug: str) -> Coefficients:
    model = load_file(srcdir / "models" / f"{slug}.yaml").model
    assert model is not None
    return Coefficients.of(
        compute(model),
        maximum=model.spec.context.native,
        state=model.spec.architecture.state_precision,
    )


def _attribute(page: str, name: str) -> dict:
    [raw] = re.findall(rf'{name}="([^"]*)"', page)
    return json.loads(htmllib.unescape(raw))


@pytest.mark.sphinx("html", testroot="gallery", freshenv=True)
def test_a_model_page_carries_its_coefficients_and_a_table(app) -> None:
    app.build()
    page = html(app, "models/tiny-gqa")
    data = _attribute(page, "data-llmarch-memory")
    c = _coefficients(Path(app.srcdir), "tiny-gqa")
    assert data == {
        "settings": json.loads(json.dumps(settings())),
        "models": [{"slug": "tiny-gqa", "name": "Tiny GQA", **c.as_dict()}],
    }
    section = page.split('id="llmarch-memory-tiny-gqa"')[1].split("</section>")[0]
    at_4k = memory(c, context=4096)
    assert f"<td><p>{fmt.bytes_iec(at_4k.kv_cache_bytes)}</p></td>" in section
    assert f"<td><p>{fmt.bytes_iec(at_4k.total_bytes)}</p></td>" in section
    assert "the weights alone take " + fmt.bytes_iec(at_4k.weights_bytes) in section


@pytest.mark.sphinx("html", testroot="gallery", freshenv=True)
def test_the_memory_chart_draws_every_model_and_shows_the_chosen(app) -> None:
    app.build()
    assert warning_lines(app) == []
    page = html(app, "memory")
    data = _attribute(page, "data-llmarch-memory-chart")
    assert data["shown"] == ["tiny-mla", "tiny-gqa"] and data["max"] == 8
    assert re.findall(r'<g class="([^"]*)" data-slug="([^"]*)"', page) == [
        ("llmarch-series llmarch-series-1", "tiny-gqa"),
        ("llmarch-series llmarch-series-0", "tiny-mla"),
    ]
    # the table: every model, a dash beyond its context
    c = _coefficients(Path(app.srcdir), "tiny-gqa")
    row = page.split('<th class="stub"><p>Tiny GQA</p></th>')[1].split("</tr>")[0]
    cells = re.findall(r"<td><p>([^<]*)</p></td>", row)
    m = memory(c, context=4096)
    assert cells[0] == (
        fmt.bytes_iec(m.kv_cache_bytes + m.state_bytes) if c.maximum >= 4096 else "–"
    )
    assert cells[-1] == fmt.tokens(c.maximum)


@pytest.mark.sphinx("text", testroot="gallery", freshenv=True)
def test_other_builders_get_the_tables(app) -> None:
    app.build()
    text = (Path(app.outdir) / "models" / "tiny-gqa.txt").read_text(encoding="utf-8")
    assert "Memory\n" in text and "KV cache" in text and "data-llmarch" not in text
    chart = (Path(app.outdir) / "memory.txt").read_text(encoding="utf-8")
    assert "Tiny MLA" in chart and "<svg" not in chart


def test_the_chart_warns_about_unknown_and_too_many_models(make_app, rootdir, tmp_path) -> None:
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-gallery", src)
    names = ", ".join(["tiny-gqa", "nobody", *(f"m{i}" for i in range(7))])
    (src / "memory.md").write_text(
        f"# M\n\ntext\n\n```{{llmarch-memory-chart}}\n:models: {names}\n```\n"
    )
    app = make_app("html", srcdir=src, builddir=tmp_path / "b", freshenv=True)
    app.build()
    lines = [w for w in warning_lines(app) if "memory.md" in w]
    assert lines[0] == (
        "<srcdir>/memory.md:5: WARNING: llmarch-memory-chart shows at most 8 models at once; "
        "m6 left out [llmarch.ref]"
    )
    assert lines[1].startswith(
        "<srcdir>/memory.md:5: WARNING: llmarch-memory-chart leaves out models: unknown model "
        "'nobody': there is no nobody.yaml in <srcdir>/models or among the bundled gallery "
        "models; unknown model 'm0': "
    )
    assert lines[1].endswith(
        "'m5': there is no m5.yaml in <srcdir>/models or among the bundled gallery models "
        "[llmarch.ref]"
    )
    assert len(lines) == 2

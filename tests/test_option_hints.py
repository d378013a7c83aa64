"""A misspelt option value or argument gets a "did you mean", with file and line."""

from __future__ import annotations

import shutil
from pathlib import Path

from .conftest import warning_lines

PAGE = """# Options

```{llmarch} tiny-gqa
:show: diagam
```

```{llmarch-chart} timline
```

```{llmarch-compare} tiny-gqa tiny-mla
:rows: contxt
```
"""


def test_misspelt_values_get_a_suggestion(make_app, rootdir: Path, tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-gallery" / "models", src / "models")
    (src / "conf.py").write_text('extensions = ["myst_parser", "sphinx_llmarch"]\n')
    (src / "index.md").write_text(PAGE)
    app = make_app("html", srcdir=src, builddir=tmp_path / "b", freshenv=True)
    app.build()
    lines = warning_lines(app)
    assert len(lines) == 3
    assert lines[0] == (
        "<srcdir>/index.md:4: WARNING: 'llmarch': Invalid option value for 'show': diagam: "
        '"diagam" unknown; choose from "both", "diagram", or "table"; did you mean '
        "'diagram'? [myst.directive_option]"
    )
    assert lines[1] == (
        "<srcdir>/index.md:7: WARNING: unknown chart 'timline'; did you mean 'timeline'? "
        "(charts: timeline, active-share, kv-cache, family-tree) [llmarch.ref]"
    )
    assert lines[2].startswith(
        "<srcdir>/index.md:10: WARNING: unknown rows contxt; did you mean 'context'? "
        "(rows: organisation, "
    )
    assert lines[2].endswith("[llmarch.ref]")

"""A warning about a role names the role's own line, also deep inside a paragraph."""

from __future__ import annotations

import shutil
from pathlib import Path

from .conftest import warning_lines

MD = """# Title

```{toctree}
page
```

A paragraph that starts here,
goes on here,
and quotes {llmarch:fact}`tiny-gqa.nosuch` and links {llmarch:model}`nosuchmodel`,
then {llmarch:fact}`tiny-gqa.nosuch2` and {llmarch:data}`nosuch.json`.
"""

RST = """Page
====

A paragraph that starts here,
goes on here,
and quotes :llmarch:fact:`tiny-gqa.nosuch` and links :llmarch:model:`nosuchmodel`,
then :llmarch:fact:`tiny-gqa.nosuch2` and :llmarch:data:`nosuch.json`.
"""


def test_role_warnings_name_the_roles_line_in_myst_and_rst(
    make_app, rootdir: Path, tmp_path: Path
) -> None:
    src = tmp_path / "src"
    (src / "models").mkdir(parents=True)
    shutil.copy(rootdir / "test-gallery" / "models" / "tiny-gqa.yaml", src / "models")
    (src / "conf.py").write_text('extensions = ["myst_parser", "sphinx_llmarch"]\n')
    (src / "index.md").write_text(MD)
    (src / "page.rst").write_text(RST)
    app = make_app("html", srcdir=src, builddir=tmp_path / "b", freshenv=True)
    app.build()
    # each warning's location, with the name it complains about
    located = [w.split(": WARNING: ")[0] + " " + w.split("'")[1] for w in warning_lines(app)]
    assert sorted(located) == sorted(
        [
            "<srcdir>/index.md:9 nosuch",
            "<srcdir>/index.md:9 nosuchmodel",
            "<srcdir>/index.md:10 nosuch2",
            "<srcdir>/index.md:10 nosuch.json",
            "<srcdir>/page.rst:6 nosuch",
            "<srcdir>/page.rst:6 nosuchmodel",
            "<srcdir>/page.rst:7 nosuch2",
            "<srcdir>/page.rst:7 nosuch.json",
        ]
    )

"""Where the command line finds the models: the folder a Sphinx project's ``conf.py`` names
in ``llmarch_models_dir``, else ``models/`` of the working directory.

``conf.py`` is read, not run: the setting counts when it is a plain string assignment at
the top level (``llmarch_models_dir = "gallery/models"``), as it is in practice.
"""

from __future__ import annotations

import ast
from pathlib import Path

from .model.store import DEFAULT_DIR


def models_dir(cwd: Path | None = None) -> tuple[Path, str]:
    """(the models folder, where that choice comes from, for messages)."""
    here = cwd or Path.cwd()
    conf = here / "conf.py"
    if conf.is_file():
        named = _assigned(conf, "llmarch_models_dir")
        if named is not None:
            return here / named, f"llmarch_models_dir in {conf}"
    return here / DEFAULT_DIR, f"the default '{DEFAULT_DIR}'"


def _assigned(conf: Path, name: str) -> str | None:
    try:
        tree = ast.parse(conf.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, UnicodeDecodeError, ValueError):
        return None
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == name for t in node.targets)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            return node.value.value
    return None

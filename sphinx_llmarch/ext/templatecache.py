"""The theme's page templates compiled once, not in every build.

Sphinx compiles the theme's Jinja templates in each build process before it renders the
first page with them: furo's page, its sidebar and the general index, twenty-one
templates, about 0.1 s of every rebuild (a no-op included: it writes the general index)
against 0.01 s to load them compiled.  Jinja can keep what it compiled in a folder (its bytecode cache, named by each
template's name and file and checked against a digest of its source and the Python
version), so the build gives it one in the extension's cache folder.
"""

from __future__ import annotations

from pathlib import Path

import jinja2
from sphinx.application import Sphinx

#: the folder in the cache folder
FOLDER = "templates"


def keep_compiled_templates(app: Sphinx, cache: Path) -> None:
    """Give the builder's template environment a bytecode cache in ``cache`` (builders
    without templates, and an environment that already has one, are left alone)."""
    environment = getattr(getattr(app.builder, "templates", None), "environment", None)
    if not isinstance(environment, jinja2.Environment) or environment.bytecode_cache:
        return
    folder = cache / FOLDER
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return  # an optimisation: a read-only disk must not fail the build
    environment.bytecode_cache = jinja2.FileSystemBytecodeCache(str(folder))

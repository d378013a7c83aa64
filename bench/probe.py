"""A Sphinx extension the benchmark adds to its copies of the project.

It records which documents a build reads and writes, and writes them as JSON next to the
build output (``bench-probe.json``), so the benchmark can report them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

_STATE: dict[str, list[str]] = {"read": [], "written": []}


def _read(app: Any, env: Any, docnames: list[str]) -> None:
    _STATE["read"] = sorted(docnames)


def _written(app: Any, doctree: Any, docname: str) -> None:
    _STATE["written"].append(docname)


def _done(app: Any, exception: Exception | None) -> None:
    path = Path(app.outdir).parent / "bench-probe.json"
    path.write_text(json.dumps({"read": _STATE["read"], "written": sorted(_STATE["written"])}))


def setup(app: Any) -> dict[str, Any]:
    app.connect("env-before-read-docs", _read)
    app.connect("doctree-resolved", _written)
    app.connect("build-finished", _done)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

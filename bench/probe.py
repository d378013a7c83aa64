"""A Sphinx extension the benchmark adds to its copies of the project.

It records which documents a build reads and writes, and when its reading and writing
phases start and end (``time.perf_counter``), and writes them as JSON next to the build
output (``bench-probe.json``), so the benchmark can report them.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

_STATE: dict[str, list[str]] = {"read": [], "written": []}
_TIMES: dict[str, float] = {}


def _read(app: Any, env: Any, docnames: list[str]) -> None:
    _STATE["read"] = sorted(docnames)
    _TIMES["read_start"] = time.perf_counter()


def _updated(app: Any, env: Any) -> list[str]:
    _TIMES["read_end"] = time.perf_counter()
    return []


def _written(app: Any, doctree: Any, docname: str) -> None:
    _STATE["written"].append(docname)


def _done(app: Any, exception: Exception | None) -> None:
    _TIMES["finished"] = time.perf_counter()
    path = Path(app.outdir).parent / "bench-probe.json"
    data = {"read": _STATE["read"], "written": sorted(_STATE["written"]), "times": _TIMES}
    path.write_text(json.dumps(data))


def setup(app: Any) -> dict[str, Any]:
    app.connect("env-before-read-docs", _read)
    app.connect("env-updated", _updated, priority=100)
    app.connect("doctree-resolved", _written)
    # after every handler of the extension (the export and the poster are written there)
    app.connect("build-finished", _done, priority=950)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

"""The benchmark's probe stops its clock after everything the build does at its end: the
export and the poster files are part of an edit's writing phase."""

from __future__ import annotations

import importlib.util
from unittest.mock import MagicMock

from sphinx_llmarch.ext import extension

from .conftest import REPO


def _priorities(setup, event: str) -> list[int]:  # type: ignore[no-untyped-def]
    app = MagicMock()
    setup(app)
    return [
        call.kwargs.get("priority", 500)
        for call in app.connect.call_args_list
        if call.args[0] == event
    ]


def test_the_probe_finishes_after_the_extension() -> None:
    spec = importlib.util.spec_from_file_location("probe", REPO / "bench" / "probe.py")
    assert spec is not None and spec.loader is not None
    probe = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(probe)
    ours = _priorities(extension.setup_extension, "build-finished")
    assert len(ours) >= 2  # the export and poster, and the collector's reset
    (last,) = _priorities(probe.setup, "build-finished")
    assert last > max(ours)

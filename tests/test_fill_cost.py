"""The pages built from all models are filled again after every edit: what they compute
per model is computed once per process, and the chart stays the same."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sphinx_llmarch.draw import memorychart
from sphinx_llmarch.ext import export
from sphinx_llmarch.model.memory import Coefficients
from sphinx_llmarch.model.schema import json_schema


def _summaries() -> dict[str, dict[str, object]]:
    curves = {
        "full": Coefficients(8_000_000_000, ((0, 131072, 0),), 0, None, 8192),
        "windowed": Coefficients(9_000_000_000, ((0, 65536, 0), (0, 65536, 4096)), 0, None, 131072),
        "state": Coefficients(3_000_000_000, ((0, 16384, 0),), 5_000_000, "fp32", 262144),
    }
    return {slug: {"name": slug.title(), "memory": c.as_dict()} for slug, c in curves.items()}


def test_memory_chart_computes_each_line_once(monkeypatch: pytest.MonkeyPatch) -> None:
    memorychart.line_points.cache_clear()
    summaries = _summaries()
    first = memorychart.memory_chart(summaries, ["full"])
    calls: list[int] = []
    original = memorychart.sequence_bytes

    def counted(c: Coefficients, n: int) -> int:
        calls.append(n)
        return original(c, n)

    monkeypatch.setattr(memorychart, "sequence_bytes", counted)
    again = memorychart.memory_chart(summaries, ["windowed", "state"])
    assert calls == []
    # the same lines, only other ones shown
    assert again.count("<path") == first.count("<path") == 3
    memorychart.line_points.cache_clear()
    fresh = memorychart.memory_chart(summaries, ["windowed", "state"])
    assert fresh == again
    assert len(calls) > 3 * memorychart.STEPS_PER_DOUBLING


def test_schema_file_text_is_the_schema(tmp_path: Path) -> None:
    text = export._schema_text()
    assert text == json.dumps(json_schema(), indent=1) + "\n"
    assert json.loads(text)["title"] == "LLM architecture model file"

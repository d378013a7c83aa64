"""The text ``llmarch import`` writes: schedules as repeated groups, short lists inline."""

from __future__ import annotations

from sphinx_llmarch.importer.assemble import compress, import_config

from .test_importer import LLAMA


def test_compress_finds_repeated_groups() -> None:
    assert compress(["a", "b", "a", "b", "c"]) == [{"repeat": 2, "pattern": ["a", "b"]}, "c"]
    assert compress(["a", "a", "b", "a", "a", "b"]) == [
        {"repeat": 2, "pattern": [{"repeat": 2, "pattern": ["a"]}, "b"]}
    ]
    assert compress(["a", "b", "c"]) == ["a", "b", "c"]
    # the longest cover wins: 3 x (a, b) over the run of two c's
    assert compress(["c", "c", "a", "b", "a", "b", "a", "b"]) == [
        {"repeat": 2, "pattern": ["c"]},
        {"repeat": 3, "pattern": ["a", "b"]},
    ]


def test_short_lists_of_plain_values_are_written_inline() -> None:
    text = import_config({**LLAMA, "num_hidden_layers": 4}, "tiny").text
    assert "pattern: [attn + mlp]" in text
    assert "- repeat: 4" in text

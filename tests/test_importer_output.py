"""The text ``llmarch import`` writes: schedules as repeated groups, short lists inline."""

from __future__ import annotations

import json

from sphinx_llmarch.importer.assemble import compress, import_config

from .reference import WAVE2, missing
from .test_importer import LLAMA, imported


def test_compress_finds_repeated_groups() -> None:
    assert compress(["a", "b", "a", "b", "c"]) == [{"repeat": 2, "pattern": ["a", "b"]}, "c"]
    assert compress(["a", "a", "b", "a", "a", "b"]) == [
        {"repeat": 2, "pattern": [{"repeat": 2, "pattern": ["a"]}, "b"]}
    ]
    assert compress(["a", "b", "c"]) == ["a", "b", "c"]
    # a group that starts after single layers
    assert compress(["a", "b", "a", "c", "a", "c"]) == [
        "a",
        "b",
        {"repeat": 2, "pattern": ["a", "c"]},
    ]
    # the longest cover wins: 3 x (a, b) over the run of two c's
    assert compress(["c", "c", "a", "b", "a", "b", "a", "b"]) == [
        {"repeat": 2, "pattern": ["c"]},
        {"repeat": 3, "pattern": ["a", "b"]},
    ]


def test_short_lists_of_plain_values_are_written_inline() -> None:
    text = import_config({**LLAMA, "num_hidden_layers": 4}, "tiny").text
    assert "pattern: [attn + mlp]" in text
    assert "- repeat: 4" in text


def test_motif_sliding_window_layers_take_their_own_rope_base() -> None:
    path = WAVE2 / "motif-3-beta.json"
    if not path.is_file():
        missing(str(WAVE2))
    raw = json.loads(path.read_text(encoding="utf-8"))
    raw["swa_rope_theta"] = 5000.0  # 10,000 like rope_theta in the release
    model = imported(raw, "motif-3-beta")
    thetas = {
        name: m.position_scheme().base_frequency()
        for name, m in model.spec.architecture.mixers.items()
    }
    assert thetas == {"global": 10000.0, "local": 5000.0}


def test_a_refused_config_is_a_draft_only_when_asked() -> None:
    raw = {**LLAMA, "compress_ratios": [0, 4]}  # a key no importer reads
    refused = import_config(raw, "x")
    assert [u.key for u in refused.unresolved] == ["compress_ratios"]
    assert "draft:" not in refused.text and "# DRAFT" not in refused.text
    assert "draft:\n- key: compress_ratios" in import_config(raw, "x", draft=True).text

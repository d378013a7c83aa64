"""Every named fact an article can quote, checked against its exact text for real models.

The models cover the layouts the facts tell apart: sliding-window and global layers in a
5:1 unit (Gemma 3 27B), a linear hybrid (Qwen3-Next), MLA with a 3-layer and a 1-layer
dense prefix (DeepSeek V3, Kimi K2), a MoE without shared experts and alternating windows
(gpt-oss-120b), chunked layers with NoPE global layers and alternating dense/MoE layers
(Llama 4 Maverick), and a Mamba-2 hybrid (Nemotron 3 Super). Every value was checked by
hand against the model's config.json and model card, not copied from the package.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sphinx_llmarch.describe.facts import FACTS, fact_text
from sphinx_llmarch.model.figures import compute
from sphinx_llmarch.model.loader import LoadedModel, load_file, load_text

from .conftest import MODELS, TESTS

SLUGS = (
    "gemma-3-27b",
    "qwen3-next-80b-a3b",
    "deepseek-v3",
    "gpt-oss-120b",
    "kimi-k2",
    "llama-4-maverick",
    "nemotron-3-super-120b-a12b",
)

#: fact -> its text for each model of SLUGS, in order, separated by ' | '
TABLE: dict[str, str] = {
    "name": "Gemma 3 27B | Qwen3-Next 80B-A3B | DeepSeek V3 | gpt-oss-120b | "
    "Kimi K2 | Llama 4 Maverick | Nemotron 3 Super 120B-A12B",
    "organisation": "Google DeepMind | Alibaba Qwen | DeepSeek | OpenAI | "
    "Moonshot AI | Meta | NVIDIA",
    "release_date": "2025-03-12 | 2025-09-10 | 2024-12-26 | 2025-08-05 | "
    "2025-07-11 | 2025-04-05 | 2026-03-11",
    "year": "2025 | 2025 | 2024 | 2025 | 2025 | 2025 | 2026",
    "total_params": "27B | 79.7B | 671B | 117B | 1.03T | 401B | 121B",
    "active_params": "27B | 3.87B | 37.6B | 5.71B | 32.9B | 17.2B | 12.8B",
    "active_share": "100.0% | 4.9% | 5.6% | 4.9% | 3.2% | 4.3% | 10.6%",
    "official_total": "27B | 80B | 671B | 117B | 1T | 400B | 120B",
    "official_active": "unknown | 3B | 37B | 5.1B | 32B | 17B | 12B",
    "embedding_params": "1.41B | 622M | 1.85B | 1.16B | 2.35B | 2.07B | 1.07B",
    "mtp_params": "none | 1.65B | 11.6B | none | none | none | 2.94B",
    "kv_cache_per_token": "496 KiB | 24 KiB | 68.6 KiB | 72 KiB | 68.6 KiB | 192 KiB | 8 KiB",
    "kv_cache_at_context": "10.4 GiB | 6.04 GiB | 10.7 GiB | 4.5 GiB | "
    "8.58 GiB | 49.1 GiB | 2.08 GiB",
    "linear_state": "0 B | 37.7 MiB | 0 B | 0 B | 0 B | 0 B | 82.3 MiB",
    "context": "131,072 | 262,144 | 163,840 | 131,072 | 131,072 | 1,048,576 | 262,144",
    "layers": "62 | 48 | 61 | 36 | 61 | 48 | 88",
    # side by side is written "and" (the diagrams' notation: "+" means combined)
    "layer_mix": "52 sliding-window and 10 global | 36 Gated DeltaNet and 12 gated attention | "
    "61 MLA | 18 sliding-window and 18 global | 61 MLA | 36 chunked and 12 global | "
    "40 Mamba-2, 40 MoE and 8 GQA",
    "decoder_type": "Dense | Sparse hybrid | Sparse MoE | Sparse MoE | "
    "Sparse MoE | Sparse MoE | Sparse hybrid",
    "experts": "none | 512 | 256 | 128 | 384 | 128 | 512",
    "active_experts": "none | 10 | 8 | 4 | 8 | 1 | 22",
    "shared_experts": "none | 1 | 1 | 0 | 1 | 1 | 1",
    "expert_hidden": "none | 512 | 2,048 | 2,880 | 2,048 | 8,192 | 2,688",
    "shared_expert_hidden": "none | 512 | 2,048 | none | 2,048 | 8,192 | 5,376",
    "dense_layers": "62 | 0 | 3 | 0 | 1 | 24 | 0",
    "moe_layers": "0 | 48 | 58 | 36 | 60 | 24 | 40",
    "local_layers": "52 | 0 | 0 | 18 | 0 | 36 | 0",
    "global_layers": "10 | 12 | 61 | 18 | 61 | 12 | 8",
    "linear_layers": "0 | 36 | 0 | 0 | 0 | 0 | 40",
    "nope_layers": "0 | 0 | 0 | 0 | 0 | 12 | 8",
    "ratio": "5:1 | 3:1 | all | 1:1 | all | 3:1 | 5:1",
    "window": "1,024 | none | none | 128 | none | none | none",
    "heads": "32 | 16 | 128 | 64 | 64 | 40 | 32",
    "kv_heads": "16 | 2 | none | 8 | none | 8 | 2",
    "head_dim": "128 | 256 | none | 64 | none | 128 | 128",
    "kv_lora_rank": "none | none | 512 | none | 512 | none | none",
    "rope_theta": "10,000 | 10,000,000 | 10,000 | 150,000 | 50,000 | 500,000 | unknown",
    "rotary_share": "100% | 25% | 100% | 100% | 100% | 100% | none",
    "hidden_size": "5,376 | 2,048 | 7,168 | 2,880 | 7,168 | 5,120 | 4,096",
    "vocab_size": "262,144 | 151,936 | 129,280 | 201,088 | 163,840 | 202,048 | 131,072",
    "mtp_modules": "none | 1 | 1 | none | none | none | 1",
}
# Notes on the values that need one:
# - kv_cache_at_context: Gemma 3's 52 local layers keep 1,024 tokens at 131,072 (10.4 GiB);
#   gpt-oss's 18 windowed layers keep 128; Llama 4's 36 chunked layers keep 8,192.
# - ratio: from the schedule's main repeated unit (Gemma 3: 5 local + 1 global, not the
#   26:5 of its 52 + 10 layers; Nemotron 3 Super: 5 Mamba-2 + 1 attention in its longest
#   group); "all" when one kind of mixer is used throughout.
# - rope_theta / rotary_share of the attention most layers use: Gemma 3's local layers
#   (rope_local_base_freq 10,000); Nemotron 3 Super's attention has no position encoding.
# - global_layers counts MLA layers (they see every token): 61 for DeepSeek V3 and Kimi K2.


def row(name: str) -> list[str]:
    return TABLE[name].split(" | ")


def loaded(slug: str) -> LoadedModel:
    model = load_file(MODELS / f"{slug}.yaml").model
    assert model is not None
    return model


@pytest.mark.parametrize(("index", "slug"), list(enumerate(SLUGS)), ids=SLUGS)
def test_every_fact_has_its_exact_text(index: int, slug: str) -> None:
    model = loaded(slug)
    figures = compute(model)
    ours = {name: fact.compute(model, figures) for name, fact in FACTS.items()}
    assert ours == {name: row(name)[index] for name in TABLE}


def test_every_fact_is_in_the_table() -> None:
    assert set(TABLE) == set(FACTS)
    assert all(len(row(name)) == len(SLUGS) for name in TABLE)


def test_the_facts_the_issue_names() -> None:
    """The values that once survived deliberate bugs, in the words articles use."""
    index = {slug: i for i, slug in enumerate(SLUGS)}

    def fact(name: str, slug: str) -> str:
        return row(name)[index[slug]]

    assert (fact("ratio", "gemma-3-27b"), fact("global_layers", "gemma-3-27b")) == ("5:1", "10")
    assert fact("linear_layers", "qwen3-next-80b-a3b") == "36"
    assert fact("global_layers", "qwen3-next-80b-a3b") == "12"
    assert fact("linear_layers", "deepseek-v3") == "0"
    v3 = [fact(n, "deepseek-v3") for n in ("dense_layers", "moe_layers", "shared_experts")]
    assert v3 == ["3", "58", "1"]
    assert fact("shared_experts", "gpt-oss-120b") == "0"
    assert fact("nope_layers", "llama-4-maverick") == "12"
    grok = loaded("grok-2.5")  # its dense MLP beside the experts is not a shared expert
    assert FACTS["shared_experts"].compute(grok, compute(grok)) == "0"


def test_a_field_path_is_a_fact_too() -> None:
    model = loaded("gemma-3-27b")
    figures = compute(model)
    assert fact_text(model, figures, "architecture.mixers.local.window") == "1,024"
    assert fact_text(model, figures, "architecture.tie_embeddings") == "yes"
    assert fact_text(model, figures, "architecture.norm.eps") == "1e-06"
    assert fact_text(model, figures, "architecture.layers.schedule.1.repeat") == "2"
    assert fact_text(model, figures, "architecture.layers.schedule.9.repeat") is None
    assert fact_text(model, figures, "architecture.nothing") is None
    assert fact_text(model, figures, "ratio") == "5:1"


def test_a_model_without_attention() -> None:
    model = loaded("xlstm-7b")  # 32 mLSTM blocks, no softmax attention at all
    figures = compute(model)
    facts = {n: FACTS[n].compute(model, figures) for n in FACTS}
    assert {n: facts[n] for n in ("decoder_type", "linear_layers", "global_layers")} == {
        "decoder_type": "Recurrent",
        "linear_layers": "32",
        "global_layers": "0",
    }
    for name in ("heads", "kv_heads", "head_dim", "rotary_share", "window"):
        assert facts[name] == "none", name
    assert (facts["rope_theta"], facts["ratio"]) == ("unknown", "all")


TINY = (TESTS / "roots" / "test-basic" / "models" / "tiny-gqa.yaml").read_text()


def test_the_ratio_comes_from_a_unit_repeated_twice() -> None:
    """Two units of 3 local + 1 global, then 2 more local layers: the design ratio is 3:1,
    though the 10 layers hold 8 local and 2 global."""
    attn = TINY[TINY.index("    attn:\n") : TINY.index("  ffns:")]
    local = attn.replace("    attn:", "    local:") + "      window: 64\n"
    text = TINY.replace("  ffns:", local + "  ffns:").replace(
        "    count: 4\n    schedule:\n      - repeat: 4\n        pattern: [attn + mlp]",
        "    count: 10\n    schedule:\n      - repeat: 2\n        pattern: [local + mlp, "
        "local + mlp, local + mlp, attn + mlp]\n      - repeat: 2\n        pattern: [local + mlp]",
    )
    model = load_text(text, Path("/m/tiny-gqa.yaml"), "tiny-gqa.yaml").model
    assert model is not None
    figures = compute(model)
    assert fact_text(model, figures, "ratio") == "3:1"
    assert fact_text(model, figures, "local_layers") == "8"
    assert fact_text(model, figures, "global_layers") == "2"


def test_field_paths_past_the_end_and_false_and_null() -> None:
    kimi = loaded("kimi-linear-48b-a3b")
    figures = compute(kimi)
    assert fact_text(kimi, figures, "architecture.tie_embeddings") == "no"
    assert fact_text(kimi, figures, "architecture.mixers.mla.q_lora_rank") == "none"
    schedule = kimi.spec.architecture.layers.schedule
    assert fact_text(kimi, figures, f"architecture.layers.schedule.{len(schedule)}") is None
    assert fact_text(kimi, figures, "total_params") == "49.1B"


def test_three_kinds_of_mixer_have_no_ratio() -> None:
    attn = TINY[TINY.index("    attn:\n") : TINY.index("  ffns:")]
    local = attn.replace("    attn:", "    local:") + "      window: 64\n"
    chunked = attn.replace("    attn:", "    chunked:") + "      chunk: 128\n"
    text = TINY.replace("  ffns:", local + chunked + "  ffns:").replace(
        "      - repeat: 4\n        pattern: [attn + mlp]",
        "      - local + mlp\n      - chunked + mlp\n      - repeat: 2\n"
        "        pattern: [attn + mlp]",
    )
    model = load_text(text, Path("/m/tiny-gqa.yaml"), "tiny-gqa.yaml").model
    assert model is not None
    assert fact_text(model, compute(model), "ratio") == "mixed"


def test_a_whole_number_stored_as_a_float_is_written_with_separators() -> None:
    model = loaded("gemma-3-27b")
    path = "architecture.mixers.global.position.theta"  # 1000000.0 in the file
    assert fact_text(model, compute(model), path) == "1,000,000"

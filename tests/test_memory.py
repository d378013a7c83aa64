"""The memory calculator against hand computations from the configs, one model of each kind.

Every constant below is a value of the model's config.json (or its model file's comment
on it); the formulas are written out here, not taken from the package.
"""

from __future__ import annotations

import dataclasses
import json
import math

import pytest

from sphinx_llmarch.cli import main
from sphinx_llmarch.model.figures import Figures, compute
from sphinx_llmarch.model.loader import load_file
from sphinx_llmarch.model.memory import (
    Coefficients,
    MemoryInputError,
    crossover,
    memory,
    parse_context,
    precision,
    standard_contexts,
)

from .conftest import MODELS

BF16 = 2


def figures(slug: str) -> tuple[Figures, Coefficients]:
    """The model's figures, and its calculator's coefficients with the state precision
    left to the test"""
    model = load_file(MODELS / f"{slug}.yaml").model
    assert model is not None
    f = compute(model)
    return f, Coefficients.of(f, maximum=model.spec.context.native)


def widened(c: Coefficients, factor: int) -> Coefficients:
    """The same model allowed ``factor`` times its context."""
    return dataclasses.replace(c, maximum=c.maximum * factor)


@pytest.mark.parametrize("n", [1, 4096, 131072])
def test_dense_gqa_llama_3_8b(n: int) -> None:
    f, c = figures("llama-3-8b")
    m = memory(c, context=n)
    # 32 layers x (K and V) x 8 KV heads x head dim 128
    assert m.kv_cache_bytes == 32 * 2 * 8 * 128 * n * BF16
    assert m.weights_bytes == f.total_params * BF16
    assert m.state_bytes == 0
    assert m.beyond_maximum == (n > 8192)


def test_mla_deepseek_v3() -> None:
    _f, c = figures("deepseek-v3")
    n = 100_000
    # 61 layers x (kv_lora_rank 512 + qk_rope_head_dim 64), one latent for all heads
    assert memory(c, context=n).kv_cache_bytes == 61 * (512 + 64) * n * BF16


@pytest.mark.parametrize("n", [512, 1024, 32768])
def test_sliding_window_and_global_gemma_3_27b(n: int) -> None:
    _f, c = figures("gemma-3-27b")
    per_token = 2 * 16 * 128  # K and V x 16 KV heads x head dim 128
    # 62 layers, every sixth global: 10 global, 52 local keeping at most 1,024 tokens
    expected = (10 * n + 52 * min(n, 1024)) * per_token * BF16
    assert memory(c, context=n).kv_cache_bytes == expected


def test_chunked_llama_4_maverick() -> None:
    _f, c = figures("llama-4-maverick")
    n = 100_000
    per_token = 2 * 8 * 128
    # 48 layers, every fourth global: 12 full, 36 chunked at 8,192 tokens
    expected = (12 * n + 36 * 8192) * per_token * BF16
    assert memory(c, context=n).kv_cache_bytes == expected


def test_compressed_attention_deepseek_v4_flash() -> None:
    _f, c = figures("deepseek-v4-flash")
    n = 1_048_576
    window = 512 * min(n, 128)  # one 512-value K=V vector per token of the last 128
    csa = (512 + 128) // 4 * n  # one entry (and its 128-wide index key) per 4 tokens
    hca = 512 // 128 * n  # one entry per 128 tokens
    # compress_ratios: 2 window-only, 21 CSA and 20 HCA layers
    expected = (43 * window + 21 * csa + 20 * hca) * BF16
    assert memory(c, context=n).kv_cache_bytes == expected


def test_linear_attention_hybrid_qwen3_next() -> None:
    _f, c = figures("qwen3-next-80b-a3b")
    n, batch = 65536, 3
    m = memory(c, context=n, batch=batch)
    # 12 gated-attention layers: K and V x 2 KV heads x head dim 256
    assert m.kv_cache_bytes == batch * 12 * 2 * 2 * 256 * n * BF16
    # 36 Gated DeltaNet layers: 32 value heads x 128 x 128 state, and the convolution's
    # last 3 inputs of (2 x 16 x 128 key + 32 x 128 value) channels
    state = 32 * 128 * 128 + (2 * 16 * 128 + 32 * 128) * 3
    assert m.state_bytes == batch * 36 * state * BF16


def test_mamba_hybrid_with_a_float32_state() -> None:
    _f, c = figures("nemotron-3-nano-30b-a3b")
    n = 8192
    m = memory(c, context=n, state="fp32")
    assert m.kv_cache_bytes == 6 * 2 * 2 * 128 * n * BF16  # 6 attention layers
    inner, conv = 64 * 64, 64 * 64 + 2 * 8 * 128  # heads x head dim; + B and C of 8 groups
    # 23 Mamba-2 layers: inner x state 128, and 3 past inputs of the convolution
    assert m.state_bytes == 23 * (inner * 128 + conv * 3) * 4


def test_precisions_scale_weights_and_cache() -> None:
    f, c = figures("llama-3-8b")
    m = memory(c, context=4096, weights="int4", kv="fp8")
    assert m.weights_bytes == math.ceil(f.total_params / 2)
    assert m.kv_cache_bytes == 32 * 2 * 8 * 128 * 4096
    assert m.total_bytes == m.weights_bytes + m.kv_cache_bytes


def test_the_cache_overtakes_the_weights_where_it_first_weighs_more() -> None:
    f, c = figures("olmo-2-7b")  # MHA: 512 KiB per token
    at = crossover(widened(c, 64))
    assert at is not None
    per_token = 32 * 2 * 32 * 128 * BF16
    assert (at - 1) * per_token <= f.total_params * BF16 < at * per_token
    # Gemma 3 270M's 15 windowed layers stop growing at 512 tokens: within its own maximum
    # the cache (mostly its 3 global layers) stays below 268M bf16 weights
    g, gc = figures("gemma-3-270m")
    assert crossover(gc) is None
    assert memory(gc, context=gc.maximum).kv_cache_bytes < g.total_params * BF16


@pytest.mark.parametrize(
    ("text", "tokens"), [("131072", 131072), ("128k", 131072), ("1m", 1048576), ("1.5k", 1536)]
)
def test_context_spellings(text: str, tokens: int) -> None:
    assert parse_context(text) == tokens


@pytest.mark.parametrize("text", ["0", "-5", "lots", "1.3", "12q", ""])
def test_bad_contexts_are_refused(text: str) -> None:
    with pytest.raises(MemoryInputError):
        parse_context(text)


def test_bad_batch_and_precision_are_refused() -> None:
    _f, c = figures("llama-3-8b")
    with pytest.raises(MemoryInputError, match="batch must be a positive whole number, not 0"):
        memory(c, context=10, batch=0)
    with pytest.raises(MemoryInputError, match="unknown precision 'int3'"):
        precision("int3")


def test_cli_json(capsys) -> None:
    assert main(["memory", "deepseek-v3", "--context", "128k", "--batch", "2", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["kv_cache_bytes"] == 2 * 61 * (512 + 64) * 131072 * BF16
    for key in ("weights_bytes", "kv_cache_bytes", "state_bytes", "total_bytes"):
        assert isinstance(data[key], int)
    assert data["total_bytes"] == data["weights_bytes"] + data["kv_cache_bytes"]


def test_cli_warns_beyond_the_maximum_and_refuses_bad_input(capsys) -> None:
    assert main(["memory", str(MODELS / "llama-3-8b.yaml"), "--context", "1m"]) == 0
    assert "exceed the model's maximum context of 8,192" in capsys.readouterr().err
    assert main(["memory", "llama-3-8b", "--context", "128k", "--kv", "int3"]) == 2
    err = capsys.readouterr().err
    assert err.strip() == (
        "llmarch: unknown precision 'int3'; use one of: fp32, bf16, fp16, fp8, int8, int4, fp4"
    )


def test_the_cache_curve_is_linear_between_the_windows() -> None:
    # Gemma 3 27B: 52 layers with a 1,024-token window and 10 global ones, each 16 KV heads
    # x 128 x 2 (K and V) values per token
    f, _ = figures("gemma-3-27b")
    per_layer = 2 * 16 * 128
    assert [(p.start, p.per_token, p.full) for p in f.cache_curve] == [
        (1, 62 * per_layer, 0),
        (1024, 10 * per_layer, 52 * per_layer * 1024),
    ]
    for n in (1, 1023, 1024, 1025, 131072):
        assert f.cached_values(n) == 10 * per_layer * n + 52 * per_layer * min(n, 1024)


def test_a_declared_state_precision_is_the_default(capsys) -> None:
    # Nemotron 3 Nano's config: mamba_ssm_cache_dtype float32
    assert main(["memory", "nemotron-3-nano-30b-a3b", "--context", "8k", "--json"]) == 0
    declared = json.loads(capsys.readouterr().out)
    assert (
        main(["memory", "nemotron-3-nano-30b-a3b", "--context", "8k", "--json", "--state", "bf16"])
        == 0
    )
    halved = json.loads(capsys.readouterr().out)
    inner, conv = 64 * 64, 64 * 64 + 2 * 8 * 128
    assert declared["state_bytes"] == 23 * (inner * 128 + conv * 3) * 4
    assert halved["state_bytes"] * 2 == declared["state_bytes"]


def test_the_crossover_moves_with_the_batch() -> None:
    f, c = figures("llama-3-8b")
    per_token = 32 * 2 * 8 * 128 * BF16  # 128 KiB
    for batch in (1, 4):
        at = crossover(widened(c, 16), batch=batch)
        assert at is not None
        assert batch * (at - 1) * per_token <= f.total_params * BF16 < batch * at * per_token
    with pytest.raises(MemoryInputError, match="batch must be a positive whole number, not -1"):
        crossover(c, batch=-1)


def test_the_browser_coefficients_give_the_same_bytes() -> None:
    # what the page's script computes, written out: pieces [start, per token, full]
    f, c = figures("gpt-oss-120b")
    data = json.loads(json.dumps(c.as_dict()))
    assert Coefficients.from_dict(data) == c and data["params"] == f.total_params
    for n in (100, 128, 129, 5000, c.maximum):
        _, per_token, full = [p for p in data["curve"] if p[0] <= n][-1]
        m = memory(c, context=n, batch=3, kv="fp8")
        assert m.kv_cache_bytes == math.ceil(3 * (per_token * n + full) * 1)


@pytest.mark.parametrize(
    ("maximum", "expected"),
    [
        (8192, [4096, 8192]),
        (131072, [4096, 32768, 131072]),
        (163840, [4096, 32768, 131072, 163840]),
        (1048576, [4096, 32768, 131072, 1048576]),
        (10485760, [4096, 32768, 131072, 1048576]),
    ],
)
def test_standard_contexts_stop_at_the_maximum(maximum: int, expected: list[int]) -> None:
    assert standard_contexts(maximum) == expected

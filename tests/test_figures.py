"""Computed figures: exact counts for hand-checked cases, and agreement with official ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from sphinx_llmarch.model.figures import compute
from sphinx_llmarch.model.loader import load_file, load_text

from .conftest import MODELS, TESTS

ROOT_MODELS = TESTS / "roots" / "test-basic" / "models"


def figures(path):
    result = load_file(path)
    assert result.model is not None, result.problems
    return result.model, compute(result.model)


def test_tiny_mla_moe_by_hand() -> None:
    # h=256, V=1000 untied; MLA q 256*64+64+64*4*48, kv 256*48+32+32*4*64, out 4*32*256
    mla = (256 * 64 + 64 + 64 * 4 * 48) + (256 * 48 + 32 + 32 * 4 * 64) + 4 * 32 * 256
    expert = 3 * 256 * 128
    always = 256 * 8 + 8 + expert  # router with bias, one shared expert
    norms = 2 * 256
    embed_head_norm = 2 * 1000 * 256 + 256
    dense_layer = mla + 3 * 256 * 512 + norms
    moe_total = mla + always + 8 * expert + norms
    moe_active = mla + always + 2 * expert + norms
    _, f = figures(ROOT_MODELS / "tiny-mla.yaml")
    assert f.total_params == embed_head_norm + dense_layer + 5 * moe_total == 5_834_600
    assert f.active_params == embed_head_norm + dense_layer + 5 * moe_active == 2_885_480
    assert f.kv_cache_bytes_per_token == (32 + 16) * 2 * 6
    assert f.mtp_params == moe_total + 2 * 256 * 256 + 3 * 256


def test_tied_head_counted_once() -> None:
    _, f = figures(ROOT_MODELS / "tiny-gqa.yaml")
    attn = 256 * (8 * 32 + 2 * 2 * 32) + 8 * 32 * 256
    per_layer = attn + 3 * 256 * 512 + 2 * 256
    assert f.total_params == 1000 * 256 + 256 + 4 * per_layer
    assert f.embedding_params == 1000 * 256
    assert f.kv_cache_bytes_per_token == 4 * (2 * 2 * 32) * 2


# The exact counts of the released checkpoints, known independently of this code.
@pytest.mark.parametrize(
    ("slug", "total", "active", "kv_per_token"),
    [
        ("gpt2-xl", 1_557_611_200, 1_557_611_200, 307_200),  # 300 KiB
        ("llama-3-8b", 8_030_261_248, 8_030_261_248, 131_072),  # 128 KiB
        ("deepseek-v3", 671_026_419_200, 37_552_297_472, 70_272),  # 68.6 KiB
    ],
)
def test_reference_models(slug: str, total: int, active: int, kv_per_token: int) -> None:
    _, f = figures(MODELS / f"{slug}.yaml")
    assert (f.total_params, f.active_params, f.kv_cache_bytes_per_token) == (
        total,
        active,
        kv_per_token,
    )


def test_deepseek_mtp_module_is_reported_apart() -> None:
    # the model card: 685B on disk = 671B main model + 14B MTP module; the module shares
    # the embedding and head (2 x 0.93B) that the 14B includes
    _, f = figures(MODELS / "deepseek-v3.yaml")
    assert 11.5e9 < f.mtp_params < 12e9
    assert abs(f.total_params + f.mtp_params + 2 * 129_280 * 7168 - 685e9) / 685e9 < 0.01


def test_cache_at_a_context_caps_windows() -> None:
    text = (ROOT_MODELS / "tiny-gqa.yaml").read_text()
    text = text.replace("      head_dim: 32\n", "      head_dim: 32\n      window: 128\n")
    model = load_text(text, Path("/m/tiny-gqa.yaml"), "tiny-gqa.yaml").model
    assert model is not None
    f = compute(model)
    per_token = 4 * 2 * 2 * 32 * 2
    assert f.kv_cache_bytes_per_token == per_token  # windows count as global per token
    assert f.kv_cache_bytes(100) == 100 * per_token
    assert f.kv_cache_bytes(4096) == 128 * per_token  # capped at the window

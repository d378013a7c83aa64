"""Grouped differential latent attention (Motif 3 Beta), by hand from its config.json."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from sphinx_llmarch.mechanisms import Stack
from sphinx_llmarch.mechanisms.gdla import GDLA

H = 4096  # hidden_size


def _gdla(**extra: Any) -> GDLA:
    spec = {
        "kind": "gdla",
        "heads": 80,  # num_attention_heads: 64 signal + 16 noise
        "kv_heads": 16,  # num_key_value_heads
        "noise_heads": 16,  # num_noise_heads
        "q_lora_rank": 1024,
        "kv_lora_rank": 512,
        "qk_nope_head_dim": 128,  # head_dim 192 - qk_rope_head_dim 64
        "qk_rope_head_dim": 64,
        "v_head_dim": 128,
        "position": {"kind": "rope", "theta": 10000.0},
    }
    return GDLA.model_validate({**spec, **extra})


def test_weights_by_hand() -> None:
    q = H * 1024 + 1024 + 1024 * 80 * 192  # wq_a, q_norm, wq_b
    kv = H * (512 + 64) + 512 + 512 * 16 * (128 + 128)  # wkv_a, kv_norm, wkv_b (16 heads)
    lam = H * 64  # lambda_proj: one per signal head
    out = 64 * 128 * H  # wo: signal heads only
    assert _gdla().params(H) == q + kv + lam + out
    gate = 1024 * 64 * 128  # wq_b_gate reads the query latent
    assert _gdla(output_gate="elementwise").params(H) == q + kv + lam + out + gate


def test_the_cache_is_the_latent() -> None:
    assert _gdla().cache_values_per_token() == 512 + 64
    assert _gdla(window=128).span() == 128


def test_groups_must_hold_one_noise_head_each() -> None:
    with pytest.raises(ValidationError, match="noise_heads equal kv_heads"):
        _gdla(noise_heads=8)


def test_words() -> None:
    local, full = _gdla(window=128), _gdla()
    stack = Stack(has_local=True)
    assert (local.mix_label(stack), full.mix_label(stack)) == ("sliding-window", "global")
    assert full.heads_text() == "64 signal + 16 noise heads, 16 KV heads, head dim 128+64"
    assert GDLA.merged_title([local, full], stack) == (
        "Grouped differential latent attention\n(sliding-window or global)"
    )
    gated = _gdla(output_gate="elementwise")
    assert "gated-attention" not in gated.concepts_used()
    assert {"gdla", "rope"} <= gated.concepts_used()
    assert gated.panel().concept == "gdla"

"""Keys as values (K = V, ``kv_shared`` in ``mechanisms/attention.py``) and QK-norm without
learned weights (``qk_norm: unscaled``).

K = V: Gemma 4's full-attention layers (``attention_k_eq_v``) have no value projection; the
key projection's output, normalised without a scale and not rotated, is the values, while
the keys are normalised with a scale and rotated, so the cache still holds both. Numbers:
Gemma 4 31B's config.json (``global_head_dim`` 512, ``num_global_key_value_heads`` 4).
Unscaled QK-norm: Muse Glimmer's ``qk_norm`` is an RMSNorm with ``with_scale=False``.
"""

from __future__ import annotations

from typing import Any

from sphinx_llmarch.mechanisms.attention import Attention
from sphinx_llmarch.mechanisms.sketch import Box

H = 5376


def _global(**extra: Any) -> Attention:
    spec = {
        "kind": "gqa",
        "heads": 32,
        "kv_heads": 4,
        "head_dim": 512,
        "qk_norm": "head",
        "position": {"kind": "p_rope", "theta": 1e6, "fraction": 0.25},
    }
    return Attention.model_validate({**spec, **extra})


def test_no_value_projection() -> None:
    q, k, v = 32 * 512, 4 * 512, 4 * 512
    norms = 2 * 512  # q_norm and k_norm; v_norm has no weights
    assert _global(kv_shared=True).params(H) == H * (q + k) + q * H + norms  # 187,171,840
    assert _global().params(H) - _global(kv_shared=True).params(H) == H * v


def test_the_cache_keeps_keys_and_values() -> None:
    # the reference code caches the rotated keys and the (different) unrotated values
    assert _global(kv_shared=True).cache_values_per_token() == 4 * (512 + 512)
    assert _global(kv_shared=True).cache_values_per_token() == _global().cache_values_per_token()


def test_its_words_and_concept() -> None:
    attn = _global(kv_shared=True)
    assert "K = V" in attn.flags()
    assert "values from the key projection (K = V)" in attn.notes()
    assert "k-eq-v" in attn.concepts_used()
    assert "k-eq-v" not in _global().concepts_used()


def test_unscaled_qk_norm_has_no_weights() -> None:
    muse = {"heads": 32, "kv_heads": 2, "head_dim": 128, "position": {"kind": "nope"}}
    unscaled = Attention.model_validate({"kind": "gqa", **muse, "qk_norm": "unscaled"})
    none = Attention.model_validate({"kind": "gqa", **muse})
    scaled = Attention.model_validate({"kind": "gqa", **muse, "qk_norm": "head"})
    assert unscaled.params(6656) == none.params(6656) == 6656 * (4096 + 256 + 256) + 4096 * 6656
    assert scaled.params(6656) - unscaled.params(6656) == 2 * 128
    assert unscaled.uses_qk_norm() and "qk-norm" in unscaled.concepts_used()


def test_unscaled_qk_norm_is_drawn_without_weights() -> None:
    spec = {
        "kind": "gqa",
        "heads": 32,
        "kv_heads": 2,
        "head_dim": 128,
        "output_gate": "elementwise",
    }
    gated = Attention.model_validate({**spec, "qk_norm": "unscaled", "position": {"kind": "nope"}})
    panel = gated.panel()
    assert panel is not None
    labels = {item.label for item in panel.items if isinstance(item, Box)}
    assert "RMSNorm\n(no weights)" in labels and "RMSNorm" not in labels

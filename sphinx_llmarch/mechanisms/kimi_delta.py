"""Kimi Delta Attention (KDA): delta-rule linear attention with a decay per channel (Kimi Linear).

Unlike Gated DeltaNet's one decay per head, KDA's decay and its output gate come from
low-rank projections with a value per key channel; sigmoids replace the SiLUs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, Literal

from .base import Concept, ConfigReader, ConfigSpec
from .delta_rule import DeltaRuleMixer
from .registry import register


@register
class KimiDeltaAttention(DeltaRuleMixer):
    """Kimi Delta Attention: linear attention with a delta-rule state and a decay per channel."""

    kind: Literal["kimi_delta"]

    NAME: ClassVar[str] = "Kimi Delta Attention"
    GATE_SYMBOL: ClassVar[str] = "σ"
    DECAY_LABEL: ClassVar[str] = "Linear (α per channel, β)"
    CONCEPTS: ClassVar[tuple[Concept, ...]] = (
        Concept("kimi-delta", "Kimi Delta Attention", 110, "attention"),
    )

    def params(self, hidden: int) -> int:
        h, key, value, dk = hidden, self.key_width, self.value_width, self.key_head_dim
        # channel-wise decay and output gate through low-rank projections
        proj = h * (2 * key + value) + h * self.value_heads
        low_rank = 2 * (h * dk + dk * key)
        return (
            proj
            + self.conv_params
            + low_rank
            + self.key_heads
            + key
            + self.value_head_dim
            + value * h
        )

    def concept(self) -> str:
        return "kimi-delta"

    @classmethod
    def import_name(cls, spec: ConfigSpec, specs: Sequence[ConfigSpec]) -> str:
        return "kda"


def from_config(c: ConfigReader) -> ConfigSpec:
    """Kimi Linear's ``linear_attn_config``."""
    cfg = c.get("linear_attn_config") or {}
    heads, dim = int(cfg.get("num_heads", 0)), int(cfg.get("head_dim", 0))
    return {
        "kind": "kimi_delta",
        "key_heads": heads,
        "value_heads": heads,
        "key_head_dim": dim,
        "value_head_dim": dim,
        "conv_kernel": int(cfg.get("short_conv_kernel_size", 4)),
    }

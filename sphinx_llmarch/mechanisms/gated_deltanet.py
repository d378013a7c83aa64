"""Gated DeltaNet: delta-rule linear attention with a scalar decay per head (Qwen3-Next, Qwen3.5).

Queries, keys and values pass a short convolution and SiLU; a per-head decay (α) and
step size (β) drive the state update, and a SiLU-gated RMSNorm shapes the output.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, Literal

from .base import Concept, ConfigReader, ConfigSpec
from .delta_rule import DeltaRuleMixer
from .registry import register
from .words import N_


@register
class GatedDeltaNet(DeltaRuleMixer):
    """Gated DeltaNet: linear attention with a delta-rule state and a decay per head."""

    kind: Literal["gated_deltanet"]

    NAME: ClassVar[str] = N_("Gated DeltaNet")
    GATE_SYMBOL: ClassVar[str] = "s"
    DECAY_LABEL: ClassVar[str] = N_("Linear (α, β)")
    CONCEPTS: ClassVar[tuple[Concept, ...]] = (
        Concept(
            "gated-deltanet",
            "Gated DeltaNet",
            100,
            "attention",
            ("GDN", "DeltaNet", "linear attention"),
        ),
    )

    def params(self, hidden: int) -> int:
        h, key, value = hidden, self.key_width, self.value_width
        # q, k, v and the output gate z; then the per-head decay and step size (a, b)
        proj = h * (2 * key + 2 * value) + h * 2 * self.value_heads
        return proj + self.conv_params + 2 * self.value_heads + self.value_head_dim + value * h

    def concept(self) -> str:
        return "gated-deltanet"

    @classmethod
    def import_name(cls, spec: ConfigSpec, specs: Sequence[ConfigSpec]) -> str:
        return "linear"


def from_config(c: ConfigReader) -> ConfigSpec:
    """The ``linear_*`` keys of the Qwen hybrids."""
    return {
        "kind": "gated_deltanet",
        "key_heads": c.int("linear_num_key_heads"),
        "value_heads": c.int("linear_num_value_heads"),
        "key_head_dim": c.int("linear_key_head_dim"),
        "value_head_dim": c.int("linear_value_head_dim"),
        "conv_kernel": c.int("linear_conv_kernel_dim"),
    }

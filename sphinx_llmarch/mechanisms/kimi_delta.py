"""Kimi Delta Attention (KDA): delta-rule linear attention with a decay per channel (Kimi Linear).

Unlike Gated DeltaNet's one decay per head, KDA's decay and its output gate have a value per
key channel, and the output gate is a sigmoid where Gated DeltaNet's is a SiLU (both keep a
SiLU after the short convolutions of the queries, keys and values).  Kimi Linear computes
the decay and the gate through low-rank projections (hidden → head dim → every channel);
later models make one or both full-rank.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, Literal

from pydantic import Field

from .base import Concept, ConfigReader, ConfigSpec
from .delta_rule import DeltaRuleMixer
from .registry import register
from .words import N_

Projection = Literal["low-rank", "full"]


@register
class KimiDeltaAttention(DeltaRuleMixer):
    """Kimi Delta Attention: linear attention with a delta-rule state and a decay per channel."""

    kind: Literal["kimi_delta"]
    decay_proj: Projection = Field(
        "low-rank",
        description="How the per-channel decay is projected: through the head dim, or full-rank.",
    )
    gate_proj: Projection = Field(
        "low-rank",
        description="How the output gate is projected: through the head dim, or full-rank.",
    )

    NAME: ClassVar[str] = N_("Kimi Delta Attention")
    GATE_SYMBOL: ClassVar[str] = "σ"
    DECAY_LABEL: ClassVar[str] = N_("Linear (α per channel, β)")
    CONCEPTS: ClassVar[tuple[Concept, ...]] = (
        Concept(
            "kimi-delta", "Kimi Delta Attention", 110, "attention", ("KDA", "linear attention")
        ),
    )
    FIELD_NAMES: ClassVar[dict[str, str]] = {
        "decay_proj": "KDA decay projection",
        "gate_proj": "KDA output-gate projection",
    }

    def _projection(self, kind: Projection, hidden: int, width: int) -> int:
        """Weights of a projection from ``hidden`` to ``width`` channels."""
        if kind == "full":
            return hidden * width
        return hidden * self.key_head_dim + self.key_head_dim * width

    def params(self, hidden: int) -> int:
        h, key, value = hidden, self.key_width, self.value_width
        proj = h * (2 * key + value) + h * self.value_heads  # Q, K, V and the step size β
        decay = self._projection(self.decay_proj, h, key)
        gate = self._projection(self.gate_proj, h, value)
        # A_log per head, the decay's bias per channel, the output norm's scale
        small = self.key_heads + key + self.value_head_dim
        return proj + self.conv_params + decay + gate + small + value * h

    def concept(self) -> str:
        return "kimi-delta"

    def notes(self) -> list[str]:
        full = [kind == "full" for kind in (self.decay_proj, self.gate_proj)]
        if all(full):
            return [N_("full-rank decay and output gate projections")]
        if full[0]:
            return [N_("full-rank decay projection")]
        return [N_("full-rank output gate projection")] if full[1] else []

    @classmethod
    def import_name(cls, spec: ConfigSpec, specs: Sequence[ConfigSpec]) -> str:
        return "kda"


def from_config(c: ConfigReader) -> ConfigSpec:
    """KDA from Kimi Linear's ``linear_attn_config``, or from top-level keys (Ling 3.0)."""
    cfg = c.get("linear_attn_config") or {}
    heads = int(cfg.get("num_heads") or c.int("num_attention_heads") or 0)
    dim = int(cfg.get("head_dim") or c.int("head_dim") or 0)
    kernel = cfg.get("short_conv_kernel_size") or c.int("short_conv_kernel_size") or 4
    spec: ConfigSpec = {
        "kind": "kimi_delta",
        "key_heads": heads,
        "value_heads": heads,
        "key_head_dim": dim,
        "value_head_dim": dim,
        "conv_kernel": int(kernel),
    }
    # every projection full-rank: Solar Open 2's kda_use_full_proj, Ling 3.0's no_kda_lora
    if c.get("kda_use_full_proj") or c.get("no_kda_lora"):
        spec["decay_proj"] = spec["gate_proj"] = "full"
    elif cfg.get("use_full_rank_gate"):  # Kimi K3: a full-rank output gate only
        spec["gate_proj"] = "full"
    c.mark("kda_use_full_proj", "no_kda_lora", "use_kda_lora", "kda_allow_neg_eigval")
    c.mark("kda_lower_bound", "kda_safe_gate", "num_kv_heads_for_linear_attn")
    return spec

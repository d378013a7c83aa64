"""Lightning Attention: linear attention computed blockwise, with a fixed state per head (Ling).

Softmax is dropped, so the keys and values seen so far fold into one head-dim-square
state per head; the output passes an RMSNorm and a sigmoid gate.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, Literal

from .attention_options import AttentionOptions, gate_nodes
from .base import Concept, ConfigReader, ConfigSpec, PosInt, Role, Stack
from .registry import register
from .sketch import Sketch
from .words import N_, Phrase


@register
class Lightning(AttentionOptions):
    """Lightning attention: linear attention computed blockwise."""

    kind: Literal["lightning"]
    heads: PosInt
    head_dim: PosInt

    ROLE: ClassVar[Role] = "linear"
    CONCEPTS: ClassVar[tuple[Concept, ...]] = (
        Concept("lightning", "Lightning Attention", 120, "attention", ("linear attention",)),
        *AttentionOptions.CONCEPTS,
    )

    @property
    def inner(self) -> int:
        return self.heads * self.head_dim

    def params(self, hidden: int) -> int:
        h, inner = hidden, self.inner
        qk = self.qk_norm_params(2 * self.head_dim, 2 * inner)
        gate = h * inner if self.gated else 0
        return 3 * h * inner + gate + inner + inner * h + qk

    def state_values(self) -> int:
        return self.heads * self.head_dim * self.head_dim

    def abbreviation(self) -> str:
        return "Lightning Attention"

    def title(self, stack: Stack) -> str:
        return self.abbreviation()

    def heads_text(self) -> str:
        return Phrase(N_("%(heads)s heads, head dim %(dim)s"), heads=self.heads, dim=self.head_dim)

    def concept(self) -> str:
        return "lightning"

    def concepts_used(self) -> set[str]:
        # its output gate is part of the kind, not gated attention
        return {"lightning", *self.option_concepts(gate_is_attention=False)}

    def panel(self) -> Sketch:
        s = Sketch("mixer-lightning", "Lightning Attention", "attn", "lightning", name="lightning")
        s.box("qkv", "Linear (Q, K, V)")
        s.box("la", "Lightning attention\n(linear, blockwise)", "linear")
        s.box("rn", "RMSNorm", "norm")
        gate_nodes(s)
        s.chain("in", "qkv", "la", "rn", "mul", "o", "out")
        s.chain("in", "gl", "sig", "mul")
        s.notes += [
            Phrase(N_("%(heads)s heads, head dim %(dim)s"), heads=self.heads, dim=self.head_dim),
            N_("a fixed-size state per head replaces the KV cache"),
        ]
        return s

    @classmethod
    def import_name(cls, spec: ConfigSpec, specs: Sequence[ConfigSpec]) -> str:
        return "lightning"


def from_config(c: ConfigReader, position: ConfigSpec) -> ConfigSpec:
    """Ling's linear layers: gated, with QK-norm when the config asks for it."""
    spec: ConfigSpec = {
        "kind": "lightning",
        "heads": c.int("num_kv_heads_for_linear_attn", "num_attention_heads"),
        "head_dim": c.int("head_dim") or 0,
        "output_gate": "elementwise",
    }
    if c.get("use_qk_norm"):
        spec["qk_norm"] = "head"
    spec["position"] = position
    return spec

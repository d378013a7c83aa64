"""What Gated DeltaNet and Kimi Delta Attention share: linear attention with a delta rule.

Each head keeps a key-by-value state matrix that every token updates (the delta rule,
with a learned decay), so memory stays fixed however long the sequence; short causal
convolutions, each followed by a SiLU, mix neighbouring tokens into the queries, keys and
values first.
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from .base import Mixer, PosInt, Role, Stack
from .sketch import Sketch
from .words import N_, Joined, Phrase

#: the operators the panels draw, and what each stands for
SYMBOLS = {"s": "SiLU", "σ": N_("sigmoid")}
#: the nonlinearity after the short convolutions: SiLU on queries, keys and values alike
CONV_SYMBOL = "s"


class DeltaRuleMixer(Mixer):
    """Linear attention with a delta-rule state; subclassed once per kind."""

    kind: str
    key_heads: PosInt
    value_heads: PosInt
    key_head_dim: PosInt
    value_head_dim: PosInt
    conv_kernel: PosInt = Field(description="Short causal convolution width.")

    ROLE: ClassVar[Role] = "linear"
    #: its name, on boxes and in layer mixes
    NAME: ClassVar[str]
    #: the nonlinearity of the output gate, as its panel draws it (a key of ``SYMBOLS``)
    GATE_SYMBOL: ClassVar[str]
    #: the box of the decay and step-size projections
    DECAY_LABEL: ClassVar[str]

    @property
    def key_width(self) -> int:
        return self.key_heads * self.key_head_dim

    @property
    def value_width(self) -> int:
        return self.value_heads * self.value_head_dim

    @property
    def conv_params(self) -> int:
        return (2 * self.key_width + self.value_width) * self.conv_kernel

    def state_values(self) -> int:
        state = self.value_heads * self.key_head_dim * self.value_head_dim
        window = (2 * self.key_width + self.value_width) * (self.conv_kernel - 1)
        return state + window

    def abbreviation(self) -> str:
        return self.NAME

    def title(self, stack: Stack) -> str:
        return self.NAME

    def heads_text(self) -> str:
        values = {"qk": self.key_heads, "v": self.value_heads, "dim": self.key_head_dim}
        if self.key_heads == self.value_heads:
            return Phrase(
                N_("%(heads)s heads, head dim %(dim)s"), heads=self.value_heads, dim=values["dim"]
            )
        return Phrase(N_("%(qk)s QK heads, %(v)s V heads, head dim %(dim)s"), **values)

    def concepts_used(self) -> set[str]:
        return {self.concept()}

    def panel(self) -> Sketch:
        s = Sketch(f"mixer-{self.kind}", self.NAME, "attn", self.concept(), name=self.kind)
        s.box("qk", "Linear (Q, K)")
        s.box("c1", "Conv", "conv")
        s.op("a1", CONV_SYMBOL)
        s.box("l2", "L2 norm", "norm")
        s.box("v", "Linear (V)")
        s.box("c2", "Conv", "conv")
        s.op("a2", CONV_SYMBOL)
        s.box("ab", self.DECAY_LABEL)
        rule = N_("Gated delta rule\nstate %(k)s × %(v)s per head")
        state = Phrase(rule, k=self.key_head_dim, v=self.value_head_dim)
        s.box("rule", state, "linear")
        s.box("rn", "RMSNorm", "norm")
        s.box("gl", "Linear (gate)")
        s.op("gs", self.GATE_SYMBOL)
        s.op("mul", "×")
        s.box("o", "Linear (out)")
        s.chain("in", "qk", "c1", "a1", "l2", "rule")
        s.chain("in", "v", "c2", "a2", "rule")
        s.chain("in", "ab", "rule")
        s.chain("in", "gl", "gs", "mul")
        s.chain("rule", "rn", "mul", "o", "out")
        legend = Joined(
            ", ",
            [
                Phrase(N_("%(symbol)s = %(name)s"), symbol=k, name=Phrase(v))
                for k, v in SYMBOLS.items()
                if k in (CONV_SYMBOL, self.GATE_SYMBOL)
            ],
        )
        heads = N_("%(k)s key heads, %(v)s value heads, conv width %(width)s")
        s.notes += [
            Phrase(heads, k=self.key_heads, v=self.value_heads, width=self.conv_kernel),
            Phrase(N_("%(legend)s; a fixed-size state replaces the KV cache"), legend=legend),
        ]
        return s

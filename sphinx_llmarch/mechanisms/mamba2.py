"""Mamba-2: a selective state-space mixer (Nemotron-H and its successors).

One input projection feeds a short convolution and the state-space update, whose
per-head state has ``state_size`` entries per channel; a SiLU gate, an RMSNorm and an
output projection follow.  Memory is fixed, as with linear attention.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, Literal

from .base import Concept, ConfigReader, ConfigSpec, Mixer, PosInt, Role, Stack
from .registry import register
from .sketch import Sketch
from .words import N_, Phrase


@register
class Mamba2(Mixer):
    """A Mamba-2 selective state-space mixer."""

    kind: Literal["mamba2"]
    heads: PosInt
    head_dim: PosInt
    state_size: PosInt
    groups: PosInt
    conv_kernel: PosInt

    ROLE: ClassVar[Role] = "state-space"
    CONCEPTS: ClassVar[tuple[Concept, ...]] = (
        Concept("mamba2", "Mamba-2", 130, "attention", ("SSM", "state space model")),
    )

    @property
    def inner(self) -> int:
        return self.heads * self.head_dim

    @property
    def conv_width(self) -> int:
        return self.inner + 2 * self.groups * self.state_size

    def params(self, hidden: int) -> int:
        h, inner = hidden, self.inner
        in_proj = h * (2 * inner + 2 * self.groups * self.state_size + self.heads)
        conv = self.conv_width * self.conv_kernel + self.conv_width
        return in_proj + conv + 3 * self.heads + inner + inner * h

    def state_values(self) -> int:
        return self.inner * self.state_size + self.conv_width * (self.conv_kernel - 1)

    def abbreviation(self) -> str:
        return "Mamba-2"

    def title(self, stack: Stack) -> str:
        return self.abbreviation()

    def heads_text(self) -> str:
        text = N_("%(heads)s heads, head dim %(dim)s, state %(state)s")
        return Phrase(text, heads=self.heads, dim=self.head_dim, state=self.state_size)

    def concept(self) -> str:
        return "mamba2"

    def concepts_used(self) -> set[str]:
        return {"mamba2"}

    def panel(self) -> Sketch:
        s = Sketch("mixer-mamba2", "Mamba-2", "attn", "mamba2", name="mamba2")
        s.box("lin", "Linear (in)")
        s.box("conv", "Conv1D", "conv")
        update = Phrase(N_("SSM state update\n(state %(state)s)"), state=self.state_size)
        s.box("ssm", update, "ssm")
        s.op("gate", "s")
        s.op("mul", "×")
        s.box("rn", "RMSNorm", "norm")
        s.box("o", "Linear (out)")
        s.chain("in", "lin", "conv", "ssm", "mul", "rn", "o", "out")
        s.chain("lin", "gate", "mul")
        heads = N_("%(heads)s heads × %(dim)s, %(groups)s groups, conv width %(width)s")
        values = {"heads": self.heads, "dim": self.head_dim, "groups": self.groups}
        s.notes += [
            Phrase(heads, width=self.conv_kernel, **values),
            N_("s = SiLU gate; a fixed-size state replaces the KV cache"),
        ]
        return s

    @classmethod
    def import_name(cls, spec: ConfigSpec, specs: Sequence[ConfigSpec]) -> str:
        return "mamba"


def from_config(c: ConfigReader) -> ConfigSpec:
    """Nemotron-H's ``mamba_*`` keys."""
    return {
        "kind": "mamba2",
        "heads": c.int("mamba_num_heads"),
        "head_dim": c.int("mamba_head_dim"),
        "state_size": c.int("ssm_state_size"),
        "groups": c.int("n_groups"),
        "conv_kernel": c.int("conv_kernel"),
    }

"""mLSTM: the matrix-memory LSTM cell of xLSTM, a gated recurrent mixer with no attention.

Each head keeps a matrix memory of query-key width by value width, a normaliser vector
and a running maximum of the gates.  Every token writes its key-value outer product
into the memory, weighted by an exponential input gate and decayed by a forget gate;
its query reads the memory back.  A per-head norm and a sigmoid output gate shape the
result.  Memory is fixed however long the sequence: there is no KV cache.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, Literal

from pydantic import Field, StrictBool

from .base import Concept, ConfigReader, ConfigSpec, Mixer, PosInt, Role, Stack
from .registry import register
from .sketch import Sketch
from .words import N_, Phrase


@register
class MLSTM(Mixer):
    """An mLSTM layer (xLSTM 7B): matrix memory per head, exponential gating."""

    kind: Literal["mlstm"]
    heads: PosInt
    qk_head_dim: PosInt = Field(description="Query and key width per head.")
    v_head_dim: PosInt = Field(description="Value width per head (the memory's other side).")
    gate_soft_cap: float | None = Field(
        None, gt=0, description="Input and forget gate pre-activations squashed to ±cap (tanh)."
    )
    bias: StrictBool = Field(False, description="Biases on its projections and head norm.")

    ROLE: ClassVar[Role] = "linear"
    CONCEPTS: ClassVar[tuple[Concept, ...]] = (
        Concept("mlstm", "mLSTM (matrix-memory LSTM)", 137, "attention"),
    )
    FIELD_NAMES: ClassVar[dict[str, str]] = {"gate_soft_cap": "gate soft-cap"}

    @property
    def qk_width(self) -> int:
        return self.heads * self.qk_head_dim

    @property
    def v_width(self) -> int:
        return self.heads * self.v_head_dim

    def params(self, hidden: int) -> int:
        h, qk, v = hidden, self.qk_width, self.v_width
        # query, key, value and output gate; input and forget gates (one per head, with bias)
        total = h * (2 * qk + 2 * v) + 2 * (h * self.heads + self.heads)
        total += v + v * h  # the per-head norm's scale, the output projection
        if self.bias:
            total += 2 * qk + 2 * v + v + h
        return total

    def state_values(self) -> int:
        # per head: the memory matrix, the normaliser and the running gate maximum
        return self.heads * (self.qk_head_dim * self.v_head_dim + self.qk_head_dim + 1)

    def abbreviation(self) -> str:
        return "mLSTM"

    def title(self, stack: Stack) -> str:
        return N_("mLSTM (matrix memory)")

    def phrase(self) -> str:
        return "mLSTM recurrence"

    def flags(self) -> list[str]:
        return [f"gate soft-cap {self.gate_soft_cap:g}"] if self.gate_soft_cap else []

    def heads_text(self) -> str:
        text = N_("%(heads)s heads, QK dim %(qk)s, V dim %(v)s")
        return Phrase(text, heads=self.heads, qk=self.qk_head_dim, v=self.v_head_dim)

    def notes(self) -> list[str]:
        return [N_("no KV cache: a fixed memory per head")]

    def concept(self) -> str:
        return "mlstm"

    def concepts_used(self) -> set[str]:
        return {"mlstm"}

    def panel(self) -> Sketch:
        s = Sketch("mixer-mlstm", "mLSTM layer", "attn", "mlstm", name="mlstm")
        s.box("qk", "Linear (Q, K)")
        s.box("v", "Linear (V)")
        s.box("if", "Linear (input and\nforget gates)")
        capped = N_("Gate activations\n(soft-capped at %(cap)s)")
        cap = Phrase(capped, cap=f"{self.gate_soft_cap:g}") if self.gate_soft_cap else None
        s.box("cap", cap or N_("Gate activations"), "act")
        update = N_("Matrix memory update\n%(qk)s × %(v)s per head")
        memory = Phrase(update, qk=self.qk_head_dim, v=self.v_head_dim)
        s.box("cell", memory, "linear")
        s.box("ln", "Norm per head", "norm")
        s.box("og", "Linear (output gate)")
        s.op("sig", "σ")
        s.op("mul", "×")
        s.box("o", "Linear (out)")
        s.chain("in", "qk", "cell")
        s.chain("in", "v", "cell")
        s.chain("in", "if", "cap", "cell")
        s.chain("cell", "ln", "mul", "o", "out")
        s.chain("in", "og", "sig", "mul")
        s.notes += [
            Phrase(
                N_("%(heads)s heads; queries and keys %(qk)s wide, values %(v)s"),
                heads=self.heads,
                qk=self.qk_head_dim,
                v=self.v_head_dim,
            ),
            N_("exponential input gate, sigmoid forget gate"),
            N_("the memory replaces the KV cache: its size does not grow with the context"),
        ]
        return s

    @classmethod
    def import_name(cls, spec: ConfigSpec, specs: Sequence[ConfigSpec]) -> str:
        return "mlstm"


def from_config(c: ConfigReader) -> ConfigSpec:
    """xLSTM's keys: the widths are the model width times ``qk_dim_factor`` / ``v_dim_factor``."""
    hidden = c.int("embedding_dim", "hidden_size") or 0
    heads = c.int("num_heads") or 1
    qk = int(hidden * float(c.get("qk_dim_factor", default=0.5)))
    v = int(hidden * float(c.get("v_dim_factor", default=1.0)))
    spec: ConfigSpec = {
        "kind": "mlstm",
        "heads": heads,
        "qk_head_dim": qk // heads,
        "v_head_dim": v // heads,
    }
    cap = c.get("gate_soft_cap")
    if cap:
        spec["gate_soft_cap"] = float(cap)
    if c.get("use_bias"):
        spec["bias"] = True
    c.mark("head_dim", "mlstm_round_up_to_multiple_of", "igate_bias_init_range", "cell_norm_eps")
    return spec

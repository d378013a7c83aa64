"""What every attention-like mixer may add: QK-norm, an output gate, biases, its positions.

Softmax attention, MLA and Lightning Attention share these options; each mixer counts
their weights in its own geometry.  Gated attention (a gate on the attention output,
usually a sigmoid, a softplus in Laguna) and QK-norm are concepts of their own.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field, model_validator

from .base import Concept, Mixer, PositionScheme
from .registry import PositionField
from .sketch import Sketch
from .words import N_, Joined, Phrase

QKNorm = Literal["none", "head", "layer", "unscaled"]
OutputGate = Literal["none", "elementwise", "headwise"]
GateFunction = Literal["sigmoid", "softplus"]

QK_NORM = Concept("qk-norm", "QK-norm", 250)
GATED_ATTENTION = Concept("gated-attention", "Gated attention", 80, "attention")


class AttentionOptions(Mixer):
    """Options of attention-like mixers; the mixers subclass it."""

    qk_norm: QKNorm = Field(
        "none",
        description="'head': one norm shared by all heads; 'layer': across all heads; "
        "'unscaled': per head, with no learned weights.",
    )
    output_gate: OutputGate = Field(
        "none", description="Gate on the attention output (gated attention)."
    )
    gate_function: GateFunction = Field(
        "sigmoid", description="The output gate's nonlinearity: sigmoid, or softplus (Laguna)."
    )
    bias: Literal["none", "qkv", "all"] = Field(
        "none", description="Biases on the Q/K/V projections, or on all four."
    )
    position: PositionField

    CONCEPTS: ClassVar[tuple[Concept, ...]] = (QK_NORM, GATED_ATTENTION)
    FIELD_NAMES: ClassVar[dict[str, str]] = {
        "qk_norm": "QK-norm",
        "bias": "attention bias",
        "output_gate": "output gate",
        "gate_function": "output gate function",
    }

    @model_validator(mode="after")
    def _gate_function_needs_a_gate(self) -> AttentionOptions:
        if self.gate_function != "sigmoid" and self.output_gate == "none":
            raise ValueError("'gate_function' needs an 'output_gate'")
        return self

    def position_scheme(self) -> PositionScheme:
        return self.position

    def uses_qk_norm(self) -> bool:
        return self.qk_norm != "none"

    @property
    def gated(self) -> bool:
        return self.output_gate != "none"

    def qk_norm_params(self, per_head: int, across_heads: int) -> int:
        """Weights of QK-norm: a ``per_head`` vector shared by the heads, or ``across_heads``."""
        return {"none": 0, "head": per_head, "layer": across_heads, "unscaled": 0}[self.qk_norm]

    def gate_params(self, elementwise: int, headwise: int) -> int:
        return {"none": 0, "elementwise": elementwise, "headwise": headwise}[self.output_gate]

    def gate_note(self) -> str:
        """'a sigmoid gate scales the attention output', one per head when headwise."""
        if self.output_gate == "headwise":
            text = N_("a %(function)s gate, one per head, scales the attention output")
        else:
            text = N_("a %(function)s gate scales the attention output")
        return Phrase(text, function=Phrase(self.gate_function))

    def bias_note(self) -> list[str]:
        if self.bias == "none":
            return []
        return [N_("QKV biases") if self.bias == "qkv" else N_("biases")]

    def flags(self) -> list[str]:
        return (["QK-norm"] if self.uses_qk_norm() else []) + (
            ["attention bias"] if self.bias != "none" else []
        )

    def notes(self) -> list[str]:
        features = self.bias_note()
        return [Joined(", ", features)] if features else []

    def option_concepts(self, gate_is_attention: bool = True) -> set[str]:
        """Concepts of the options and positions in use; ``gate_is_attention=False`` for
        mixers whose output gate is part of the kind rather than gated attention."""
        found = set(self.position.concepts_used())
        if self.gated and gate_is_attention:
            found.add(GATED_ATTENTION.key)
        if self.uses_qk_norm():
            found.add(QK_NORM.key)
        return found


def qk_inputs(s: Sketch, sources: dict[str, str], normed: bool, norm: str = "RMSNorm") -> None:
    """Queries and keys (``sources``: 'q'/'k' → the node that gives them) into 'sdpa', each
    through its ``norm`` when the layer has QK-norm."""
    for proj, source in sources.items():
        if normed:
            s.box(f"{proj}n", norm, "norm")
            s.chain(source, f"{proj}n", "sdpa")
        else:
            s.chain(source, "sdpa")


def gate_nodes(s: Sketch, label: str = "Linear (gate)", function: str = "sigmoid") -> None:
    """An output gate in a panel: its projection, its nonlinearity, the product, the output
    layer."""
    s.box("gl", label)
    if function == "sigmoid":
        s.op("sig", "σ")
    else:  # a word does not fit an operator's circle
        s.box("sig", function.capitalize(), "act")
    s.op("mul", "×")
    s.box("o", "Linear (out)")


def heads_phrase(heads: int, kv_heads: int, dim: int) -> Phrase:
    """'32 heads, 8 KV heads, head dim 128' (or '1 KV head')."""
    kv = (
        Phrase(N_("1 KV head"))
        if kv_heads == 1
        else Phrase(N_("%(count)s KV heads"), count=kv_heads)
    )
    return Phrase(N_("%(heads)s heads, %(kv)s, head dim %(dim)s"), heads=heads, kv=kv, dim=dim)

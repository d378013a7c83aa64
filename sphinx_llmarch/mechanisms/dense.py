"""A dense feed-forward block: one MLP that every token passes through."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, Literal

from pydantic import Field, StrictBool

from . import activations
from .activations import ACTIVATIONS
from .base import Concept, ConfigReader, ConfigSpec, FamilyTraits, FeedForward, PosInt, Stack
from .registry import register
from .words import N_, Phrase


@register
class DenseFFN(FeedForward):
    kind: Literal["dense"]
    hidden: PosInt = Field(description="Intermediate (hidden) size.")
    activation: activations.Name
    bias: StrictBool = False

    CONCEPTS: ClassVar[tuple[Concept, ...]] = activations.CONCEPTS
    MIX_LABEL: ClassVar[str] = "FFN"
    TITLE: ClassVar[str] = N_("Feed forward")
    CSS: ClassVar[str] = "ffn"

    def params(self, hidden: int) -> tuple[int, int]:
        n = activations.mlp_params(hidden, self.hidden, self.activation, self.bias)
        return n, n

    def activation_name(self) -> str:
        return self.activation

    def hidden_text(self) -> str:
        return f"{self.hidden:,}"

    def compare_text(self) -> str:
        return f"{ACTIVATIONS[self.activation].label}, hidden {self.hidden:,}"

    def note(self) -> str:
        return Phrase(N_("dense FFN, hidden size %(size)s"), size=f"{self.hidden:,}")

    def phrase(self) -> str:
        return f"{ACTIVATIONS[self.activation].label} feed-forward of {self.hidden:,}"

    def concepts_used(self, stack: Stack) -> set[str]:
        return {ACTIVATIONS[self.activation].concept.key}

    @classmethod
    def import_name(cls, spec: ConfigSpec, specs: Sequence[ConfigSpec]) -> str:
        return "dense" if len(specs) > 1 else "mlp"


def from_config(c: ConfigReader, fam: FamilyTraits) -> ConfigSpec:
    hidden = c.int(fam.dense_hidden_key) if fam.dense_hidden_key else None
    if hidden is not None and c.data.get("intermediate_size") == c.data.get(
        "moe_intermediate_size"
    ):
        c.mark("intermediate_size")  # MiniMax M3: the experts' width, spelt twice
    if hidden is None:
        hidden = c.int("intermediate_size", "n_inner", "ffn_dim")
    if hidden is None:
        hidden = 4 * (c.int("n_embd", "hidden_size") or 0)  # GPT-2's default
    spec: ConfigSpec = {
        "kind": "dense",
        "hidden": hidden,
        "activation": activations.from_config(c, fam),
    }
    if fam.learned_positions:  # GPT-2's MLPs have biases
        spec["bias"] = True
    c.mark("mlp_bias")
    return spec

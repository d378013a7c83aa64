"""Gated short convolution: a depthwise causal convolution between two input-dependent gates
(LFM2's convolution layers).

One projection produces three streams of the layer's width, B, C and x.  B gates x, a
depthwise causal convolution of a few taps mixes each channel with the previous tokens,
and C gates the result before the output projection.  The only memory of the past is
the last ``kernel - 1`` gated inputs of each channel: a small fixed state, no KV cache.
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
class ShortConv(Mixer):
    """A gated depthwise short convolution (LFM2's ``conv`` layers)."""

    kind: Literal["short_conv"]
    width: PosInt = Field(description="Channels of the gates and the convolution.")
    kernel: PosInt = Field(description="Taps of the causal convolution (LFM2's conv_L_cache).")
    bias: StrictBool = Field(False, description="Biases on the projections and the convolution.")

    ROLE: ClassVar[Role] = "linear"
    CONCEPTS: ClassVar[tuple[Concept, ...]] = (
        Concept("short-conv", "Gated short convolution", 135, "attention"),
    )
    FIELD_NAMES: ClassVar[dict[str, str]] = {"bias": "convolution bias"}

    def params(self, hidden: int) -> int:
        w = self.width
        # in_proj (B, C, x), the depthwise filter, out_proj
        total = hidden * 3 * w + w * self.kernel + w * hidden
        if self.bias:
            total += 3 * w + w + hidden
        return total

    def state_values(self) -> int:
        # the gated inputs of the last kernel - 1 tokens, one per channel
        return self.width * (self.kernel - 1)

    def abbreviation(self) -> str:
        return N_("short conv")

    def mix_label(self, stack: Stack) -> str:
        return "short convolution"

    def row_label(self, stack: Stack) -> str:
        return "short conv"

    def title(self, stack: Stack) -> str:
        return N_("Gated short convolution")

    def phrase(self) -> str:
        return f"gated short convolution (kernel {self.kernel})"

    def heads_text(self) -> str:
        text = N_("%(width)s channels, kernel %(kernel)s")
        return Phrase(text, width=f"{self.width:,}", kernel=self.kernel)

    def notes(self) -> list[str]:
        text = N_("no KV cache; state of %(count)s inputs per channel")
        return [Phrase(text, count=self.kernel - 1)]

    def concept(self) -> str:
        return "short-conv"

    def concepts_used(self) -> set[str]:
        return {"short-conv"}

    def panel(self) -> Sketch:
        s = Sketch("mixer-short-conv", "Gated short convolution", "attn", "short-conv")
        s.box("lin", "Linear (in)\n→ B, C, x")
        s.op("bx", "×")
        conv = Phrase(N_("Depthwise causal conv\n(kernel %(kernel)s)"), kernel=self.kernel)
        s.box("conv", conv, "conv")
        s.op("cy", "×")
        s.box("o", "Linear (out)")
        s.chain("in", "lin", "bx", "conv", "cy", "o", "out")
        s.edge("lin", "cy")
        s.notes += [
            Phrase(
                N_("%(width)s channels; B gates x, C gates the convolution's output"),
                width=f"{self.width:,}",
            ),
            Phrase(
                N_("state: the last %(count)s gated inputs per channel, no KV cache"),
                count=self.kernel - 1,
            ),
        ]
        return s

    @classmethod
    def import_name(cls, spec: ConfigSpec, specs: Sequence[ConfigSpec]) -> str:
        return "conv"


def from_config(c: ConfigReader) -> ConfigSpec:
    """LFM2's ``conv_*`` keys; the width is the model width when ``conv_dim`` is absent."""
    spec: ConfigSpec = {
        "kind": "short_conv",
        "width": c.int("conv_dim", "hidden_size"),
        "kernel": c.int("conv_L_cache"),
    }
    if c.get("conv_bias"):
        spec["bias"] = True
    c.mark("conv_use_xavier_init")
    return spec

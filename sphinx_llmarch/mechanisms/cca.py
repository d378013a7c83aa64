"""Compressed convolutional attention (CCA): softmax attention run in a narrow latent space whose
queries and keys are mixed along the sequence by short convolutions (Zyphra's ZAYA1).

Queries, keys and values are projected down to a latent narrower than the model (grouped
like GQA), so the cache holds few values per token.  Two causal convolutions, one per
channel and one per head, mix the queries and keys of neighbouring tokens; each keeps a
residual path of the projection.  Half of the value channels come from the previous
token's projection.  Queries and keys are L2-normalised, keys scaled by a learned
temperature per KV head, then rotated and attended as usual; one projection brings the
output back to the model width.  Besides its KV cache a layer keeps the convolutions'
last inputs and the previous token's delayed values: a small fixed state.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, Literal

from pydantic import Field, StrictBool, model_validator

from .attention_options import heads_phrase
from .base import (
    Concept,
    ConfigReader,
    ConfigSpec,
    Mixer,
    PosInt,
    PositionScheme,
    Role,
    Stack,
)
from .registry import PositionField, register
from .sketch import Sketch
from .words import N_, Phrase


@register
class CompressedConvAttention(Mixer):
    """Compressed convolutional attention with grouped key/value heads (ZAYA1)."""

    kind: Literal["cca"]
    heads: PosInt
    kv_heads: PosInt
    head_dim: PosInt
    channel_kernel: PosInt = Field(description="Taps of the per-channel convolution (cca_time0).")
    head_kernel: PosInt = Field(description="Taps of the per-head convolution (cca_time1).")
    bias: StrictBool = Field(False, description="Biases on the projections (attention_bias).")
    position: PositionField

    ROLE: ClassVar[Role] = "attention"
    CONCEPTS: ClassVar[tuple[Concept, ...]] = (
        Concept("cca", "Compressed convolutional attention (CCA)", 45, "attention"),
    )
    FIELD_NAMES: ClassVar[dict[str, str]] = {"bias": "attention bias"}

    @model_validator(mode="after")
    def _grouped(self) -> CompressedConvAttention:
        if self.heads % self.kv_heads:
            raise ValueError(
                f"heads ({self.heads}) must be a multiple of kv_heads ({self.kv_heads})"
            )
        if (self.kv_heads * self.head_dim) % 2:
            raise ValueError("the value width must be even: half of it is delayed by a token")
        return self

    @property
    def q_width(self) -> int:
        return self.heads * self.head_dim

    @property
    def kv_width(self) -> int:
        return self.kv_heads * self.head_dim

    @property
    def conv_channels(self) -> int:
        """Queries and keys side by side: the channels both convolutions mix."""
        return self.q_width + self.kv_width

    def params(self, hidden: int) -> int:
        h, q, kv, c = hidden, self.q_width, self.kv_width, self.conv_channels
        # q, k and the two halves of v (current and delayed), then the output projection
        total = h * q + 2 * h * kv + q * h
        # per-channel filter and per-head filter (groups of head_dim channels), with biases
        total += c * self.channel_kernel + c
        total += c * self.head_dim * self.head_kernel + c
        total += self.kv_heads  # the keys' temperature per KV head
        if self.bias:
            total += q + 2 * kv + h
        return total

    def cache_values_per_token(self) -> int:
        return 2 * self.kv_width  # keys and values, kv_heads of head_dim each

    def state_values(self) -> int:
        # the convolutions' past inputs, and the previous token's delayed value half
        past = (self.channel_kernel - 1) + (self.head_kernel - 1)
        return self.conv_channels * past + self.kv_width // 2

    def position_scheme(self) -> PositionScheme:
        return self.position

    def abbreviation(self) -> str:
        return "CCA"

    def title(self, stack: Stack) -> str:
        return N_("Compressed convolutional attention")

    def phrase(self) -> str:
        return f"CCA ({self.heads} query heads, {self.kv_heads} KV heads)"

    def flags(self) -> list[str]:
        return ["Q/K L2 norm"]

    def heads_text(self) -> str:
        return heads_phrase(self.heads, self.kv_heads, self.head_dim)

    def notes(self) -> list[str]:
        text = N_("latent %(width)s wide; conv kernels %(channel)s and %(head)s")
        values = {"channel": self.channel_kernel, "head": self.head_kernel}
        return [Phrase(text, width=f"{self.q_width:,}", **values)]

    def concept(self) -> str:
        return "cca"

    def concepts_used(self) -> set[str]:
        return {"cca", *self.position.concepts_used()}

    def panel(self) -> Sketch:
        s = Sketch("mixer-cca", "Compressed convolutional attention", "attn", "cca", name="cca")
        to = N_("Linear (Q, K)\nto %(q)s + %(kv)s")
        qk = Phrase(to, q=f"{self.q_width:,}", kv=f"{self.kv_width:,}")
        s.box("qk", qk)
        s.box("conv", "Causal convs on Q, K\n(per channel, per head)", "conv")
        s.op("res", "+")
        s.box("v", "Linear (V: current\nand previous token)")
        s.box("l2", "L2 norm, key scale", "norm")
        s.box("sdpa", "Attention in the latent\n(partial RoPE)", "attn")
        out = Phrase(N_("Linear (out)\n%(width)s → model width"), width=f"{self.q_width:,}")
        s.box("o", out)
        s.chain("in", "qk", "conv", "res", "l2", "sdpa", "o", "out")
        s.edge("qk", "res")
        s.chain("in", "v", "sdpa")
        s.notes += [
            Phrase(
                N_("%(heads)s query heads, %(kv)s KV heads of %(dim)s"),
                heads=self.heads,
                kv=self.kv_heads,
                dim=self.head_dim,
            ),
            N_("caches keys and values in the latent, plus a small convolution state"),
        ]
        return s

    @classmethod
    def import_name(cls, spec: ConfigSpec, specs: Sequence[ConfigSpec]) -> str:
        return "cca"


def from_config(c: ConfigReader, position: ConfigSpec) -> ConfigSpec:
    """ZAYA's attention keys: heads, KV heads, head size and the two ``cca_time`` kernels."""
    spec: ConfigSpec = {
        "kind": "cca",
        "heads": c.int("num_attention_heads"),
        "kv_heads": c.int("num_key_value_heads"),
        "head_dim": c.head_dim(),
        "channel_kernel": c.int("cca_time0"),
        "head_kernel": c.int("cca_time1"),
    }
    if c.get("attention_bias"):
        spec["bias"] = True
    spec["position"] = position
    return spec

"""Short convolutions inside softmax attention: keys and values mixed with their neighbours.

A depthwise causal convolution of a few taps runs along the sequence over the projected
keys and over the projected values, each channel with its own weights, before they enter
the cache; its output is added to its input. Inkling also passes each sub-layer's output
(attention and feed-forward) through such a convolution at model width before the
residual add. Decoding keeps the last ``kernel - 1`` inputs of every convolution: a small
fixed state beside the KV cache.
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from .attention_options import qk_inputs
from .base import Concept, ConfigReader, ConfigSpec, PosInt, Spec
from .sketch import Sketch
from .words import N_, Phrase

ATTENTION_CONV = Concept("attention-conv", "Short convolutions in attention", 96)


class AttentionConv(Spec):
    """Depthwise causal convolutions over the keys and values (and the sub-layer outputs)."""

    kernel: PosInt = Field(description="Taps of each convolution (the current token included).")
    output_width: PosInt | None = Field(
        None,
        description="Width of the convolutions on each sub-layer's output (attention and "
        "feed-forward) before the residual add, when the layer has them: the model width.",
    )

    CONCEPTS: ClassVar[tuple[Concept, ...]] = (ATTENTION_CONV,)

    def _widths(self, kv_width: int) -> int:
        """Channels convolved in one layer: keys, values and the two sub-layer outputs."""
        return 2 * kv_width + 2 * (self.output_width or 0)

    def params(self, kv_width: int) -> int:
        """One weight per channel and tap, no bias."""
        return self._widths(kv_width) * self.kernel

    def state_values(self, kv_width: int) -> int:
        """The last ``kernel - 1`` inputs of every convolution."""
        return self._widths(kv_width) * (self.kernel - 1)

    def note(self) -> str:
        where = (
            N_("keys, values and sub-layer outputs") if self.output_width else N_("keys and values")
        )
        text = N_("short convolutions (%(taps)s taps) on %(where)s")
        return Phrase(text, taps=self.kernel, where=Phrase(where))

    def panel(self, *, qk_norm: bool, bias: str) -> Sketch:
        """Attention with its convolutions: Q, K, V; K and V convolved; the output convolved.

        One panel serves every layer type of a model (local and global alike)."""
        title = N_("Attention with short convolutions")
        s = Sketch("mixer-attention-conv", title, "attn", ATTENTION_CONV.key, name="aconv")
        s.box("q", "Linear (Q)")
        s.box("k", "Linear (K)")
        s.box("v", "Linear (V)")
        conv = Phrase(N_("Conv (%(taps)s taps)"), taps=self.kernel)
        s.box("kc", conv, "conv")
        s.box("vc", conv, "conv")
        biased = Phrase(N_("Attention\n+ %(bias)s"), bias=bias)
        s.box("sdpa", biased, "attn")
        s.box("o", "Linear (out)")
        s.chain("in", "q")
        s.chain("in", "k", "kc")
        s.chain("in", "v", "vc", "sdpa")
        qk_inputs(s, {"q": "q", "k": "kc"}, qk_norm)
        s.chain("sdpa", "o")
        if self.output_width:
            s.box("oc", conv, "conv")
            s.chain("o", "oc", "out")
        else:
            s.chain("o", "out")
        s.notes.append(N_("depthwise causal convolutions, each added to its input"))
        if self.output_width:
            s.notes.append(N_("the feed-forward output is convolved the same way"))
        return s


def from_config(c: ConfigReader) -> ConfigSpec | None:
    """Inkling's ``use_sconv``: keys, values and both sub-layer outputs convolved."""
    if not c.get("use_sconv"):
        c.mark("use_sconv", "sconv_kernel_size")
        return None
    return {"kernel": c.int("sconv_kernel_size"), "output_width": c.int("hidden_size")}

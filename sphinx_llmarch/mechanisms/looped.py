"""Looped depth: the whole layer stack runs several times over, with the same weights.

A looped (recurrent-depth) model stores its layers once and applies them ``passes``
times in a row to every token: the second pass starts from the residual stream the
first one left.  The parameters count once; the compute, and a key/value cache that
each pass keeps for itself, count once per pass.  Nanbeige 4.2 normalises the stream
with its final norm between passes as well as at the end.

This is a feature of the model as a whole, not of one layer type: the schema's
``architecture.loop``.
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field, StrictBool, StrictInt

from .base import Concept, ConfigReader, ConfigSpec, Spec
from .sketch import Sketch
from .words import N_, Phrase

CONCEPT = Concept("looped-depth", "Looped depth", 295)

_TIMES = {2: N_("twice"), 3: N_("three times")}


class LoopedDepth(Spec):
    """The layer stack runs ``passes`` times per token, with shared weights."""

    passes: StrictInt = Field(ge=2, description="How many times the stack runs (num_loops).")
    norm_between: StrictBool = Field(
        True, description="The final norm's weights also normalise the stream between passes."
    )
    shared_cache: StrictBool = Field(
        False, description="All passes share one KV cache per layer instead of one each."
    )

    FIELD_NAMES: ClassVar[dict[str, str]] = {"passes": "looped depth"}

    @property
    def times(self) -> str:
        """'twice', 'three times', '5 times'."""
        return Phrase(_TIMES.get(self.passes, N_("%(count)s times")), count=self.passes)

    def cache_passes(self) -> int:
        """How many times each layer's cache is kept: once per pass unless shared."""
        return 1 if self.shared_cache else self.passes

    def short_text(self) -> str:
        """'× 2 passes (same weights)': after the layer count in the diagram's footer."""
        return Phrase(N_("× %(count)s passes (same weights)"), count=self.passes)

    def fact_text(self, layers: int) -> str:
        """The fact table's sentence on it."""
        cache = "one KV cache for all passes" if self.shared_cache else "each pass its own KV cache"
        return (
            f"The {layers} layers run {self.times} with the same weights "
            f"({layers * self.passes} layer passes per token; {cache})"
        )

    def block_label(self, layers: int) -> str:
        """The repeat count on the diagram's block: '22 ×, run twice'."""
        return Phrase(N_("%(count)s ×, run %(times)s"), count=layers, times=self.times)

    def loop_label(self) -> str:
        """The label of the edge that takes the stream back into the block."""
        if self.passes == 2:
            return N_("pass 2\n(same weights)")
        return Phrase(N_("passes 2–%(last)s\n(same weights)"), last=self.passes)

    def concepts_used(self) -> set[str]:
        return {CONCEPT.key}

    def panel(self, layers: int, norm: str) -> Sketch:
        """The passes one after another, as a side panel."""
        title = Phrase(N_("Looped depth (%(times)s)"), times=self.times)
        s = Sketch("looped", title, "attn", CONCEPT.key)
        previous = "in"
        again = N_("Pass %(i)s: layers 1–%(layers)s\n(same weights)")
        for i in range(1, self.passes + 1):
            text = Phrase(
                again if i > 1 else N_("Pass %(i)s: layers 1–%(layers)s"), i=i, layers=layers
            )
            s.box(f"pass{i}", text)
            s.chain(previous, f"pass{i}")
            previous = f"pass{i}"
            if i < self.passes and self.norm_between:
                between = Phrase(N_("%(norm)s\n(final norm's weights)"), norm=norm)
                s.box(f"norm{i}", between, "norm")
                s.chain(previous, f"norm{i}")
                previous = f"norm{i}"
        s.chain(previous, "out")
        stored = N_("%(layers)s layers stored once, %(applied)s applied per token")
        s.notes += [
            Phrase(stored, layers=layers, applied=layers * self.passes),
            N_("each pass keeps its own KV cache")
            if not self.shared_cache
            else N_("the passes share one KV cache"),
        ]
        return s


def from_config(c: ConfigReader) -> ConfigSpec | None:
    """The loop of a config with ``num_loops`` > 1 (Nanbeige 4.2); None otherwise."""
    passes = c.int("num_loops")
    c.mark("loop_loss_weights")  # weights of each pass's training loss
    if not passes or passes < 2:
        return None
    spec: ConfigSpec = {"passes": passes}
    if c.get("skip_loop_final_norm"):
        spec["norm_between"] = False
    if c.get("loop_share_kv"):
        spec["shared_cache"] = True
    return spec

"""Block attention residuals (Kimi K3): each sub-layer reads a learned mix of earlier outputs.

A plain residual stream hands every sub-layer the running sum of all earlier outputs.  With
attention residuals the layers are grouped into blocks of ``block_size``; the stream keeps
the embedding, one summary per finished block (the sum of its outputs) and the running sum
of the current block.  Before the mixer and before the feed-forward block, a sub-layer
scores each of these sources with one learned vector (the "query"), takes a softmax over
them and reads their weighted sum; the model's final norm reads the stream the same way.
The weights are small: per sub-layer an RMSNorm scale for the sources and the query, both
as wide as the model.  The summaries are computed per token within the forward pass, so
no cache grows with the sequence.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from .base import Concept, ConfigReader, ConfigSpec, PosInt
from .modelwide import Feature
from .registry import register
from .sketch import Sketch
from .words import N_, Phrase

#: per layer, the mixer's and the feed-forward block's reading of the stream
READS_PER_LAYER = 2


@register
class AttentionResiduals(Feature):
    """Block attention residuals: sub-layers read a softmax mix of block summaries."""

    kind: Literal["attention_residuals"]
    block_size: PosInt = Field(description="Layers whose outputs are summed into one source.")

    CONCEPTS: ClassVar[tuple[Concept, ...]] = (
        Concept("attention-residuals", "Attention residuals", 292),
    )

    def params(self, hidden: int, layers: int) -> int:
        # every reading of the stream has a norm scale and a 1-output projection (the query);
        # the final norm's input is one more reading
        reads = READS_PER_LAYER * layers + 1
        return reads * 2 * hidden

    def label(self) -> str:
        return f"block attention residuals (blocks of {self.block_size} layers)"

    def note(self) -> str:
        text = N_("attention residuals: sub-layers read a learned mix of %(size)s-layer block sums")
        return Phrase(text, size=self.block_size)

    def concept(self) -> str:
        return "attention-residuals"

    def panel(self) -> Sketch:
        s = Sketch("attn-res", "Attention residuals", "attn", "attention-residuals")
        s.box("blocks", "Embedding and\nblock summaries", "cache")
        s.box("partial", "Running sum of\nthis block")
        s.box("norm", "RMSNorm\n(each source)", "norm")
        s.box("score", "Score: · query\n(learned vector)", "linear")
        s.box("soft", "Softmax over\nsources", "router")
        s.op("mix", "Σ")
        s.chain("in", "blocks", "norm", "score", "soft", "mix", "out")
        s.chain("in", "partial", "norm")
        s.edge("blocks", "mix", "route")
        s.edge("partial", "mix", "route")
        s.same_rank("blocks", "partial")
        s.notes += [
            Phrase(
                N_("a block's outputs are summed into one source every %(size)s layers"),
                size=self.block_size,
            ),
            N_("read before each mixer, each feed-forward block and the final norm"),
        ]
        return s


def from_config(c: ConfigReader) -> ConfigSpec | None:
    """Kimi K3's ``attn_res_block_size``; None when the config has none."""
    size = c.int("attn_res_block_size")
    return {"kind": "attention_residuals", "block_size": size} if size else None

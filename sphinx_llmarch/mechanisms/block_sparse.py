"""Block-sparse attention (MiniMax Sparse Attention, MSA): GQA that reads only chosen key blocks.

The past is cut into fixed blocks of tokens.  A small index branch (a few query heads and
one key head of its own) scores every block for the current query, taking the best
token's score as the block's; the attention then reads only the top-scoring blocks plus
the query's own local block.  The layer keeps its full key/value cache, and the cache
also holds each token's index key; what shrinks is the part of it each query reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, Literal

from pydantic import Field, NonNegativeInt, model_validator

from .attention import Attention, kind_for
from .attention_options import AttentionOptions, heads_phrase
from .base import Concept, ConfigReader, ConfigSpec, PosInt, Role, Spec, Stack
from .registry import register
from .sketch import Sketch
from .words import N_, Joined, Phrase


class BlockIndex(Spec):
    """The index branch that picks the key blocks each query reads."""

    heads: PosInt = Field(description="Index query heads (sparse_num_index_heads).")
    head_dim: PosInt = Field(description="Width of each index head and of the index key.")
    block_size: PosInt = Field(description="Tokens per key block (sparse_block_size).")
    top_blocks: PosInt = Field(description="Blocks each query selects (sparse_topk_blocks).")
    local_blocks: NonNegativeInt = Field(
        0, description="Most recent blocks always read (sparse_local_block)."
    )
    initial_blocks: NonNegativeInt = Field(
        0, description="First blocks of the sequence always read (sparse_init_block)."
    )
    score: Literal["max"] = Field(
        "max", description="How token scores make a block's score: its best token's."
    )

    def params(self, hidden: int, normed: bool) -> int:
        """Index queries and the one index key head; their RMSNorms when the layer has QK-norm."""
        return hidden * (self.heads + 1) * self.head_dim + (2 * self.head_dim if normed else 0)

    def read_text(self) -> str:
        """'the top 16 blocks of 128 tokens and the local block'."""
        top = N_("the top %(count)s blocks of %(size)s tokens")
        parts = [Phrase(top, count=self.top_blocks, size=f"{self.block_size:,}")]
        if self.initial_blocks:
            parts.append(Phrase(N_("the first %(count)s"), count=self.initial_blocks))
        if self.local_blocks == 1:
            parts.append(Phrase(N_("the local block")))
        elif self.local_blocks:
            parts.append(Phrase(N_("the last %(count)s"), count=self.local_blocks))
        if len(parts) == 1:
            return parts[0]
        some = Joined(", ", parts[:-1])
        return Phrase(N_("%(some)s and %(last)s"), some=some, last=parts[-1])


@register
class BlockSparseAttention(AttentionOptions):
    """Grouped-query attention over the key blocks a light index selects for each query."""

    kind: Literal["block_sparse"]
    heads: PosInt
    kv_heads: PosInt
    head_dim: PosInt
    index: BlockIndex

    ROLE: ClassVar[Role] = "attention"
    CONCEPTS: ClassVar[tuple[Concept, ...]] = (
        Concept("block-sparse", "Block-sparse attention (MSA)", 72, "attention"),
        *AttentionOptions.CONCEPTS,
    )

    @model_validator(mode="after")
    def _heads_divide(self) -> BlockSparseAttention:
        if self.heads % self.kv_heads:
            raise ValueError(
                f"heads ({self.heads}) must be a multiple of kv_heads ({self.kv_heads})"
            )
        return self

    def dense(self) -> Attention:
        """The same heads as plain softmax attention: the weights and cache it builds on."""
        fields = ("heads", "kv_heads", "head_dim", "qk_norm", "output_gate", "gate_function")
        spec = {name: getattr(self, name) for name in fields}
        spec.update(kind=kind_for(self.heads, self.kv_heads), bias=self.bias)
        return Attention.model_validate({**spec, "position": self.position})

    # ------------------------------------------------------------------ figures

    def params(self, hidden: int) -> int:
        return self.dense().params(hidden) + self.index.params(hidden, self.uses_qk_norm())

    def cache_values_per_token(self) -> int:
        """Keys and values of the KV heads, plus the token's one index key."""
        return self.dense().cache_values_per_token() + self.index.head_dim

    # ------------------------------------------------------------------ wording

    def abbreviation(self) -> str:
        return Phrase(N_("block-sparse %(kind)s"), kind=self.dense().abbreviation())

    def mix_label(self, stack: Stack) -> str:
        return "block-sparse"

    def title(self, stack: Stack) -> str:
        return Phrase(N_("Block-sparse %(base)s"), base=Phrase(self.dense().title(stack).lower()))

    def phrase(self) -> str:
        idx = self.index
        return f"{self.abbreviation()} (top-{idx.top_blocks} blocks of {idx.block_size:,})"

    def heads_text(self) -> str:
        return self.dense().heads_text()

    def notes(self) -> list[str]:
        idx = self.index
        index = N_("index: %(heads)s heads × %(dim)s, one key head (cached)")
        return [
            Phrase(N_("each query reads %(blocks)s"), blocks=idx.read_text()),
            Phrase(index, heads=idx.heads, dim=idx.head_dim),
            *super().notes(),
        ]

    # ------------------------------------------------------------------ concepts, drawing

    def concept(self) -> str:
        return "block-sparse"

    def concepts_used(self) -> set[str]:
        return {"block-sparse", self.dense().kind, *self.option_concepts()}

    def panel(self) -> Sketch:
        idx = self.index
        s = Sketch("mixer-block-sparse", "Block-sparse attention", "attn", "block-sparse")
        normed = self.uses_qk_norm()
        for proj in ("q", "k", "v"):
            s.box(proj, f"Linear ({proj.upper()})")
            s.chain("in", proj)
        over = N_("Attention over\nselected blocks\n(%(heads)s heads)")
        attention = Phrase(over, heads=self.heads)
        s.box("sdpa", attention, "attn")
        for proj in ("q", "k"):
            if normed:
                s.box(f"{proj}n", "RMSNorm", "norm")
                s.chain(proj, f"{proj}n", "sdpa")
            else:
                s.chain(proj, "sdpa")
        s.chain("v", "sdpa")
        index = Phrase(N_("Linear (index)\n%(heads)s query heads\n+ 1 key head"), heads=idx.heads)
        s.box("idx", index, "linear")
        over = N_("Block scores\n(%(score)s over\n%(size)s tokens)")
        scores = Phrase(over, score=idx.score, size=idx.block_size)
        s.box("scores", scores, "linear")
        top = Phrase(N_("Top-%(count)s blocks\n+ local block"), count=idx.top_blocks)
        s.box("topk", top, "router")
        s.chain("in", "idx", "scores", "topk")
        s.edge("topk", "sdpa", "route")
        s.box("o", "Linear (out)")
        s.chain("sdpa", "o", "out")
        s.notes += [
            heads_phrase(self.heads, self.kv_heads, self.head_dim),
            Phrase(N_("each query reads %(blocks)s"), blocks=idx.read_text()),
        ]
        return s

    @classmethod
    def import_name(cls, spec: ConfigSpec, specs: Sequence[ConfigSpec]) -> str:
        return "sparse"


def from_config(c: ConfigReader, dense: ConfigSpec, layer: int) -> ConfigSpec:
    """Layer ``layer``'s attention: ``dense`` (a softmax-attention spec) or, where
    sparse_attention_config marks the layer sparse, the same heads over selected blocks."""
    cfg = c.get("sparse_attention_config") or {}
    if not cfg.get("use_sparse_attention") or not cfg.get("sparse_attention_freq", [])[layer]:
        c.mark("sparse_attention_config")
        return dense
    if not cfg.get("sparse_disable_index_value", [1] * (layer + 1))[layer]:
        raise ValueError("an index branch with values and an output projection is not modelled")
    c.mark("sparse_attention_config")
    spec = {k: v for k, v in dense.items() if k != "kind"}
    spec["kind"] = "block_sparse"
    spec["index"] = {
        "heads": int(cfg["sparse_num_index_heads"]),
        "head_dim": int(cfg["sparse_index_dim"]),
        "block_size": int(cfg["sparse_block_size"]),
        "top_blocks": int(cfg["sparse_topk_blocks"]),
        "local_blocks": int(cfg.get("sparse_local_block", 0)),
        "initial_blocks": int(cfg.get("sparse_init_block", 0)),
        "score": str(cfg.get("sparse_score_type", "max")),
    }
    return spec

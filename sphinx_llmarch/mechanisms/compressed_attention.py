"""Compressed attention (DeepSeek V4): a sliding window plus a compressed history.

Every layer projects each token to one key-value vector of ``head_dim`` values, shared by
all query heads and read both as key and as value (multi-query attention with K = V), and
keeps it for the last ``window`` tokens.  A compressed layer also pools each block of
``compress_ratio`` tokens into one further entry of ``head_dim`` values (a softmax-gated
sum of the tokens' projections, with a learned bias per position in the block) and keeps
all of those: queries attend to the window and to the compressed entries together.

* ``compress_ratio`` 0: the window only.
* Compressed sparse attention (CSA): a small ratio (4) with ``overlap`` (each entry pools
  its own block and the one before, from two projections) and a lightning ``indexer``
  that scores the compressed entries with a few small heads and lets each query read only
  the ``top_k`` best of them.
* Heavily compressed attention (HCA): a large ratio (128), no overlap, no indexer: every
  query reads every compressed entry.

Queries come through a low-rank bottleneck (``q_lora_rank``); the heads' outputs are
projected in ``o_groups`` groups down to ``o_lora_rank`` each and then mixed to the model
width.  Each head has a learned attention sink.

Pure: no Sphinx, no docutils, no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, Literal

from pydantic import Field, StrictBool, model_validator

from .attention import kind_for
from .base import (
    Concept,
    ConfigReader,
    ConfigSpec,
    Mixer,
    NonNegInt,
    PosInt,
    PositionScheme,
    Role,
    Spec,
    Stack,
)
from .mla import indexer_nodes
from .registry import PositionField, register
from .sketch import Sketch
from .words import N_

COMPRESSED = Concept("compressed-attention", "Compressed attention (CSA, HCA)", 75, "attention")


class CompressedIndexer(Spec):
    """The lightning indexer of a CSA layer: it picks the compressed entries a query reads."""

    index_heads: PosInt
    index_head_dim: PosInt
    top_k: PosInt = Field(description="Compressed entries each query reads.")


@register
class CompressedAttention(Mixer):
    """Multi-query attention over a sliding window and, optionally, compressed entries."""

    kind: Literal["compressed_attention"]
    heads: PosInt
    head_dim: PosInt = Field(description="Width of the one shared key-value vector (K = V).")
    q_lora_rank: PosInt
    o_groups: PosInt = Field(description="Groups of heads in the low-rank output projection.")
    o_lora_rank: PosInt = Field(description="Width each group is projected down to.")
    window: PosInt = Field(description="Recent tokens kept uncompressed (sliding window).")
    compress_ratio: NonNegInt = Field(description="Tokens pooled into one entry; 0: none.")
    overlap: StrictBool = Field(
        False, description="Each entry pools its own block and the previous one (CSA)."
    )
    indexer: CompressedIndexer | None = None
    sinks: StrictBool = Field(True, description="A learned attention-sink logit per head.")
    position: PositionField

    ROLE: ClassVar[Role] = "attention"
    CONCEPTS: ClassVar[tuple[Concept, ...]] = (COMPRESSED,)
    FIELD_NAMES: ClassVar[dict[str, str]] = {"sinks": "attention sinks"}

    @model_validator(mode="after")
    def _consistent(self) -> CompressedAttention:
        ratio = self.compress_ratio
        if not ratio and (self.overlap or self.indexer):
            raise ValueError("'overlap' and 'indexer' need a compress_ratio")
        if ratio and self.head_dim % ratio:
            raise ValueError(f"head_dim ({self.head_dim}) must be a multiple of compress_ratio")
        if ratio and self.indexer and self.indexer.index_head_dim % ratio:
            raise ValueError("index_head_dim must be a multiple of compress_ratio")
        if (self.heads * self.head_dim) % self.o_groups:
            raise ValueError("heads × head_dim must split into o_groups")
        return self

    # ------------------------------------------------------------------ figures

    def _compressor(self, hidden: int, width: int) -> int:
        """Projections to kv and gate, a bias per block position, the entries' RMSNorm."""
        series = 2 if self.overlap else 1
        return 2 * hidden * series * width + self.compress_ratio * series * width + width

    def params(self, hidden: int) -> int:
        h, d, heads = hidden, self.head_dim, self.heads
        q = h * self.q_lora_rank + self.q_lora_rank + self.q_lora_rank * heads * d
        kv = h * d + d  # one shared key-value vector and its RMSNorm
        out = heads * d * self.o_lora_rank + self.o_groups * self.o_lora_rank * h
        total = q + kv + out + (heads if self.sinks else 0)
        if self.compress_ratio:
            total += self._compressor(h, d)
        if self.indexer:
            idx = self.indexer
            total += self._compressor(h, idx.index_head_dim)
            total += self.q_lora_rank * idx.index_heads * idx.index_head_dim  # index queries
            total += h * idx.index_heads  # per-token weights of the index heads
        return total

    def compressed_values_per_token(self) -> int:
        """Values one token adds to the compressed history (main entries and index keys)."""
        if not self.compress_ratio:
            return 0
        keys = self.indexer.index_head_dim if self.indexer else 0
        return (self.head_dim + keys) // self.compress_ratio

    def cache_values_per_token(self) -> int:
        return self.head_dim + self.compressed_values_per_token()

    def cache_parts(self) -> list[tuple[int, int | None]]:
        parts: list[tuple[int, int | None]] = [(self.head_dim, self.window)]
        if self.compress_ratio:
            parts.append((self.compressed_values_per_token(), None))
        return parts

    def span(self) -> int | None:
        return None if self.compress_ratio else self.window

    def position_scheme(self) -> PositionScheme:
        return self.position

    # ------------------------------------------------------------------ wording

    def abbreviation(self) -> str:
        if not self.compress_ratio:
            return "sliding-window MQA"
        return "CSA" if self.indexer else "HCA"

    def mix_label(self, stack: Stack) -> str:
        return "sliding-window" if not self.compress_ratio else self.abbreviation()

    def row_label(self, stack: Stack) -> str:
        if not self.compress_ratio:
            return "sliding-window MQA"
        return f"{self.abbreviation()} (÷{self.compress_ratio})"

    def title(self, stack: Stack) -> str:
        if not self.compress_ratio:
            return N_("Sliding-window multi-query attention")
        kind = "Compressed sparse" if self.indexer else "Heavily compressed"
        return f"{kind} attention"

    @classmethod
    def merged_title(cls, mixers: Sequence[Mixer], stack: Stack) -> str | None:
        """'Compressed attention (CSA / HCA / window only)\\n+ 128-token window' for all kinds."""
        own = [m for m in mixers if isinstance(m, CompressedAttention)]
        if len(own) != len(mixers):
            return None
        kinds = dict.fromkeys(m.abbreviation() if m.compress_ratio else "window only" for m in own)
        windows = " / ".join(dict.fromkeys(f"{m.window:,}" for m in own))
        return f"Compressed attention ({' / '.join(kinds)})\n+ {windows}-token window"

    def phrase(self) -> str:
        if not self.compress_ratio:
            return f"sliding-window MQA ({self.window:,})"
        top = f", top-{self.indexer.top_k:,}" if self.indexer else ""
        return f"{self.abbreviation()} (÷{self.compress_ratio}{top})"

    def flags(self) -> list[str]:
        return ["K = V", *(["attention sinks"] if self.sinks else [])]

    def heads_text(self) -> str:
        return f"{self.heads} heads, 1 KV head (K = V), head dim {self.head_dim}"

    def notes(self) -> list[str]:
        lines = [
            f"window of {self.window:,} tokens",
            f"output: {self.o_groups} groups → {self.o_lora_rank:,} each",
        ]
        if self.compress_ratio:
            text = f"{self.abbreviation()}: 1 entry per {self.compress_ratio} tokens"
            if self.indexer:
                idx = self.indexer
                text += f"; indexer {idx.index_heads} × {idx.index_head_dim}, top-{idx.top_k:,}"
            lines.append(text)
        return lines

    # ------------------------------------------------------------------ concepts, drawing

    def concept(self) -> str:
        return COMPRESSED.key if self.compress_ratio else "sliding-window"

    def concepts_used(self) -> set[str]:
        # one key-value head for all query heads: the concept of multi-query attention
        found = {kind_for(self.heads, 1), "sliding-window", *self.position.concepts_used()}
        found.update({COMPRESSED.key} if self.compress_ratio else set())
        found.update({"attention-sinks"} if self.sinks else set())
        return found

    def panel(self) -> Sketch | None:
        """The internals of a compressed layer; a window-only layer needs no panel."""
        if not self.compress_ratio:
            return None
        name = self.abbreviation().lower()
        title = f"{self.title(Stack())} ({name.upper()})"
        s = Sketch(f"mixer-{name}", title, "attn", COMPRESSED.key, name=name)
        s.box("qd", f"Linear (down)\n→ {self.q_lora_rank:,}")
        s.box("qn", "RMSNorm", "norm")
        s.box("qu", f"Linear (up)\n→ {self.heads} × {self.head_dim}")
        s.chain("in", "qd", "qn", "qu")
        s.box("kv", f"Linear → {self.head_dim}\n(K = V) + RMSNorm")
        s.box("win", f"Last {self.window:,} tokens\n(cached)", "cache")
        s.chain("in", "kv", "win")
        pooled = "2 × " if self.overlap else ""
        s.box("cmp", f"Gated pooling of\n{pooled}{self.compress_ratio} tokens", "linear")
        s.box("mem", f"1 entry per {self.compress_ratio} tokens\n(cached)", "cache")
        s.chain("in", "cmp", "mem")
        s.box("sdpa", f"Attention\n({self.heads} heads, sinks)", "attn")
        s.chain("qu", "sdpa")
        s.chain("win", "sdpa")
        s.chain("mem", "sdpa")
        if self.indexer:
            idx = self.indexer
            indexer_nodes(s, "qn", (idx.index_heads, idx.index_head_dim, idx.top_k), N_("entries"))
        s.box("oa", f"Linear per group\n{self.o_groups} × → {self.o_lora_rank:,}")
        s.box("ob", "Linear (out)")
        s.chain("sdpa", "oa", "ob", "out")
        per_token = f"{self.head_dim // self.compress_ratio}"
        if self.indexer:
            keys = self.indexer.index_head_dim // self.compress_ratio
            per_token += f" + {keys} (index keys)"
        s.notes += [
            f"cache: {self.head_dim} values for each of the last {self.window:,} tokens",
            f"+ {per_token} values per token of compressed history",
        ]
        if self.indexer:
            s.notes.append(f"each query reads {self.indexer.top_k:,} compressed entries")
        return s

    @classmethod
    def import_name(cls, spec: ConfigSpec, specs: Sequence[ConfigSpec]) -> str:
        ratio = spec["compress_ratio"]
        if not ratio:
            return "swa"
        return "csa" if spec.get("indexer") else "hca"


def from_config(c: ConfigReader, ratio: int, position: ConfigSpec) -> ConfigSpec:
    """One layer type of DeepSeek V4 from its keys and its entry of ``compress_ratios``."""
    spec: ConfigSpec = {
        "kind": "compressed_attention",
        "heads": c.int("num_attention_heads"),
        "head_dim": c.int("head_dim"),
        "q_lora_rank": c.int("q_lora_rank"),
        "o_groups": c.int("o_groups"),
        "o_lora_rank": c.int("o_lora_rank"),
        "window": c.int("sliding_window"),
        "compress_ratio": ratio,
    }
    c.mark("num_key_value_heads", "compress_ratios", "attention_bias", "attention_dropout")
    if ratio == 4:  # the reference code overlaps and indexes exactly the ratio-4 layers
        spec["overlap"] = True
        spec["indexer"] = {
            "index_heads": c.int("index_n_heads"),
            "index_head_dim": c.int("index_head_dim"),
            "top_k": c.int("index_topk"),
        }
    spec["position"] = position
    return spec

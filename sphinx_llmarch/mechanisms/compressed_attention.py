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

from .attention import SPAN_KIND, kind_for
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
from .sketch import DOWN, Sketch
from .words import N_, Joined, Phrase

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
            return Phrase(SPAN_KIND, span=Phrase(N_("sliding-window")), kind="MQA")
        return f"{self.abbreviation()} (÷{self.compress_ratio})"

    def title(self, stack: Stack) -> str:
        if not self.compress_ratio:
            return N_("Sliding-window multi-query attention")
        return (
            N_("Compressed sparse attention")
            if self.indexer
            else N_("Heavily compressed attention")
        )

    @classmethod
    def merged_title(cls, mixers: Sequence[Mixer], stack: Stack) -> str | None:
        """'Compressed attention (CSA / HCA / window only)\\n+ 128-token window' for all kinds."""
        own = [m for m in mixers if isinstance(m, CompressedAttention)]
        if len(own) != len(mixers):
            return None
        kinds = dict.fromkeys(
            m.abbreviation() if m.compress_ratio else Phrase(N_("window only")) for m in own
        )
        windows = " / ".join(dict.fromkeys(f"{m.window:,}" for m in own))
        text = N_("Compressed attention (%(kinds)s)\n+ %(window)s-token window")
        return Phrase(text, kinds=Joined(" / ", kinds), window=windows)

    def phrase(self) -> str:
        if not self.compress_ratio:
            return f"sliding-window MQA ({self.window:,})"
        top = f", top-{self.indexer.top_k:,}" if self.indexer else ""
        return f"{self.abbreviation()} (÷{self.compress_ratio}{top})"

    def flags(self) -> list[str]:
        return ["K = V", *(["attention sinks"] if self.sinks else [])]

    def heads_text(self) -> str:
        text = N_("%(heads)s heads, 1 KV head (K = V), head dim %(dim)s")
        return Phrase(text, heads=self.heads, dim=self.head_dim)

    def notes(self) -> list[str]:
        output = N_("output: %(groups)s groups → %(rank)s each")
        lines: list[str] = [
            Phrase(N_("window of %(count)s tokens"), count=f"{self.window:,}"),
            Phrase(output, groups=self.o_groups, rank=f"{self.o_lora_rank:,}"),
        ]
        if self.compress_ratio:
            values = {"kind": self.abbreviation(), "ratio": self.compress_ratio}
            if idx := self.indexer:
                text = N_(
                    "%(kind)s: 1 entry per %(ratio)s tokens; "
                    "indexer %(heads)s × %(dim)s, top-%(top)s"
                )
                values |= {"heads": idx.index_heads, "dim": idx.index_head_dim}
                values["top"] = f"{idx.top_k:,}"
            else:
                text = N_("%(kind)s: 1 entry per %(ratio)s tokens")
            lines.append(Phrase(text, **values))
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

    def _boxes(self) -> dict[str, str]:
        """The labels of the panel's boxes that carry the layer's sizes."""
        return {
            "qd": Phrase(DOWN, size=f"{self.q_lora_rank:,}"),
            "qu": Phrase(
                N_("Linear (up)\n→ %(heads)s × %(dim)s"), heads=self.heads, dim=self.head_dim
            ),
            "kv": Phrase(N_("Linear → %(dim)s\n(K = V) + RMSNorm"), dim=self.head_dim),
            "win": Phrase(N_("Last %(count)s tokens\n(cached)"), count=f"{self.window:,}"),
            "cmp": Phrase(
                N_("Gated pooling of\n2 × %(ratio)s tokens")
                if self.overlap
                else N_("Gated pooling of\n%(ratio)s tokens"),
                ratio=self.compress_ratio,
            ),
            "mem": Phrase(N_("1 entry per %(ratio)s tokens\n(cached)"), ratio=self.compress_ratio),
            "sdpa": Phrase(N_("Attention\n(%(heads)s heads, sinks)"), heads=self.heads),
            "oa": Phrase(
                N_("Linear per group\n%(groups)s × → %(rank)s"),
                groups=self.o_groups,
                rank=f"{self.o_lora_rank:,}",
            ),
        }

    def panel(self) -> Sketch | None:
        """The internals of a compressed layer; a window-only layer needs no panel."""
        if not self.compress_ratio:
            return None
        name = self.abbreviation().lower()
        title = Phrase(
            N_("%(title)s (%(kind)s)"), title=Phrase(self.title(Stack())), kind=name.upper()
        )
        s = Sketch(f"mixer-{name}", title, "attn", COMPRESSED.key, name=name)
        boxes = self._boxes()
        s.box("qd", boxes["qd"])
        s.box("qn", "RMSNorm", "norm")
        s.box("qu", boxes["qu"])
        s.chain("in", "qd", "qn", "qu")
        s.box("kv", boxes["kv"])
        s.box("win", boxes["win"], "cache")
        s.chain("in", "kv", "win")
        s.box("cmp", boxes["cmp"], "linear")
        s.box("mem", boxes["mem"], "cache")
        s.chain("in", "cmp", "mem")
        s.box("sdpa", boxes["sdpa"], "attn")
        s.chain("qu", "sdpa")
        s.chain("win", "sdpa")
        s.chain("mem", "sdpa")
        if self.indexer:
            idx = self.indexer
            indexer_nodes(s, "qn", (idx.index_heads, idx.index_head_dim, idx.top_k), N_("entries"))
        s.box("oa", boxes["oa"])
        s.box("ob", "Linear (out)")
        s.chain("sdpa", "oa", "ob", "out")
        per_token: str = f"{self.head_dim // self.compress_ratio}"
        if self.indexer:
            keys = self.indexer.index_head_dim // self.compress_ratio
            per_token = Phrase(
                N_("%(values)s + %(keys)s (index keys)"), values=per_token, keys=keys
            )
        recent = N_("cache: %(dim)s values for each of the last %(count)s tokens")
        history = N_("+ %(values)s values per token of compressed history")
        s.notes += [
            Phrase(recent, dim=self.head_dim, count=f"{self.window:,}"),
            Phrase(history, values=per_token),
        ]
        if self.indexer:
            reads = N_("each query reads %(count)s compressed entries")
            s.notes.append(Phrase(reads, count=f"{self.indexer.top_k:,}"))
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

"""Multi-head latent attention (MLA), and DeepSeek sparse attention (DSA) on top of it.

MLA caches one low-rank latent per token instead of per-head keys and values, plus a
small key that carries RoPE; the heads' keys and values are projected up from the
latent.  DSA adds a lightning indexer that picks, for each query, the top-k past tokens
the attention then looks at.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, Literal

from pydantic import Field

from .attention_options import AttentionOptions
from .base import (
    Concept,
    ConfigReader,
    ConfigSpec,
    NonNegInt,
    PosInt,
    Role,
    Spec,
    Stack,
)
from .registry import register
from .sketch import Sketch


class SparseIndexer(Spec):
    """DeepSeek sparse attention: a lightning indexer selects the top-k past tokens."""

    kind: Literal["dsa"] = "dsa"
    index_heads: PosInt
    index_head_dim: PosInt
    top_k: PosInt

    def params(self, hidden: int, query_in: int) -> int:
        return (
            query_in * self.index_heads * self.index_head_dim
            + hidden * self.index_head_dim
            + 2 * self.index_head_dim
            + hidden * self.index_heads
        )


@register
class MLA(AttentionOptions):
    """Multi-head latent attention: keys and values cached as one low-rank latent."""

    kind: Literal["mla"]
    heads: PosInt
    q_lora_rank: PosInt | None = Field(description="Query latent rank; null for a full-rank query.")
    kv_lora_rank: PosInt
    qk_nope_head_dim: PosInt
    qk_rope_head_dim: NonNegInt = Field(description="Decoupled RoPE key/query part per head.")
    v_head_dim: PosInt
    sparse: SparseIndexer | None = None

    ROLE: ClassVar[Role] = "attention"
    CONCEPTS: ClassVar[tuple[Concept, ...]] = (
        Concept("mla", "Multi-head latent attention (MLA)", 40, "attention"),
        Concept("dsa", "DeepSeek sparse attention (DSA)", 70, "attention"),
        *AttentionOptions.CONCEPTS,
    )

    def params(self, hidden: int) -> int:
        h = hidden
        qk_dim = self.qk_nope_head_dim + self.qk_rope_head_dim
        if self.q_lora_rank:
            r = self.q_lora_rank
            q = h * r + r + r * self.heads * qk_dim
        else:
            q = h * self.heads * qk_dim
        kv = h * (self.kv_lora_rank + self.qk_rope_head_dim) + self.kv_lora_rank
        kv += self.kv_lora_rank * self.heads * (self.qk_nope_head_dim + self.v_head_dim)
        out = self.heads * self.v_head_dim * h
        total = q + kv + out
        if self.sparse:
            total += self.sparse.params(h, self.q_lora_rank or h)
        total += self.qk_norm_params(2 * qk_dim, 2 * self.heads * qk_dim)
        total += self.gate_params(h * self.heads * self.v_head_dim, h * self.heads)
        return total + self.position.layer_params(h, self.heads)

    def cache_values_per_token(self) -> int:
        return self.kv_lora_rank + self.qk_rope_head_dim

    def abbreviation(self) -> str:
        return "MLA + DSA" if self.sparse else "MLA"

    def title(self, stack: Stack) -> str:
        return "Multi-head latent attention" + (" + DSA" if self.sparse else "")

    def phrase(self) -> str:
        return f"MLA + DSA (top-{self.sparse.top_k:,})" if self.sparse else "MLA"

    def heads_text(self) -> str:
        return f"{self.heads} heads, head dim {self.qk_nope_head_dim}+{self.qk_rope_head_dim}"

    def concept(self) -> str:
        return "mla"

    def concepts_used(self) -> set[str]:
        return {"mla", *(["dsa"] if self.sparse else []), *self.option_concepts()}

    def panel(self) -> Sketch:
        title = "Multi-head latent attention" + (
            " + DeepSeek sparse attention" if self.sparse else ""
        )
        s = Sketch("mixer-mla", title, "attn", "mla", name="mla")
        if self.q_lora_rank:
            s.box("qd", f"Linear (down)\n→ {self.q_lora_rank:,}")
            s.box("qn", "RMSNorm", "norm")
            s.box("qu", "Linear (up)")
            s.chain("in", "qd", "qn", "qu")
        else:
            s.box("qu", "Linear (Q)")
            s.chain("in", "qu")
        latent, rope = self.kv_lora_rank, self.qk_rope_head_dim
        s.box("kvd", f"Linear (down)\n→ {latent} + {rope}")
        s.box("latent", f"KV latent {latent}\n+ RoPE key {rope}\n(cached)", "cache")
        s.box("kvn", "RMSNorm", "norm")
        s.box("kvu", "Linear (up)\n→ K, V")
        s.box("sdpa", f"Attention\n({self.heads} heads)", "attn")
        s.box("o", "Linear (out)")
        s.chain("in", "kvd", "latent", "kvn", "kvu", "sdpa")
        s.chain("qu", "sdpa")
        s.chain("sdpa", "o", "out")
        s.notes.append(f"per token the cache keeps {latent + rope} values per layer")
        if self.sparse:
            idx = self.sparse
            label = f"Lightning indexer\n({idx.index_heads} heads × {idx.index_head_dim})"
            s.box("idx", label, "linear")
            s.box("topk", f"Top-{idx.top_k:,}\npast tokens", "router")
            s.chain("in", "idx", "topk")
            s.edge("topk", "sdpa", "route")
            s.notes.append(f"sparse: each query attends to {idx.top_k:,} selected tokens")
        return s

    @classmethod
    def import_name(cls, spec: ConfigSpec, specs: Sequence[ConfigSpec]) -> str:
        return "mla"


def from_config(c: ConfigReader, position: ConfigSpec) -> ConfigSpec:
    """MLA (with DSA when the config has an indexer) from DeepSeek-style keys."""
    spec: ConfigSpec = {
        "kind": "mla",
        "heads": c.int("num_attention_heads"),
        "q_lora_rank": c.int("q_lora_rank"),
        "kv_lora_rank": c.int("kv_lora_rank"),
        "qk_nope_head_dim": c.int("qk_nope_head_dim"),
        "qk_rope_head_dim": c.int("qk_rope_head_dim"),
        "v_head_dim": c.int("v_head_dim"),
    }
    c.mark("num_key_value_heads", "qk_head_dim", "q_head_dim", "head_dim")  # nominal under MLA
    if not c.data.get("attention_bias"):
        c.mark("attention_bias")
    if c.has("index_topk"):
        spec["sparse"] = {
            "index_heads": c.int("index_n_heads"),
            "index_head_dim": c.int("index_head_dim"),
            "top_k": c.int("index_topk"),
        }
        c.mark("indexer_rope_interleave")
    spec["position"] = position
    return spec

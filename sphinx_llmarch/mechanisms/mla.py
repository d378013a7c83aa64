"""Multi-head latent attention (MLA), and DeepSeek sparse attention (DSA) on top of it.

MLA caches one low-rank latent per token instead of per-head keys and values, plus a
small key that carries RoPE; the heads' keys and values are projected up from the
latent.  DSA adds a lightning indexer that picks, for each query, the top-k past tokens
the attention then looks at.  With indexer sharing (Z.ai's IndexShare, GLM-5.2) only some
layers run an indexer; the others have none and reuse the selection of the last layer that
ran one.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import ClassVar, Literal

from pydantic import Field, StrictBool, model_validator

from .attention_options import AttentionOptions, gate_nodes
from .base import (
    Concept,
    ConfigReader,
    ConfigSpec,
    Mixer,
    NonNegInt,
    PosInt,
    Role,
    Spec,
    Stack,
)
from .registry import register
from .sketch import DOWN, Sketch
from .words import N_, Phrase


class SparseIndexer(Spec):
    """DeepSeek sparse attention: a lightning indexer selects the top-k past tokens."""

    kind: Literal["dsa"] = "dsa"
    index_heads: PosInt | None = Field(None, description="Indexer heads; not on shared layers.")
    index_head_dim: PosInt | None = Field(
        None, description="Indexer head size; not on shared layers."
    )
    top_k: PosInt
    shared: StrictBool = Field(
        False,
        description="The layer has no indexer of its own and reuses the top-k selection of "
        "the last earlier layer that runs one (config indexer_types 'shared').",
    )

    FIELD_NAMES: ClassVar[dict[str, str]] = {"shared": "shared indexer"}

    @model_validator(mode="after")
    def _own_indexer_has_a_shape(self) -> SparseIndexer:
        sized = self.index_heads is not None, self.index_head_dim is not None
        if self.shared and any(sized):
            raise ValueError("a shared layer has no indexer: leave out index_heads/index_head_dim")
        if not self.shared and not all(sized):
            raise ValueError("give index_heads and index_head_dim (or shared: true)")
        return self

    def params(self, hidden: int, query_in: int) -> int:
        if self.index_heads is None or self.index_head_dim is None:
            return 0  # a shared layer reuses another layer's selection: no weights
        return (
            query_in * self.index_heads * self.index_head_dim
            + hidden * self.index_head_dim
            + 2 * self.index_head_dim
            + hidden * self.index_heads
        )

    def label(self) -> str:
        return N_("DSA (shared index)") if self.shared else "DSA"


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
    sinks: StrictBool = Field(False, description="Learned per-head attention-sink logits.")

    ROLE: ClassVar[Role] = "attention"
    FIELD_NAMES: ClassVar[dict[str, str]] = {
        **AttentionOptions.FIELD_NAMES,
        "sinks": "attention sinks",
    }
    CONCEPTS: ClassVar[tuple[Concept, ...]] = (
        Concept(
            "mla",
            "Multi-head latent attention (MLA)",
            40,
            "attention",
            ("latent attention", "compressed KV cache"),
        ),
        Concept("dsa", "DeepSeek sparse attention (DSA)", 70, "attention", ("sparse attention",)),
        Concept("dsa-shared-index", "Shared DSA indexer (IndexShare)", 75),
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
        total += self.heads if self.sinks else 0
        return total + self.position.layer_params(h, self.heads)

    def cache_values_per_token(self) -> int:
        return self.kv_lora_rank + self.qk_rope_head_dim

    def abbreviation(self) -> str:
        return (
            Phrase(N_("MLA + %(sparse)s"), sparse=Phrase(self.sparse.label()))
            if self.sparse
            else "MLA"
        )

    def title(self, stack: Stack) -> str:
        if not self.sparse:
            return N_("Multi-head latent attention")
        if self.sparse.shared:
            return N_("Multi-head latent attention + DSA\n(shared index)")
        return N_("Multi-head latent attention + DSA")

    @classmethod
    def merged_title(cls, mixers: Sequence[Mixer], stack: Stack) -> str | None:
        """'Multi-head latent attention + DSA\n(own or shared index)' for IndexShare stacks."""
        own = [m.sparse.shared for m in mixers if isinstance(m, MLA) and m.sparse]
        if len(own) != len(mixers) or set(own) != {True, False}:
            return None
        return N_("Multi-head latent attention + DSA\n(own or shared index)")

    def phrase(self) -> str:
        if not self.sparse:
            return "MLA"
        reuse = ", shared index" if self.sparse.shared else ""
        return f"MLA + DSA (top-{self.sparse.top_k:,}{reuse})"

    def heads_text(self) -> str:
        dim = f"{self.qk_nope_head_dim}+{self.qk_rope_head_dim}"
        if self.v_head_dim != self.qk_nope_head_dim:
            text = N_("%(heads)s heads, head dim %(dim)s, value head dim %(value)s")
            return Phrase(text, heads=self.heads, dim=dim, value=self.v_head_dim)
        return Phrase(N_("%(heads)s heads, head dim %(dim)s"), heads=self.heads, dim=dim)

    def flags(self) -> list[str]:
        return super().flags() + (["attention sinks"] if self.sinks else [])

    def notes(self) -> list[str]:
        lines = [N_("attention sinks")] if self.sinks else []
        if self.sparse and self.sparse.shared:
            lines.append(N_("no indexer: reuses the last full indexer's selection"))
        return lines

    def concept(self) -> str:
        return "mla"

    def concepts_used(self) -> set[str]:
        sparse = (
            ["dsa", *(["dsa-shared-index"] if self.sparse.shared else [])] if self.sparse else []
        )
        sinks = ["attention-sinks"] if self.sinks else []
        return {"mla", *sparse, *sinks, *self.option_concepts()}

    def panel(self) -> Sketch:
        shared = bool(self.sparse and self.sparse.shared)
        title = (
            N_("Multi-head latent attention")
            if not self.sparse
            else N_("Multi-head latent attention + DSA, shared index")
            if shared
            else N_("Multi-head latent attention + DeepSeek sparse attention")
        )
        key = "mixer-mla-shared-index" if shared else "mixer-mla"
        s = Sketch(key, title, "attn", "mla", name=key.removeprefix("mixer-"))
        if self.q_lora_rank:
            down = Phrase(DOWN, size=f"{self.q_lora_rank:,}")
            s.box("qd", down)
            s.box("qn", "RMSNorm", "norm")
            s.box("qu", "Linear (up)")
            s.chain("in", "qd", "qn", "qu")
        else:
            s.box("qu", "Linear (Q)")
            s.chain("in", "qu")
        latent, rope = self.kv_lora_rank, self.qk_rope_head_dim
        kv_down = Phrase(DOWN, size=f"{latent} + {rope}" if rope else latent)
        s.box("kvd", kv_down)
        cached = Phrase(N_("KV latent %(size)s\n(cached)"), size=latent)
        s.box("latent", cached, "cache")
        if rope:  # split off before the norm and the up-projection, shared by every head
            s.box("key", self._key_label(rope), "cache")
        s.box("kvn", "RMSNorm", "norm")
        s.box("kvu", "Linear (up)\n→ K, V")
        attention = Phrase(N_("Attention\n(%(heads)s heads)"), heads=self.heads)
        s.box("sdpa", attention, "attn")
        headwise = self.output_gate == "headwise"
        if self.gated:
            gate_nodes(s, N_("Linear (gate,\none per head)") if headwise else N_("Linear (gate)"))
        else:
            s.box("o", "Linear (out)")
        s.chain("in", "kvd", "latent", "kvn", "kvu", "sdpa")
        if rope:
            s.chain("kvd", "key", "sdpa")
        s.chain("qu", "sdpa")
        if self.gated:
            s.chain("in", "gl", "sig", "mul")
        s.chain("sdpa", *(["mul"] if self.gated else []), "o", "out")
        keeps = N_("per token the cache keeps %(count)s values per layer")
        s.notes.append(Phrase(keeps, count=latent + rope))
        if self.gated:
            s.notes.append(
                Phrase(N_("a sigmoid gate scales each head's output"))
                if headwise
                else Phrase(N_("a sigmoid gate scales every output channel"))
            )
        if self.sparse:
            self._indexer_nodes(s, self.sparse)
        return s

    def _key_label(self, width: int) -> str:
        """The key part split off the latent: rotated by RoPE, or, without positions, not."""
        if self.position.POSITIONLESS:
            return Phrase(N_("Shared key %(width)s\n(not rotated, cached)"), width=width)
        return Phrase(N_("RoPE key %(width)s\n(cached)"), width=width)

    @staticmethod
    def _indexer_nodes(s: Sketch, idx: SparseIndexer) -> None:
        if idx.shared:
            count = f"{idx.top_k:,}"
            picks = Phrase(N_("Top-%(count)s indices of the\nlast full-indexer layer"), count=count)
            s.box("topk", picks, "router")
            s.edge("topk", "sdpa", "route")
            reuses = N_("sparse: reuses another layer's %(count)s selected tokens")
            s.notes.append(Phrase(reuses, count=count))
            s.notes.append(N_("this layer has no indexer weights"))
            return
        assert idx.index_heads is not None and idx.index_head_dim is not None
        indexer_nodes(s, "in", (idx.index_heads, idx.index_head_dim, idx.top_k), N_("past tokens"))
        attends = N_("sparse: each query attends to %(count)s selected tokens")
        s.notes.append(Phrase(attends, count=f"{idx.top_k:,}"))

    @classmethod
    def import_name(cls, spec: ConfigSpec, specs: Sequence[ConfigSpec]) -> str:
        sparse = spec.get("sparse")
        return "mla_shared_index" if isinstance(sparse, dict) and sparse.get("shared") else "mla"


#: the output-gate granularities of Ling 3.0's config, in the schema's words
_GATES = {"head_wise": "headwise", "element_wise": "elementwise"}


def indexer_nodes(s: Sketch, source: str, shape: tuple[int, int, int], picks: str) -> None:
    """A lightning indexer in a panel: fed by ``source``, its (heads, width, top-k) choosing
    the ``picks`` the attention (node ``sdpa``) reads."""
    heads, width, top_k = shape
    indexer = Phrase(
        N_("Lightning indexer\n(%(heads)s heads × %(width)s)"), heads=heads, width=width
    )
    s.box("idx", indexer, "linear")
    top = Phrase(N_("Top-%(count)s\n%(picks)s"), count=f"{top_k:,}", picks=Phrase(picks))
    s.box("topk", top, "router")
    s.chain(source, "idx", "topk")
    s.edge("topk", "sdpa", "route")


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
    granularity = c.get("gated_attention_proj_granularity_type")  # Ling 3.0
    if granularity in _GATES:
        spec["output_gate"] = _GATES[granularity]
    elif c.get("mla_use_output_gate"):  # Kimi K3: one gate value per output channel
        spec["output_gate"] = "elementwise"
    elif c.get("gated_mla") and c.get("gating_type") in _GATES.values():  # Hy4
        spec["output_gate"] = str(c.get("gating_type"))
    c.mark("gated_mla", "gating_type", "use_mla", "use_dsa", "learnable_sink_init")
    if c.get("learnable_sink"):  # Hy4: one sink logit per head
        spec["sinks"] = True
    c.mark("learnable_sink")
    if not c.data.get("attention_bias"):
        c.mark("attention_bias")
    if c.has("index_topk"):
        spec["sparse"] = {
            "index_heads": c.int("index_n_heads"),
            "index_head_dim": c.int("index_head_dim"),
            "top_k": c.int("index_topk"),
        }
        c.mark("indexer_rope_interleave")
        if set(c.get("layer_types") or ["-"]) == {"deepseek_sparse_attention"}:
            c.mark("layer_types")  # Hy4: every layer the same sparse MLA
    spec["position"] = position
    return spec


def shared_layers(c: ConfigReader, n: int) -> list[bool]:
    """Which of the ``n`` layers reuse an earlier layer's DSA selection (IndexShare).

    ``indexer_types`` lists 'full' or 'shared' per layer; without it, GLM-MoE-DSA derives
    the list from ``index_topk_pattern`` ('F'/'S' per layer) or from ``index_topk_freq`` and
    ``index_skip_topk_offset`` (layer i runs its indexer when max(i - offset + 1, 0) is a
    multiple of freq); with none of them every layer runs its own.
    """
    c.mark("index_share_for_mtp_iteration")  # the MTP module's layer: not in the stack
    types = c.get("indexer_types")
    pattern = c.get("index_topk_pattern")
    freq = c.int("index_topk_freq", default=1) or 1
    offset = c.int("index_skip_topk_offset", default=2)
    offset = 2 if offset is None else offset
    if isinstance(types, list):
        return [str(x) == "shared" for x in types[:n]]
    if pattern is not None:
        return [str(x) in ("S", "shared") for x in list(pattern)[:n]]
    return [max(i - offset + 1, 0) % max(freq, 1) != 0 for i in range(n)]


def with_shared_index(spec: ConfigSpec) -> ConfigSpec:
    """The same MLA layer without an indexer, reusing an earlier layer's selection."""
    reuse = copy.deepcopy(spec)
    reuse["sparse"] = {"top_k": spec["sparse"]["top_k"], "shared": True}
    return reuse

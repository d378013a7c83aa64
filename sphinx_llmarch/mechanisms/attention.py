"""Softmax attention with explicit heads: multi-head (MHA), grouped-query (GQA), multi-query (MQA).

Each key/value head serves ``heads / kv_heads`` query heads: as many as there are query
heads (MHA), one for all (MQA), or groups in between (GQA).  A layer type may see only a
sliding window or a chunk of the past, keep learned attention sinks, take its values
from its key projection (K = V: Gemma 4's global layers, whose values are the projected
keys normalised but not rotated, so that both still go to the cache), or gate its
output (gated attention).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, Literal

from pydantic import Field, StrictBool, model_validator

from .attention_conv import ATTENTION_CONV, AttentionConv
from .attention_options import AttentionOptions, gate_nodes, heads_phrase, qk_inputs
from .base import (
    Concept,
    ConfigReader,
    ConfigSpec,
    FamilyTraits,
    Mixer,
    PosInt,
    Role,
    Stack,
)
from .registry import REGISTRY, register
from .sketch import Sketch
from .words import N_, Joined, Phrase

KINDS = ("mha", "gqa", "mqa")
_NAMES = {
    "mha": N_("Multi-head attention"),
    "gqa": N_("Grouped-query attention"),
    "mqa": N_("Multi-query attention"),
}
#: the same names inside a longer one ('Sliding-window grouped-query attention')
_INNER_NAMES = {
    "mha": N_("multi-head attention"),
    "gqa": N_("grouped-query attention"),
    "mqa": N_("multi-query attention"),
}
#: how a layer's span is said, by the option that sets it
_SPANS = {"window": N_("sliding-window"), "chunk": N_("chunked"), "": N_("global")}
#: a layer type's compact name: its span before its kind ('sliding-window GQA')
SPAN_KIND = N_("%(span)s %(kind)s")


@register
class Attention(AttentionOptions):
    """Softmax attention with explicit head geometry."""

    kind: Literal["mha", "gqa", "mqa"]
    heads: PosInt
    kv_heads: PosInt
    head_dim: PosInt = Field(description="Stored explicitly: not always hidden_size / heads.")
    v_head_dim: PosInt | None = Field(None, description="Value head size when it differs.")
    window: PosInt | None = Field(None, description="Sliding-window size in tokens.")
    chunk: PosInt | None = Field(None, description="Chunked (block-local) attention size.")
    sinks: StrictBool = Field(False, description="Learned per-head attention-sink logits.")
    kv_shared: StrictBool = Field(
        False,
        description="K = V: one projection gives keys and values (no value projection); the "
        "values are normalised but not rotated, so the cache still holds both.",
    )
    conv: AttentionConv | None = Field(
        None, description="Short causal convolutions over the keys and values."
    )

    ROLE: ClassVar[Role] = "attention"
    FIELD_NAMES: ClassVar[dict[str, str]] = {
        **AttentionOptions.FIELD_NAMES,
        "sinks": "attention sinks",
        "window": "sliding window",
        "conv": "short convolutions",
    }
    CONCEPTS: ClassVar[tuple[Concept, ...]] = (
        Concept("mha", "Multi-head attention (MHA)", 10, "attention", ("full attention",)),
        Concept("gqa", "Grouped-query attention (GQA)", 20, "attention"),
        Concept("mqa", "Multi-query attention (MQA)", 30, "attention"),
        Concept(
            "sliding-window",
            "Sliding-window attention",
            50,
            "attention",
            ("SWA", "sliding window", "local attention"),
        ),
        Concept("chunked", "Chunked attention", 60, "attention", ("local attention",)),
        Concept("attention-sinks", "Attention sinks", 90),
        Concept("k-eq-v", "Keys as values (K = V)", 95),
        ATTENTION_CONV,
        *AttentionOptions.CONCEPTS,
    )

    @model_validator(mode="after")
    def _heads_match_kind(self) -> Attention:
        if self.heads % self.kv_heads:
            raise ValueError(
                f"heads ({self.heads}) must be a multiple of kv_heads ({self.kv_heads})"
            )
        expected = kind_for(self.heads, self.kv_heads)
        if self.kind != expected:
            raise ValueError(
                f"{self.heads} heads with {self.kv_heads} KV heads is '{expected}', not '{self.kind}'"
            )
        if self.window and self.chunk:
            raise ValueError("a layer type has either 'window' or 'chunk', not both")
        return self

    # ------------------------------------------------------------------ figures

    def params(self, hidden: int) -> int:
        d, dv = self.head_dim, self.v_head_dim or self.head_dim
        q, k = self.heads * d, self.kv_heads * d
        v = 0 if self.kv_shared else self.kv_heads * dv
        out = self.heads * dv
        total = hidden * (q + k + v) + out * hidden
        if self.bias in ("qkv", "all"):
            total += q + k + v
        if self.bias == "all":
            total += hidden
        total += self.qk_norm_params(2 * d, q + k)
        total += self.gate_params(hidden * out, hidden * self.heads)
        total += self.position.layer_params(hidden, self.heads)
        total += self.conv.params(k) if self.conv else 0
        return total + (self.heads if self.sinks else 0)

    def cache_values_per_token(self) -> int:
        return self.kv_heads * (self.head_dim + (self.v_head_dim or self.head_dim))

    def state_values(self) -> int:
        """The short convolutions' last inputs (the cache itself is counted per token)."""
        if self.conv is None:
            return 0
        return self.conv.state_values(self.kv_heads * self.head_dim)

    def span(self) -> int | None:
        return self.window or self.chunk

    # ------------------------------------------------------------------ wording

    def abbreviation(self) -> str:
        return self.kind.upper()

    def _gated_kind(self) -> str:
        """'GQA', or 'gated GQA' when the heads' output is gated."""
        kind = self.abbreviation()
        return Phrase(N_("gated %(kind)s"), kind=kind) if self.gated else kind

    def _base_title(self, inner: bool = False) -> Phrase:
        """'Grouped-query attention', 'Gated multi-head attention'; ``inner``: as it reads
        inside a longer name."""
        if not self.gated:
            return Phrase((_INNER_NAMES if inner else _NAMES)[self.kind])
        gated = N_("gated %(base)s") if inner else N_("Gated %(base)s")
        return Phrase(gated, base=Phrase(_INNER_NAMES[self.kind]))

    def _span(self) -> str:
        return _SPANS["window" if self.window else "chunk" if self.chunk else ""]

    def mix_label(self, stack: Stack) -> str:
        if self.window:
            return "sliding-window"
        if self.chunk:
            return "chunked"
        if stack.has_local:
            return "global"
        if self.gated:
            return "gated attention"
        return self.abbreviation()

    def title(self, stack: Stack) -> str:
        base = self._base_title(inner=True)
        if self.window:
            return Phrase(N_("Sliding-window %(base)s"), base=base)
        if self.chunk:
            return Phrase(N_("Chunked %(base)s"), base=base)
        if stack.has_local:
            return Phrase(N_("Global %(base)s"), base=base)
        return self._base_title()

    @classmethod
    def merged_title(cls, mixers: Sequence[Mixer], stack: Stack) -> str | None:
        """'Grouped-query attention\\n(sliding-window or global)' for one kind, several spans."""
        own = [m for m in mixers if isinstance(m, Attention)]
        if len(own) != len(mixers) or len({(m.kind, m.output_gate) for m in own}) != 1:
            return None
        spans = Joined(N_(" or "), [Phrase(span) for span in dict.fromkeys(m._span() for m in own)])
        return Phrase(N_("%(base)s\n(%(spans)s)"), base=own[0]._base_title(), spans=spans)

    def row_label(self, stack: Stack) -> str:
        kind = self._gated_kind()
        if self.window or self.chunk or stack.has_local:
            return Phrase(SPAN_KIND, span=Phrase(self._span()), kind=kind)
        return N_("gated attention") if self.gated else kind

    def phrase(self) -> str:
        base = self._gated_kind()
        if self.window:
            return f"sliding-window {base} ({self.window:,})"
        if self.chunk:
            return f"chunked {base} ({self.chunk:,})"
        return base

    def flags(self) -> list[str]:
        flags = ["QK-norm"] if self.uses_qk_norm() else []
        flags += ["attention sinks"] if self.sinks else []
        flags += ["attention bias"] if self.bias != "none" else []
        flags += ["short convolutions"] if self.conv else []
        return flags + (["K = V"] if self.kv_shared else [])

    def heads_text(self) -> str:
        heads = heads_phrase(self.heads, self.kv_heads, self.head_dim)
        if self.v_head_dim and self.v_head_dim != self.head_dim:
            text = N_("%(heads)s, value head dim %(value)s")
            return Phrase(text, heads=heads, value=self.v_head_dim)
        return heads

    def notes(self) -> list[str]:
        lines: list[str] = []
        if self.window:
            lines.append(Phrase(N_("window of %(count)s tokens"), count=f"{self.window:,}"))
        if self.chunk:
            lines.append(Phrase(N_("chunks of %(count)s tokens"), count=f"{self.chunk:,}"))
        features: list[str] = [Phrase(N_("attention sinks"))] if self.sinks else []
        if self.kv_shared:
            features.append(Phrase(N_("values from the key projection (K = V)")))
        features += self.bias_note()
        features += [self.conv.note()] if self.conv else []
        return lines + ([Joined(", ", features)] if features else [])

    # ------------------------------------------------------------------ concepts, drawing

    def concept(self) -> str:
        if self.gated:
            return "gated-attention"
        if self.window:
            return "sliding-window"
        if self.chunk:
            return "chunked"
        return self.kind

    def concepts_used(self) -> set[str]:
        found = {self.kind, *self.option_concepts()}
        found.update({"sliding-window"} if self.window else set())
        found.update({"chunked"} if self.chunk else set())
        found.update({"attention-sinks"} if self.sinks else set())
        found.update({"k-eq-v"} if self.kv_shared else set())
        found.update({ATTENTION_CONV.key} if self.conv else set())
        return found

    def panel(self) -> Sketch | None:
        """Gated attention's internals, or the short convolutions'; plain attention needs none."""
        if self.conv and not self.gated:
            return self.conv.panel(qk_norm=self.uses_qk_norm(), bias=self.position.label())
        if not self.gated:
            return None
        s = Sketch("mixer-gated", "Gated attention", "attn", "gated-attention", name="gated")
        for proj in ("q", "k", "v"):
            s.box(proj, f"Linear ({proj.upper()})")
            s.chain("in", proj)
        s.box("sdpa", "Scaled dot-product\nattention", "attn")
        norm = N_("RMSNorm\n(no weights)") if self.qk_norm == "unscaled" else "RMSNorm"
        qk_inputs(s, {"q": "q", "k": "k"}, self.uses_qk_norm(), norm)
        s.chain("v", "sdpa")
        headwise = self.output_gate == "headwise"
        label = N_("Linear (gate,\none per head)") if headwise else N_("Linear (gate)")
        gate_nodes(s, label, self.gate_function)
        s.chain("in", "gl", "sig", "mul")
        s.chain("sdpa", "mul", "o", "out")
        s.notes += [
            heads_phrase(self.heads, self.kv_heads, self.head_dim),
            self.gate_note(),
        ]
        return s

    @classmethod
    def import_name(cls, spec: ConfigSpec, specs: Sequence[ConfigSpec]) -> str:
        if sum(1 for s in specs if s["kind"] in KINDS) == 1:
            return "attn"
        if spec.get("window"):
            return "local"
        if spec.get("chunk"):
            return "chunked"
        if any(s.get("window") or s.get("chunk") for s in specs):
            return "global"
        position = spec["position"]["kind"]  # named after it: 'nope', 'rope'
        if REGISTRY.position(position).POSITIONLESS:
            return str(position)
        return "full" if any(s["kind"] not in KINDS for s in specs) else str(position)


def kind_for(heads: int, kv_heads: int) -> str:
    """Which of MHA, MQA and GQA a head geometry is."""
    return "mha" if kv_heads == heads else "mqa" if kv_heads == 1 else "gqa"


def from_config(
    c: ConfigReader,
    fam: FamilyTraits,
    *,
    heads: int,
    kv: int,
    head_dim: int,
    position: ConfigSpec,
    window: int | None = None,
    chunk: int | None = None,
    v_head_dim: int | None = None,
    sinks: bool = False,
    output_gate: str = "none",
) -> ConfigSpec:
    """A softmax-attention layer type; QK-norm and biases as the config or family say."""
    spec: ConfigSpec = {
        "kind": kind_for(heads, kv),
        "heads": heads,
        "kv_heads": kv,
        "head_dim": head_dim,
    }
    if v_head_dim and v_head_dim != head_dim:
        spec["v_head_dim"] = v_head_dim
    if window:
        spec["window"] = window
    if chunk:
        spec["chunk"] = chunk
    qk = fam.qk_norm
    flag = c.get("use_qk_norm", "qk_layernorm", "qk_norm")
    if flag is not None:
        qk = "head" if flag else "none"
    if c.get("qk_norm_type") == "per_layer" and qk != "none":
        qk = "layer"
    if qk != "none":
        spec["qk_norm"] = qk
    if output_gate != "none":
        spec["output_gate"] = output_gate
    elif c.data.get("attention_output_gate") is False:
        c.mark("attention_output_gate")  # MiniMax M3: stated absent
    if (
        c.get("attention_bias", "qkv_bias", "use_qkv_bias")
        or fam.bias_always
        or (fam.attention_bias == "all" and fam.learned_positions)
    ):
        spec["bias"] = fam.attention_bias
    if sinks:
        spec["sinks"] = True
    spec["position"] = position
    return spec

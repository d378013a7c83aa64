"""Grouped differential latent attention (GDLA): MLA's latents with differential noise heads.

Queries and keys/values are compressed to low-rank latents as in multi-head latent
attention, and only the key/value latent and a small RoPE key are cached per token. The
latent is projected up to a few key/value heads (grouped as in GQA). Each group of query
heads sharing a key/value head holds several *signal* heads and one *noise* head: the noise
head's output, scaled per token and head by a learned sigmoid weight (λ), is subtracted
from each signal head's, cancelling attention both would give to irrelevant tokens (the
differential-attention idea, applied group-wise). Only the signal heads reach the output
projection; Motif gates them element by element with a sigmoid computed from the query
latent.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, Literal

from pydantic import Field, model_validator

from .attention import SPAN_KIND
from .attention_options import AttentionOptions
from .base import Concept, ConfigReader, ConfigSpec, Mixer, NonNegInt, PosInt, Role, Stack
from .registry import register
from .sketch import DOWN, Sketch
from .words import N_, Joined, Phrase

GDLA_CONCEPT = Concept("gdla", "Grouped differential latent attention (GDLA)", 45, "attention")


@register
class GDLA(AttentionOptions):
    """Latent attention whose noise heads are subtracted from the signal heads of their group."""

    kind: Literal["gdla"]
    heads: PosInt = Field(description="All query heads, signal and noise.")
    kv_heads: PosInt = Field(description="Key/value heads the latent is projected up to.")
    noise_heads: PosInt = Field(description="One noise head per group (num_noise_heads).")
    q_lora_rank: PosInt
    kv_lora_rank: PosInt
    qk_nope_head_dim: PosInt
    qk_rope_head_dim: NonNegInt
    v_head_dim: PosInt
    window: PosInt | None = Field(None, description="Sliding-window size in tokens.")

    ROLE: ClassVar[Role] = "attention"
    FIELD_NAMES: ClassVar[dict[str, str]] = {
        **AttentionOptions.FIELD_NAMES,
        "window": "sliding window",
    }
    CONCEPTS: ClassVar[tuple[Concept, ...]] = (GDLA_CONCEPT, *AttentionOptions.CONCEPTS)

    @model_validator(mode="after")
    def _groups(self) -> GDLA:
        if self.heads % self.kv_heads or self.noise_heads != self.kv_heads:
            raise ValueError(
                "each key/value head serves one group of query heads with one noise head: "
                "heads must be a multiple of kv_heads, and noise_heads equal kv_heads"
            )
        if self.heads // self.kv_heads < 2:
            raise ValueError("each group needs at least one signal head beside its noise head")
        return self

    @property
    def signal_heads(self) -> int:
        return self.heads - self.noise_heads

    # ------------------------------------------------------------------ figures

    def params(self, hidden: int) -> int:
        h, qr, kr = hidden, self.q_lora_rank, self.kv_lora_rank
        nope, rope, v = self.qk_nope_head_dim, self.qk_rope_head_dim, self.v_head_dim
        q = h * qr + qr + qr * self.heads * (nope + rope)
        kv = h * (kr + rope) + kr + kr * self.kv_heads * (nope + v)
        weights = h * self.signal_heads  # λ: one per signal head, from the layer input
        out = self.signal_heads * v * h
        # the gate reads the query latent: one value per signal channel, or per signal head
        gate = self.gate_params(qr * self.signal_heads * v, qr * self.signal_heads)
        total = q + kv + weights + out + gate
        qk = nope + rope
        total += self.qk_norm_params(2 * qk, (self.heads + self.kv_heads) * qk)
        return total + self.position.layer_params(h, self.heads)

    def cache_values_per_token(self) -> int:
        return self.kv_lora_rank + self.qk_rope_head_dim

    def span(self) -> int | None:
        return self.window

    # ------------------------------------------------------------------ wording

    def abbreviation(self) -> str:
        return "GDLA"

    def mix_label(self, stack: Stack) -> str:
        if self.window:
            return "sliding-window"
        return "global" if stack.has_local else "GDLA"

    def row_label(self, stack: Stack) -> str:
        if self.window or stack.has_local:
            span = N_("sliding-window") if self.window else N_("global")
            return Phrase(SPAN_KIND, span=Phrase(span), kind="GDLA")
        return "GDLA"

    def title(self, stack: Stack) -> str:
        base = Phrase(N_("grouped differential latent attention"))
        if self.window:
            return Phrase(N_("Sliding-window %(base)s"), base=base)
        if stack.has_local:
            return Phrase(N_("Global %(base)s"), base=base)
        return N_("Grouped differential latent attention")

    @classmethod
    def merged_title(cls, mixers: Sequence[Mixer], stack: Stack) -> str | None:
        own = [m for m in mixers if isinstance(m, GDLA)]
        if len(own) != len(mixers):
            return None
        spans = dict.fromkeys(N_("sliding-window") if m.window else N_("global") for m in own)
        return Phrase(
            N_("%(base)s\n(%(spans)s)"),
            base=Phrase(N_("Grouped differential latent attention")),
            spans=Joined(N_(" or "), [Phrase(span) for span in spans]),
        )

    def phrase(self) -> str:
        return f"sliding-window GDLA ({self.window:,})" if self.window else "GDLA"

    def flags(self) -> list[str]:
        return super().flags() + (["output gate"] if self.gated else [])

    def heads_text(self) -> str:
        text = N_("%(signal)s signal + %(noise)s noise heads, %(kv)s KV heads, head dim %(dim)s")
        values = {"signal": self.signal_heads, "noise": self.noise_heads, "kv": self.kv_heads}
        return Phrase(text, dim=f"{self.qk_nope_head_dim}+{self.qk_rope_head_dim}", **values)

    def notes(self) -> list[str]:
        window = N_("window of %(count)s tokens")
        lines = [Phrase(window, count=f"{self.window:,}")] if self.window else []
        latent = N_("latent %(latent)s + RoPE key %(rope)s cached")
        return [*lines, Phrase(latent, latent=self.kv_lora_rank, rope=self.qk_rope_head_dim)]

    # ------------------------------------------------------------------ concepts, drawing

    def concept(self) -> str:
        return GDLA_CONCEPT.key

    def concepts_used(self) -> set[str]:
        found = {GDLA_CONCEPT.key, *self.option_concepts(gate_is_attention=False)}
        return found | ({"sliding-window"} if self.window else set())

    def panel(self) -> Sketch:
        s = Sketch("mixer-gdla", "Grouped differential latent attention", "attn", "gdla")
        down = Phrase(DOWN, size=f"{self.q_lora_rank:,}")
        s.box("qd", down)
        s.box("qn", "RMSNorm", "norm")
        s.box("qu", "Linear (up) → Q")
        s.chain("in", "qd", "qn", "qu")
        latent, rope = self.kv_lora_rank, self.qk_rope_head_dim
        kv_down = Phrase(DOWN, size=f"{latent} + {rope}")
        s.box("kvd", kv_down)
        cached = Phrase(N_("KV latent %(size)s\n(cached)"), size=latent)
        s.box("latent", cached, "cache")
        # split off before the norm and the up-projection, shared by every head
        key = Phrase(N_("RoPE key %(width)s\n(cached)"), width=rope)
        s.box("key", key, "cache")
        up = Phrase(N_("RMSNorm, Linear (up)\n→ %(count)s K, V heads"), count=self.kv_heads)
        s.box("kvu", up)
        s.chain("in", "kvd", "latent", "kvu")
        group = self.heads // self.kv_heads
        groups = N_("Attention\n(%(heads)s heads, groups of %(group)s)")
        attention = Phrase(groups, heads=self.heads, group=group)
        s.box("sdpa", attention, "attn")
        s.chain("qu", "sdpa")
        s.chain("kvu", "sdpa")
        s.chain("kvd", "key", "sdpa")
        s.box("lam", "Linear (λ, one\nper signal head)")
        s.op("sig", "σ")
        s.box("diff", "signal − σ(λ) · noise", "attn")
        s.chain("in", "lam", "sig", "diff")
        s.chain("sdpa", "diff")
        s.box("o", "Linear (out)")
        if self.gated:
            s.chain(s.sigmoid_gate(("gl", "gsig", "mul"), "qn", "diff"), "o", "out")
        else:
            s.chain("diff", "o", "out")
        s.notes += [
            Phrase(
                N_("each group: %(count)s signal heads and 1 noise head sharing a KV head"),
                count=group - 1,
            ),
            Phrase(N_("per token the cache keeps %(count)s values per layer"), count=latent + rope),
        ]
        return s

    @classmethod
    def import_name(cls, spec: ConfigSpec, specs: Sequence[ConfigSpec]) -> str:
        if sum(1 for s in specs if s["kind"] == "gdla") == 1:
            return "gdla"
        return "local" if spec.get("window") else "global"


def from_config(c: ConfigReader, position: ConfigSpec, window: int | None) -> ConfigSpec:
    """Motif's GDLA (``attention_cls`` gdla); ``window`` for its sliding-window layers."""
    if c.get("attention_cls") != "gdla":
        c.refuse("attention_cls", "only GDLA (grouped differential latent attention) is known")
    head_dim = c.int("head_dim") or 0
    rope = c.int("qk_rope_head_dim") or 0
    spec: ConfigSpec = {
        "kind": "gdla",
        "heads": c.int("num_attention_heads"),
        "kv_heads": c.int("num_key_value_heads"),
        "noise_heads": c.int("num_noise_heads"),
        "q_lora_rank": c.int("q_lora_rank"),
        "kv_lora_rank": c.int("kv_lora_rank"),
        "qk_nope_head_dim": head_dim - rope,
        "qk_rope_head_dim": rope,
        "v_head_dim": c.int("v_head_dim"),
    }
    if window:
        spec["window"] = window
    if c.get("elementwise_attn_output_gate"):
        spec["output_gate"] = "elementwise"
    elif c.get("headwise_attn_output_gate"):
        spec["output_gate"] = "headwise"
    c.mark("attention_cls", "diff_v2", "k_ratio", "elementwise_attn_output_gate")
    c.mark("headwise_attn_output_gate")
    spec["position"] = position
    return spec

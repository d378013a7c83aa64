"""A mixture of experts (MoE): a router sends each token to a few of many expert MLPs.

Shared experts see every token; a latent MoE runs its experts at a smaller width between
a down- and an up-projection; some models keep a dense MLP beside the experts.  When the
first layers of a MoE model are dense, the model has a dense prefix.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import ClassVar, Literal

from pydantic import Field, StrictBool, model_validator

from . import activations, zero_experts
from .activations import ACTIVATIONS
from .base import (
    Concept,
    ConfigReader,
    ConfigSpec,
    Experts,
    FamilyTraits,
    FeedForward,
    NonNegInt,
    PosInt,
    Spec,
    Stack,
)
from .registry import register
from .sketch import Sketch
from .words import N_, Joined, Phrase
from .zero_experts import ZERO_EXPERTS, ZeroExperts


class ParallelDense(Spec):
    hidden: PosInt
    activation: activations.Name
    norms: NonNegInt = Field(
        0,
        description="RMSNorms of the two paths' own (Gemma 4: 3, on the dense output and on "
        "the experts' input and output), each a weight vector of the model's width.",
    )


class SharedExperts(Spec):
    count: PosInt = 1
    hidden: PosInt = Field(description="Intermediate size of each shared expert.")
    gate: StrictBool = Field(False, description="A sigmoid gate scales the shared output.")
    sink: StrictBool = Field(False, description="The router weighs them with the routed ones.")
    combine: Literal["sum", "average"] = Field(
        "sum", description="'average': the routed and shared outputs are averaged, not added."
    )


class Router(Spec):
    scoring: Literal["softmax", "sigmoid", "sqrtsoftplus"] = Field(
        description="How logits become scores; 'sqrtsoftplus': the square root of softplus."
    )
    bias: StrictBool = Field(False, description="A learned per-expert bias on the router scores.")
    selection: Literal["top-k", "hash"] = Field(
        "top-k",
        description="'hash': a fixed token-id → experts table picks the experts (a lookup "
        "table, not counted as weights); the learned scores still weight them.",
    )
    input_scale: StrictBool = Field(
        False, description="A learned scale per channel on the router's (normalised) input."
    )
    expert_scale: StrictBool = Field(
        False, description="A learned scale per expert on the chosen experts' weights."
    )

    def params(self, hidden: int, experts: int) -> int:
        """Its projection to one score per expert, and its learned scales and bias."""
        extra = (experts if self.bias else 0) + (experts if self.expert_scale else 0)
        return hidden * experts + extra + (hidden if self.input_scale else 0)


@register
class MoE(FeedForward):
    kind: Literal["moe"]
    experts: PosInt = Field(description="Routed experts.")
    active: PosInt = Field(description="Routed experts used per token.")
    expert_hidden: PosInt
    activation: activations.Name
    bias: StrictBool = False
    router: Router
    shared: SharedExperts | None = None
    latent: PosInt | None = Field(None, description="Latent MoE: experts run at this width.")
    latent_norm: StrictBool = Field(
        False,
        description="Latent MoE: an RMSNorm on the experts' summed output, before it is "
        "projected back up.",
    )
    parallel_dense: ParallelDense | None = Field(
        None, description="A dense FFN running beside the experts on every token."
    )
    zero: ZeroExperts | None = Field(None, description="Weightless experts the router may pick.")
    shortcut: StrictBool = Field(
        False, description="The experts' output is added one sub-layer later (LongCat-Flash)."
    )

    CONCEPTS: ClassVar[tuple[Concept, ...]] = (
        Concept("moe", "Mixture of experts (MoE)", 140, aliases=("experts", "sparse")),
        Concept("shared-experts", "Shared experts", 150),
        Concept("dense-prefix", "Dense prefix", 160),
        Concept("hash-routing", "Hash routing", 165),
        Concept("latent-moe", "Latent MoE", 170),
        ZERO_EXPERTS,
        Concept("shortcut-moe", "Shortcut-connected MoE", 175),
        *activations.CONCEPTS,
    )
    ROUTED: ClassVar[bool] = True
    MIX_LABEL: ClassVar[str] = "MoE"
    TITLE: ClassVar[str] = "MoE"
    CSS: ClassVar[str] = "moe"

    @model_validator(mode="after")
    def _active_fits(self) -> MoE:
        if self.active > self.experts:
            raise ValueError(f"active ({self.active}) exceeds experts ({self.experts})")
        if self.latent_norm and not self.latent:
            raise ValueError("'latent_norm' needs a 'latent' width")
        if self.zero and self.zero.mean_real and self.zero.mean_real > self.active:
            raise ValueError(f"zero.mean_real exceeds active ({self.active})")
        return self

    def params(self, hidden: int) -> tuple[int, int]:
        h, mlp = hidden, activations.mlp_params
        expert = mlp(self.latent or h, self.expert_hidden, self.activation, self.bias)
        choices = self.experts + (self.zero.count if self.zero else 0)
        always = self.router.params(h, choices)  # weightless experts have router rows too
        if self.shared:
            always += self.shared.count * mlp(h, self.shared.hidden, self.activation, self.bias)
            always += h if self.shared.gate else 0
            always += self.shared.count * h if self.shared.sink else 0
        if self.latent:
            always += 2 * h * self.latent + (self.latent if self.latent_norm else 0)
        if self.parallel_dense:
            dense = self.parallel_dense
            always += mlp(h, dense.hidden, dense.activation, False) + dense.norms * h
        real = self.zero.real_choices(self.active) if self.zero else self.active
        return always + self.experts * expert, always + round(real * expert)

    def active_is_bound(self) -> bool:
        return self.zero is not None and self.zero.mean_real is None

    @property
    def hashed(self) -> bool:
        return self.router.selection == "hash"

    def mix_label(self) -> str:
        return N_("hash-routed MoE") if self.hashed else self.MIX_LABEL

    def routing(self) -> Experts:
        shared = self.shared
        return Experts(
            routed=self.experts,
            active=self.active,
            expert_hidden=self.expert_hidden,
            shared=shared.count if shared else 0,
            shared_hidden=shared.hidden if shared else None,
            latent=self.latent,
        )

    def activation_name(self) -> str:
        return self.activation

    def hidden_text(self) -> str:
        return Phrase(N_("%(size)s (each expert)"), size=f"{self.expert_hidden:,}")

    def compare_text(self) -> str:
        return f"{ACTIVATIONS[self.activation].label} experts, hidden {self.expert_hidden:,}"

    def note(self) -> str:
        values = {"kind": Phrase(self.mix_label()), "experts": self.experts, "active": self.active}
        parts = [Phrase(N_("%(kind)s: %(experts)s experts, %(active)s active"), **values)]
        parts += [Phrase(N_(" + %(count)s shared"), count=self.shared.count)] if self.shared else []
        parts += [Phrase(N_(" + a dense FFN"))] * bool(self.parallel_dense)
        parts += [Phrase(N_(" (shortcut)"))] * self.shortcut
        return Joined("", parts + ([" ", self.zero.note(self.active)] if self.zero else []))

    def phrase(self) -> str:
        zero = f" and {self.zero.count} {self.zero.kind} experts" if self.zero else ""
        per = f"{self.active} {'choices' if self.zero else 'active'} per token"
        text = f"{self.mix_label()} with {self.experts} experts{zero}, {per}"
        return text + (f" and {self.shared.count} shared" if self.shared else "")

    def concept(self) -> str:
        return "moe"

    def concepts_used(self, stack: Stack) -> set[str]:
        found = {"moe", ACTIVATIONS[self.activation].concept.key}
        found.update({"shared-experts"} if self.shared else set())
        found.update({"latent-moe"} if self.latent else set())
        found.update({ZERO_EXPERTS.key} if self.zero else set())
        found.update({"shortcut-moe"} if self.shortcut else set())
        found.update({"hash-routing"} if self.hashed else set())
        if stack.first_ffn is not None and not stack.first_ffn.ROUTED:
            found.add("dense-prefix")
        return found

    def panel(self, hidden: int) -> Sketch:
        s = Sketch("moe", "MoE layer", "ffn", "moe")
        router = Phrase(N_("Router\n(%(how)s, top-%(k)s)"), how=self.router.scoring, k=self.active)
        if self.hashed:
            router = Phrase(N_("Hash router\n(token id → %(k)s experts)"), k=self.active)
        s.box("router", router, "router")
        source = "in"
        if self.latent:
            down = Phrase(
                N_("Down-projection\n%(a)s → %(b)s"), a=f"{hidden:,}", b=f"{self.latent:,}"
            )
            s.box("down", down)
            s.chain("in", "down")
            source = "down"
        s.box("e1", "Expert 1", "expert")
        s.ellipsis("dots")
        last = Phrase(N_("Expert %(number)s"), number=self.experts)
        s.box("en", last, "expert")
        s.same_rank("e1", "dots", "en")
        s.edge("e1", "dots", "hidden")
        s.edge("dots", "en", "hidden")
        s.chain("in", "router")
        for expert in ("e1", "en"):
            s.edge("router" if source == "in" else source, expert)
        if source != "in":
            s.edge("router", "down", "hidden")
        self._combine(s, hidden)
        return s

    def _combine(self, s: Sketch, hidden: int) -> None:
        """The experts' outputs summed, with the shared and dense paths beside them."""
        average = self.shared is not None and self.shared.combine == "average"
        s.op("sum", "½Σ" if average else "+")
        if self.latent:
            s.op("mix", "+")
            up = Phrase(N_("Up-projection\n%(a)s → %(b)s"), a=f"{self.latent:,}", b=f"{hidden:,}")
            s.box("up", up)
            s.chain("e1", "mix")
            s.chain("en", "mix")
            if self.latent_norm:
                s.box("ln", "RMSNorm", "norm")
                s.chain("mix", "ln", "up", "sum")
            else:
                s.chain("mix", "up", "sum")
        else:
            s.chain("e1", "sum")
            s.chain("en", "sum")
        routed = N_("%(active)s of %(experts)s routed experts per token")
        s.notes.append(Phrase(routed, active=self.active, experts=self.experts))
        if self.shared:
            count = self.shared.count
            several = Phrase(N_("%(count)s shared experts"), count=count)
            s.box("shared", N_("Shared expert") if count == 1 else several, "shared")
            s.chain("in", "shared")
            if self.shared.gate:  # one sigmoid value per token scales the shared output
                s.chain(s.sigmoid_gate(("sgl", "sgs", "sgm"), "in", "shared"), "sum")
            else:
                s.chain("shared", "sum")
            shared = N_("+ %(count)s shared, hidden size %(size)s")
            s.notes.append(Phrase(shared, count=count, size=f"{self.shared.hidden:,}"))
            s.notes += [N_("a sigmoid gate (σ) scales the shared output")] * self.shared.gate
            sink = N_("the router weighs the shared experts with the routed ones")
            s.notes += [sink] * self.shared.sink
            if average:
                s.notes.append(N_("routed and shared outputs averaged"))
        if self.zero:
            self.zero.draw(s, "router", "sum")
        if self.parallel_dense:
            s.box("beside", "Dense FFN\n(every token)", "ffn")
            s.chain("in", "beside", "sum")
            dense = N_("+ dense FFN, hidden size %(size)s")
            s.notes.append(Phrase(dense, size=f"{self.parallel_dense.hidden:,}"))
            if self.parallel_dense.norms:
                norms = N_("each path with its own norms (%(norms)s)")
                s.notes.append(Phrase(norms, norms=self.parallel_dense.norms))
        s.notes += [N_("the experts' output is added after the next sub-layer")] * self.shortcut
        s.chain("sum", "out")
        s.notes.append(Phrase(N_("expert hidden size %(size)s"), size=f"{self.expert_hidden:,}"))

    @classmethod
    def import_name(cls, spec: ConfigSpec, specs: Sequence[ConfigSpec]) -> str:
        return "moe"


def from_config(c: ConfigReader, fam: FamilyTraits) -> ConfigSpec | None:
    """The MoE block a config describes, or None when it has no routed experts."""
    experts = c.int("n_routed_experts", "num_local_experts", "num_experts", "moe_num_experts")
    if not experts:
        return None
    active = c.int(
        "num_experts_per_tok",
        "experts_per_token",
        "moe_top_k",
        "num_experts_per_token",
        "top_k_experts",
        "moe_topk",
        "experts_top_k",
    )
    hidden = c.int("moe_intermediate_size", "expert_hidden_dim", "expert_ffn_hidden_size")
    if hidden is None:
        hidden = c.int("intermediate_size")  # Mixtral, gpt-oss: the experts' width
    spec: ConfigSpec = {
        "kind": "moe",
        "experts": experts,
        "active": active,
        "expert_hidden": hidden,
        "activation": activations.from_config(c, fam),
    }
    if fam.expert_bias:
        spec["bias"] = True
    spec["router"] = _router(c, fam)
    shared = _shared(c, fam, hidden)
    if shared:
        spec["shared"] = shared
    if c.has("moe_latent_size", "routed_expert_hidden_size"):
        # Nemotron 3's LatentMoE; Kimi K3's routed experts, with their output norm
        spec["latent"] = c.int("moe_latent_size", "routed_expert_hidden_size")
        if c.get("latent_moe_use_norm"):
            spec["latent_norm"] = True
    if zero := zero_experts.from_config(c):
        spec["zero"] = zero
    if c.get("residual_moe"):
        spec["parallel_dense"] = {
            "hidden": c.int("intermediate_size"),
            "activation": spec["activation"],
        }
    c.mark(*_UNDERSTOOD)
    # Step 3.5's spelling of "a MoE block in every layer"; other values would place it
    if c.data.get("use_moe") is True:
        c.mark("use_moe")
    if c.data.get("moe_layer_offset") == 0 and c.data.get("moe_every_n_layer") == 1:
        c.mark("moe_layer_offset", "moe_every_n_layer")
    return spec


#: how per-layer lists in configs name a MoE layer (Nemotron 3's ``layers_block_type``)
LAYER_WORD = "moe"


def hash_routed(spec: ConfigSpec) -> ConfigSpec:
    """The same block choosing its experts by token id, without a selection bias."""
    router = {k: v for k, v in spec["router"].items() if k != "bias"}
    return {**copy.deepcopy(spec), "router": {**router, "selection": "hash"}}


#: routing settings that change no figure or drawing
_UNDERSTOOD_NAMES = """
norm_topk_prob routed_scaling_factor n_group topk_group num_expert_group
use_grouped_topk moe_renormalize route_norm route_scale norm_expert_weight
moe_router_scaling_factor swiglu_limit shared_moe_mode num_limited_groups
num_expert_groups n_groups topk_method expert_swiglu_limit_list
share_expert_swiglu_limit_list scale_router_input
"""
_UNDERSTOOD = tuple(_UNDERSTOOD_NAMES.split())


def _router(c: ConfigReader, fam: FamilyTraits) -> ConfigSpec:
    scoring = c.get(
        "scoring_func",
        "score_func",
        "score_function",
        "moe_router_activation_func",
        "moe_router_activation",
        "expert_selection_fn",
        default=fam.router,
    )
    if c.get("moe_router_use_sigmoid"):
        scoring = "sigmoid"
    flagged = c.get("use_routing_bias", "moe_router_enable_expert_bias", "use_moe_router_bias")
    bias = fam.router_bias or c.get("topk_method") == "noaux_tc" or bool(flagged)
    kind = scoring if scoring in ("sigmoid", "sqrtsoftplus") else "softmax"
    return {"scoring": kind, "bias": bias}


def _shared(c: ConfigReader, fam: FamilyTraits, expert_hidden: int | None) -> ConfigSpec | None:
    c.mark("shared_expert_combination_strategy")  # 'sum' or, without shared experts, moot
    count = c.int("n_shared_experts", "num_shared_experts")
    hidden = c.int(
        "shared_expert_intermediate_size",
        "moe_shared_expert_intermediate_size",
        "share_expert_dim",
        "shared_intermediate_size",
    )
    if fam.shared_hidden_key:
        count, hidden = 1, c.int(fam.shared_hidden_key)
    if hidden and not count:
        count = 1
    if not count:
        return None
    width = hidden or expert_hidden
    if fam.shared_expert_gate:
        return {"count": 1, "hidden": width, "gate": True}
    if hidden and count > 1 and fam.shared_width == "total":
        return {"count": count, "hidden": hidden // count}
    spec: ConfigSpec = {"count": count, "hidden": width}
    if c.get("shared_expert_combination_strategy") == "average":
        spec["combine"] = "average"
    return spec

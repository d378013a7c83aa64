"""A mixture of experts whose router is a small MLP rather than one linear layer (ZAYA1).

The token is projected down to a narrow router width; a norm and a three-layer MLP with
GELUs score the experts there.  The router can also choose no expert at all (a skip
class beside the experts), and from the second layer on it adds the previous layer's
router state, scaled, before scoring (mixing routing decisions across depth).  The
experts themselves are those of an ordinary MoE.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field, StrictBool

from .base import Concept, ConfigReader, ConfigSpec, FamilyTraits, PosInt, Stack
from .moe import MoE
from .moe import from_config as moe_from_config
from .registry import register
from .sketch import Box, Sketch
from .words import N_, Joined, Phrase


@register
class MLPRouterMoE(MoE):
    """An MoE block routed by an MLP in a narrow router space."""

    kind: Literal["moe_mlp_router"]  # type: ignore[assignment]
    router_hidden: PosInt = Field(description="Width of the router's MLP (router_hidden_size).")
    skip_expert: StrictBool = Field(
        False, description="The router may send a token to no expert (an extra 'skip' class)."
    )
    depth_mixing: StrictBool = Field(
        False, description="The previous layer's router state, scaled, joins the router's input."
    )

    CONCEPTS: ClassVar[tuple[Concept, ...]] = (
        *MoE.CONCEPTS,
        Concept("mlp-router", "MLP router", 155),
    )

    @property
    def classes(self) -> int:
        """What the router scores: the experts, and the skip class if there is one."""
        return self.experts + (1 if self.skip_expert else 0)

    def router_params(self, hidden: int) -> int:
        r = self.router_hidden
        down = hidden * r + r
        mlp = r + 2 * (r * r + r) + r * self.classes  # norm, two hidden layers, scores
        scale = r if self.depth_mixing else 0
        bias = self.classes if self.router.bias else 0  # the selection bias per class
        return down + mlp + scale + bias

    def params(self, hidden: int) -> tuple[int, int]:
        total, active = super().params(hidden)
        linear = hidden * self.experts + (self.experts if self.router.bias else 0)
        router = self.router_params(hidden)
        return total - linear + router, active - linear + router

    def note(self) -> str:
        return Joined("", [super().note(), Phrase(N_(", MLP router"))])

    def phrase(self) -> str:
        return super().phrase() + ", routed by an MLP"

    def concepts_used(self, stack: Stack) -> set[str]:
        return super().concepts_used(stack) | {"mlp-router"}

    def panel(self, hidden: int) -> Sketch:
        s = super().panel(hidden)
        text = N_("MLP router (%(how)s, top-%(k)s)\n%(hidden)s → %(width)s, 3 layers")
        values = {"how": self.router.scoring, "k": self.active, "width": self.router_hidden}
        label = Phrase(text, hidden=f"{hidden:,}", **values)
        s.items = [
            Box(i.name, label, i.role) if isinstance(i, Box) and i.name == "router" else i
            for i in s.items
        ]
        if self.skip_expert:
            s.notes.append(N_("the router may also choose no expert (skip)"))
        if self.depth_mixing:
            s.notes.append(N_("router state carried from the previous layer"))
        return s


def from_config(c: ConfigReader, fam: FamilyTraits) -> ConfigSpec | None:
    """ZAYA's MoE keys: the usual expert keys and ``router_hidden_size``; its code always adds
    the skip class and, from the second layer on, the router state of the layer before."""
    spec = moe_from_config(c, fam)
    if spec is None or not c.has("router_hidden_size"):
        return spec
    return {
        **spec,
        "kind": "moe_mlp_router",
        "router_hidden": c.int("router_hidden_size"),
        "skip_expert": True,
        "depth_mixing": True,
    }

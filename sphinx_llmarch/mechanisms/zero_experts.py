"""Zero-computation experts: router choices that cost nothing.

Beside its real expert MLPs, a mixture of experts may offer the router experts without
weights: an identity expert returns the token unchanged (scaled by its router weight), a
zero expert returns nothing. A token whose top-k choices land on them uses fewer real
experts, so the compute per token varies with how hard the token is. The router has a
logit (and a score-correction bias) for each of them; nothing else is stored. How many
real experts a token uses on average is a property of the trained router, stated by the
publisher or not at all; without it, the active count is an upper bound (every choice a
real expert).
"""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from .base import Concept, ConfigReader, ConfigSpec, PosInt, Spec
from .sketch import Sketch
from .words import N_, Phrase

ZERO_EXPERTS = Concept("zero-experts", "Zero-computation experts", 155)


class ZeroExperts(Spec):
    """Experts without weights among the router's choices."""

    count: PosInt = Field(description="Weightless experts the router may choose.")
    kind: Literal["identity", "zero"] = Field(
        description="'identity': the token passes through; 'zero': it is dropped."
    )
    mean_real: float | None = Field(
        None,
        gt=0,
        description="Real experts a token uses on average, where the publisher states it; "
        "without it the active count assumes every choice is a real expert (an upper bound).",
    )

    CONCEPTS: ClassVar[tuple[Concept, ...]] = (ZERO_EXPERTS,)

    def real_choices(self, active: int) -> float:
        """The routed choices counted as real experts in the active parameters."""
        return self.mean_real if self.mean_real is not None else float(active)

    def note(self, active: int) -> str:
        """'+ 128 identity experts (on average 8 of the 12 choices real)'."""
        values: dict[str, object] = {"count": self.count, "active": active}
        if self.mean_real is not None:
            values["real"] = f"{self.mean_real:g}"
            text = N_(
                "+ %(count)s %(kind)s experts (on average %(real)s of the %(active)s choices real)"
            )
        else:
            text = N_("+ %(count)s %(kind)s experts (up to %(active)s real per token)")
        return Phrase(text, kind=Phrase(self._kind_name()), **values)

    def _kind_name(self) -> str:
        return N_("identity") if self.kind == "identity" else N_("zero")

    def draw(self, s: Sketch, router: str, combine: str) -> None:
        """Their box in the MoE panel: chosen by ``router``, their output into ``combine``."""
        verb = N_("pass the token through") if self.kind == "identity" else N_("return zero")
        box = N_("%(count)s %(kind)s experts\n(no weights: %(verb)s)")
        label = Phrase(box, count=self.count, kind=Phrase(self._kind_name()), verb=Phrase(verb))
        s.box("zero", label, "shared")
        s.edge(router, "zero", "route")
        s.chain("zero", combine)
        real = N_("on average %(real)s choices per token are real experts")
        s.notes.append(
            N_("the active count assumes every choice is real (an upper bound)")
            if self.mean_real is None
            else Phrase(real, real=f"{self.mean_real:g}")
        )


def from_config(c: ConfigReader) -> ConfigSpec | None:
    """LongCat's ``zero_expert_num`` and ``zero_expert_type``."""
    count = c.int("zero_expert_num")
    if not count:
        c.mark("zero_expert_type")
        return None
    kind = c.get("zero_expert_type", default="identity")
    return {"count": count, "kind": "identity" if kind == "identity" else "zero"}

"""Final logit soft-capping: the output logits squashed smoothly into ``(-cap, cap)``.

After the output layer each logit ``x`` becomes ``cap · tanh(x / cap)``: small logits pass
almost unchanged, large ones can no longer grow past the cap.  It adds no weights and no
cache; it belongs to the model as a whole, after the output head (Gemma 2 and 4, Muse
Glimmer).  Some models scale the logits by a constant first (``multiplier``).
"""

from __future__ import annotations

import math
from typing import ClassVar

from pydantic import Field

from .base import Concept, ConfigReader, ConfigSpec, Spec
from .words import N_, Phrase

SOFTCAP = Concept("logit-softcap", "Logit soft-capping", 305)


class LogitSoftcap(Spec):
    """The output logits pass through ``cap · tanh(multiplier · x / cap)``."""

    cap: float = Field(gt=0, description="The bound the logits approach (final_logit_softcapping).")
    multiplier: float | None = Field(
        None, gt=0, description="A constant the logits are scaled by before the cap, if any."
    )

    FIELD_NAMES: ClassVar[dict[str, str]] = {"cap": "logit soft-cap"}
    CONCEPTS: ClassVar[tuple[Concept, ...]] = (SOFTCAP,)

    def label(self) -> str:
        """Its box after the output layer: 'Logit soft-cap\\n30 · tanh(x / 30)'."""
        cap = f"{self.cap:g}"
        inner = f"{self.multiplier:.4g} · x" if self.multiplier else "x"
        return Phrase(N_("Logit soft-cap\n%(formula)s"), formula=f"{cap} · tanh({inner} / {cap})")

    def apply(self, logit: float) -> float:
        """What it does to one logit."""
        return self.cap * math.tanh((self.multiplier or 1.0) * logit / self.cap)


def from_config(c: ConfigReader) -> ConfigSpec | None:
    """The final soft-cap a config states (0 or null: none)."""
    cap = c.get("final_logit_softcapping")
    if not cap:
        return None
    spec: ConfigSpec = {"cap": float(cap)}
    multiplier = c.get("output_multiplier")
    if multiplier:
        spec["multiplier"] = float(multiplier)
    return spec

"""Normalisation: RMSNorm or LayerNorm, and where the norms sit around each sub-layer.

The placement decides how many norms a layer has (which the parameter count needs) and
how the diagram draws the block: a norm before each sub-layer (pre-norm), after it inside
the residual (post-norm), both (sandwich), or one norm feeding attention and feed-forward
side by side (a parallel block).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

from pydantic import Field, StrictBool

from .base import Concept, Spec
from .words import N_

PlacementName = Literal["pre", "post", "sandwich", "parallel"]


@dataclass(frozen=True)
class Placement:
    concept: Concept
    #: label of the norm before each sub-layer ({norm}: its kind, {i}: the sub-layer)
    before: str | None
    #: label of the norm after each sub-layer, inside the residual
    after: str | None = None
    #: the norm before the sub-layer is drawn with the family accent
    accent: bool = False
    #: one norm feeds every sub-layer, side by side (a parallel block)
    shared: bool = False

    def norms(self, sublayers: int) -> int:
        """Norms in a layer of ``sublayers`` sub-layers."""
        if self.shared:
            return 1
        return sublayers * ((self.before is not None) + (self.after is not None))


PLACEMENTS: dict[str, Placement] = {
    "pre": Placement(Concept("pre-norm", "Pre-norm", 260), before="{norm} {i}"),
    "post": Placement(
        Concept("post-norm", "Post-norm", 270), before=None, after=N_("Post-{norm} {i}")
    ),
    "sandwich": Placement(
        Concept("sandwich-norm", "Sandwich norm", 280),
        before=N_("Pre-{norm} {i}"),
        after=N_("Post-{norm} {i}"),
        accent=True,
    ),
    "parallel": Placement(
        Concept("parallel-block", "Parallel attention and feed-forward", 290),
        before="{norm}",
        shared=True,
    ),
}

CONCEPTS = tuple(p.concept for p in PLACEMENTS.values())


class Norm(Spec):
    kind: Literal["rmsnorm", "layernorm"]
    placement: PlacementName = Field(
        description="'pre'; 'post' (inside the residual); 'sandwich' (pre and post); "
        "'parallel' (one norm feeds attention and FFN side by side)."
    )
    eps: float | None = Field(None, gt=0)
    bias: StrictBool | None = Field(
        None, description="LayerNorm bias (default: yes for LayerNorm)."
    )
    zero_centered: StrictBool = Field(False, description="Weights stored as 1 + w.")

    FIELD_NAMES: ClassVar[dict[str, str]] = {"eps": "norm epsilon"}

    @property
    def has_bias(self) -> bool:
        return self.bias if self.bias is not None else self.kind == "layernorm"

    @property
    def name(self) -> str:
        return "RMSNorm" if self.kind == "rmsnorm" else "LayerNorm"

    @property
    def where(self) -> Placement:
        return PLACEMENTS[self.placement]

    def params(self, hidden: int) -> int:
        """Weights of one norm (a scale, and a bias where it has one)."""
        return hidden * (2 if self.has_bias else 1)

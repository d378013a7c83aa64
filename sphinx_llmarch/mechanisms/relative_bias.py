"""A learned relative position bias: each head adds a learned logit for how far back a key is.

No position is written into queries or keys. Instead every query projects the token to a
small per-head vector, and a learned table turns that vector into one additive logit per
distance up to an extent; keys further back get no bias. Inkling uses it, and scales its
global layers' logits up slowly with the length of the sequence (log-length scaling), so
that attention stays sharp over a million tokens.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from .base import Concept, ConfigReader, ConfigSpec, PosInt, PositionScheme, Spec
from .registry import register
from .words import N_


class LogScaling(Spec):
    """Logits scaled by 1 + alpha·ln(position / floor) once a query is past ``floor``."""

    alpha: float = Field(gt=0, description="Strength of the scaling.")
    floor: PosInt = Field(description="Position from which the logits start to grow.")


@register
class RelativeBias(PositionScheme):
    """A learned, query-dependent bias per head and per distance, added to the logits."""

    kind: Literal["relative-bias"]
    dims: PosInt = Field(description="Width of each head's relative branch (Inkling's d_rel).")
    extent: PosInt = Field(description="Distances that get a learned bias; further keys get 0.")
    log_scaling: LogScaling | None = Field(
        None, description="Logits grow with the log of the query's position past a floor."
    )

    FIELD_NAMES: ClassVar[dict[str, str]] = {"log_scaling": "log-length scaling"}
    CONCEPTS: ClassVar[tuple[Concept, ...]] = (
        Concept("relative-bias", "Learned relative position bias", 235),
        Concept("log-scaling", "Log-length attention scaling", 245),
    )

    def label(self) -> str:
        return N_("Relative bias + log scaling") if self.log_scaling else N_("Relative bias")

    def detail(self) -> str:
        return f"{self.dims} dims per head, {self.extent:,} distances"

    def concepts_used(self) -> set[str]:
        return {"relative-bias", *(["log-scaling"] if self.log_scaling else [])}

    def layer_params(self, hidden: int, heads: int) -> int:
        """The per-head projection to the relative branch and the distance table."""
        return hidden * heads * self.dims + self.dims * self.extent


def from_config(c: ConfigReader, *, extent: int, log_scaled: bool) -> ConfigSpec:
    """Inkling's bias: ``extent`` is the window on local layers, ``rel_extent`` on global ones;
    only the global layers scale their logits with the length."""
    spec: ConfigSpec = {"kind": "relative-bias", "dims": c.int("d_rel"), "extent": extent}
    floor = c.int("log_scaling_n_floor")
    if log_scaled and floor:
        spec["log_scaling"] = {"alpha": float(c.get("log_scaling_alpha")), "floor": floor}
    c.mark("rel_extent", "log_scaling_alpha", "log_scaling_n_floor")
    return spec

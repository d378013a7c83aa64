"""Proportional RoPE (p-RoPE): only the fastest rotation frequencies of a head are kept.

Ordinary partial RoPE rotates a share of each head's dimensions and spreads the whole
range of frequencies over that share.  p-RoPE keeps the frequencies the *full* head would
have had, rotates the pairs that get the highest ones and leaves the pairs that would
get the lowest unrotated (a frequency of zero).  The slowly turning pairs, which barely
change over a long context, then carry content only.  Gemma 4 uses it on its global
layers (``rope_type: proportional`` with a ``partial_rotary_factor``).
"""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from .base import Concept, ConfigReader, ConfigSpec, PositionScheme
from .registry import register
from .rope import RoPE, Theta

P_ROPE = Concept("p-rope", "Proportional RoPE (p-RoPE)", 225)


@register
class ProportionalRoPE(PositionScheme):
    """RoPE that keeps the fastest ``fraction`` of a full head's frequencies."""

    kind: Literal["p_rope"]
    theta: Theta = None
    fraction: float = Field(
        gt=0,
        le=1,
        description="Share of the head's frequency pairs that rotate: the fastest ones of "
        "a full-width RoPE; the other pairs are not rotated.",
    )

    FIELD_NAMES: ClassVar[dict[str, str]] = {"theta": "RoPE base", "fraction": "p-RoPE share"}
    CONCEPTS: ClassVar[tuple[Concept, ...]] = (P_ROPE,)

    def label(self) -> str:
        return "p-RoPE"

    def detail(self) -> str:
        parts = [f"{self.fraction:.0%} of frequencies"]
        if self.theta is not None:
            parts.append(f"θ {int(self.theta):,}")
        return ", ".join(parts)

    def rotated_share(self) -> float:
        return self.fraction

    def base_frequency(self) -> float | None:
        return self.theta

    def concepts_used(self) -> set[str]:
        return {RoPE.CONCEPTS[0].key, P_ROPE.key}


def from_config(c: ConfigReader, layer_type: str) -> ConfigSpec | None:
    """p-RoPE of one layer type when its ``rope_parameters`` entry is proportional."""
    params = c.nested("rope_parameters", layer_type)
    if not isinstance(params, dict) or params.get("rope_type") != "proportional":
        return None
    spec: ConfigSpec = {"kind": "p_rope", "fraction": float(params.get("partial_rotary_factor", 1))}
    if params.get("rope_theta") is not None:
        spec["theta"] = float(params["rope_theta"])
    return spec

"""No positional encoding (NoPE): a layer type whose attention sees no position at all.

Order still reaches such layers through the causal mask and through the layers around
them that do use positions.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from .base import Concept, ConfigSpec, PositionScheme
from .registry import register


@register
class NoPE(PositionScheme):
    """No positional signal in this layer type."""

    kind: Literal["nope"]

    CONCEPTS: ClassVar[tuple[Concept, ...]] = (
        Concept("nope", "No positional encoding (NoPE)", 230),
    )
    POSITIONLESS: ClassVar[bool] = True

    def label(self) -> str:
        return "NoPE"

    def concepts_used(self) -> set[str]:
        return {"nope"}


def from_config() -> ConfigSpec:
    """The position of a layer type that its family's code leaves without RoPE."""
    return {"kind": "nope"}

"""Learned absolute positions: a trained vector per position, added to the token embedding.

The layers themselves then see no further positional signal; the number of positions is
the native context, and their vectors count among the embedding parameters.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from .base import Concept, ConfigSpec, PositionScheme
from .registry import register


@register
class LearnedPositions(PositionScheme):
    """Absolute positions, learned and added to the token embedding."""

    kind: Literal["learned"]

    CONCEPTS: ClassVar[tuple[Concept, ...]] = (
        Concept("learned-positions", "Learned absolute positions", 200),
    )
    AT_EMBEDDING: ClassVar[bool] = True

    def label(self) -> str:
        return "Learned positions"

    def concepts_used(self) -> set[str]:
        return {"learned-positions"}

    def embedding_params(self, context: int, hidden: int) -> int:
        return context * hidden


def from_config() -> ConfigSpec:
    return {"kind": "learned"}

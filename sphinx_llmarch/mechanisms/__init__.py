"""Mechanisms: one module per token mixer, feed-forward kind and position scheme.

Importing this package registers the built-in mechanisms, in the order below (the order
in which messages list the kinds).  To add one, write a module like these and import it
here; nothing else in the package names a kind.
"""

from __future__ import annotations

# registered in this order, the order in which messages list the kinds
# isort: off
from . import attention, mla, gdla, gated_deltanet, kimi_delta, lightning, mamba2  # noqa: F401
from . import dense, moe  # noqa: F401
from . import rope, nope, learned, relative_bias  # noqa: F401
# isort: on

from .base import Concept, Experts, FeedForward, Mixer, PositionScheme, Spec, Stack
from .registry import REGISTRY, FeedForwardField, MixerField, PositionField, register

__all__ = [
    "REGISTRY",
    "Concept",
    "Experts",
    "FeedForward",
    "FeedForwardField",
    "Mixer",
    "MixerField",
    "PositionField",
    "PositionScheme",
    "Spec",
    "Stack",
    "register",
]

"""Mechanisms: one module per token mixer, feed-forward kind, position scheme,
residual stream and model-wide feature.

Importing this package registers the built-in mechanisms, in the order below (the order
in which messages list the kinds).  To add one, write a module like these and import it
here; nothing else in the package names a kind.
"""

from __future__ import annotations

# registered in this order, the order in which messages list the kinds
# isort: off
from . import attention, mla, gdla, compressed_attention, block_sparse  # noqa: F401
from . import gated_deltanet, kimi_delta, lightning, mamba2  # noqa: F401
from . import short_conv, mlstm, cca  # noqa: F401
from . import dense, moe, mlp_router  # noqa: F401
from . import rope, prope, nope, learned, relative_bias  # noqa: F401
from . import hyper_connections  # noqa: F401
from . import attention_residuals  # noqa: F401
# isort: on

from .base import Concept, Experts, FeedForward, Mixer, PositionScheme, Spec, Stack
from .modelwide import Feature, ResidualStream
from .registry import (
    REGISTRY,
    FeatureField,
    FeedForwardField,
    MixerField,
    PositionField,
    ResidualField,
    register,
)

__all__ = [
    "REGISTRY",
    "Concept",
    "Experts",
    "Feature",
    "FeatureField",
    "FeedForward",
    "FeedForwardField",
    "Mixer",
    "MixerField",
    "PositionField",
    "PositionScheme",
    "ResidualField",
    "ResidualStream",
    "Spec",
    "Stack",
    "register",
]

"""Memory to run a model: weights, KV cache and fixed state, at any context and batch.

Conventions (the docs' "Computed figures" page explains them with a worked example):

* **Weights**: every parameter of :func:`.figures.compute`'s total (all experts, the
  embedding and the head, no multi-token-prediction module) at one precision. Quantisation
  scales, and parts that a checkpoint keeps in higher precision, are not counted: a 4-bit
  figure is the lower bound of any 4-bit checkpoint.
* **KV cache**: for every layer and every part of its cache, the tokens it keeps (the
  context, or at most its window or chunk) times the values per token, times the batch,
  at the cache precision. Compressed attention keeps its window and one compressed entry
  per block of the history; MLA keeps its latent and RoPE key.
* **State**: the fixed per-sequence state of linear-attention, state-space and
  convolution layers, times the batch, at the state precision (the cache precision unless
  given).
* **Accelerators**: how many of a few common memory sizes hold the total, keeping 10% of
  each free for activations and the runtime.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from .figures import Figures

#: bytes per value of each precision a user can name
PRECISIONS: dict[str, float] = {
    "fp32": 4,
    "bf16": 2,
    "fp16": 2,
    "fp8": 1,
    "int8": 1,
    "int4": 0.5,
    "fp4": 0.5,
}
#: common accelerator memory sizes, in decimal gigabytes as vendors state them
ACCELERATORS: tuple[tuple[str, int], ...] = (
    ("24 GB", 24 * 10**9),
    ("80 GB", 80 * 10**9),
    ("141 GB", 141 * 10**9),
    ("192 GB", 192 * 10**9),
)
#: the share of each accelerator left free for activations, buffers and the runtime
HEADROOM = 0.10

_CONTEXT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([km]?)\s*$", re.IGNORECASE)


class MemoryInputError(ValueError):
    """An input the calculator cannot use; the message says which and why."""


def parse_context(text: str) -> int:
    """'131072', '128k' (× 1,024) or '1m' (× 1,048,576) tokens."""
    match = _CONTEXT.match(text)
    if not match:
        raise MemoryInputError(f"context '{text}' is not a number of tokens like 131072, 128k, 1m")
    number, unit = float(match.group(1)), match.group(2).lower()
    tokens = number * {"": 1, "k": 1024, "m": 1024 * 1024}[unit]
    if tokens != int(tokens) or tokens <= 0:
        raise MemoryInputError(f"context '{text}' must be a positive whole number of tokens")
    return int(tokens)


def precision(name: str) -> float:
    """Bytes per value of a named precision."""
    try:
        return PRECISIONS[name.lower()]
    except KeyError:
        known = ", ".join(PRECISIONS)
        raise MemoryInputError(f"unknown precision '{name}'; use one of: {known}") from None


@dataclass(frozen=True)
class Memory:
    """Bytes to run one model at one setting; all integers."""

    context: int
    batch: int
    weights_bytes: int
    kv_cache_bytes: int
    state_bytes: int
    #: whether the context exceeds the model's native maximum
    beyond_maximum: bool

    @property
    def total_bytes(self) -> int:
        return self.weights_bytes + self.kv_cache_bytes + self.state_bytes

    def accelerators(self) -> list[tuple[str, int]]:
        """(memory size, how many) to hold the total with :data:`HEADROOM` kept free."""
        return [
            (name, math.ceil(self.total_bytes / (size * (1 - HEADROOM))))
            for name, size in ACCELERATORS
        ]

    def as_dict(self) -> dict[str, object]:
        return {
            "context": self.context,
            "batch": self.batch,
            "weights_bytes": self.weights_bytes,
            "kv_cache_bytes": self.kv_cache_bytes,
            "state_bytes": self.state_bytes,
            "total_bytes": self.total_bytes,
            "beyond_maximum": self.beyond_maximum,
            "accelerators": dict(self.accelerators()),
        }


def cache_values(figures: Figures, context: int) -> int:
    """Values one sequence of ``context`` tokens keeps in the KV cache, windows capped."""
    return figures.cached_values(context)


def memory(
    figures: Figures,
    *,
    context: int,
    maximum: int,
    batch: int = 1,
    weights: str = "bf16",
    kv: str = "bf16",
    state: str | None = None,
) -> Memory:
    """The memory of a model with ``figures`` at ``context`` tokens for ``batch`` sequences;
    ``maximum`` is its native context (beyond it the figures hold, the model may not)."""
    _check_positive(context=context, batch=batch)
    per_weight, per_value = precision(weights), precision(kv)
    per_state = precision(state) if state else per_value
    return Memory(
        context=context,
        batch=batch,
        weights_bytes=math.ceil(figures.total_params * per_weight),
        kv_cache_bytes=math.ceil(batch * figures.cached_values(context) * per_value),
        state_bytes=math.ceil(batch * figures.state_values * per_state),
        beyond_maximum=context > maximum,
    )


def _check_positive(**values: int) -> None:
    for name, value in values.items():
        if value <= 0:
            raise MemoryInputError(f"{name} must be a positive whole number, not {value}")


def crossover(
    figures: Figures, *, maximum: int, batch: int = 1, weights: str = "bf16", kv: str = "bf16"
) -> int | None:
    """The smallest context at which the KV cache of ``batch`` sequences outweighs the
    weights, or None if it never does up to ``maximum`` tokens (windows stop a cache from
    growing)."""
    _check_positive(batch=batch)
    per_weight, per_value = precision(weights), precision(kv)
    target = figures.total_params * per_weight

    def over(n: int) -> bool:
        return batch * figures.cached_values(n) * per_value > target

    if not over(maximum):
        return None
    low, high = 0, maximum  # the cache grows with the context: bisect
    while high - low > 1:
        middle = (low + high) // 2
        if over(middle):
            high = middle
        else:
            low = middle
    return high


#: the contexts of the tables that need no script
STANDARD_CONTEXTS = (4 * 1024, 32 * 1024, 128 * 1024, 1024 * 1024)


def standard_contexts(maximum: int) -> list[int]:
    """The standard contexts a model allows, and its maximum if that is not one of them."""
    allowed = [n for n in STANDARD_CONTEXTS if n <= maximum]
    return allowed if maximum in allowed or maximum > STANDARD_CONTEXTS[-1] else [*allowed, maximum]


def settings() -> dict[str, object]:
    """The calculator's constants for the browser, from this module."""
    return {
        "precisions": PRECISIONS,
        "accelerators": [[name, size] for name, size in ACCELERATORS],
        "headroom": HEADROOM,
    }


def coefficients(figures: Figures, *, maximum: int, state: str | None) -> dict[str, object]:
    """What the browser needs to compute :func:`memory` for one model: the parameters, the
    cache curve's pieces ``[start, per token, full]``, the state values and its precision."""
    return {
        "params": figures.total_params,
        "curve": [[p.start, p.per_token, p.full] for p in figures.cache_curve],
        "state": figures.state_values,
        "state_precision": state,
        "maximum": maximum,
    }

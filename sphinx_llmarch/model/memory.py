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
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .figures import Figures, cache_at

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


@dataclass(frozen=True)
class Coefficients:
    """All the calculator needs of one model; plain data, so the browser gets it as JSON."""

    #: every parameter the weights hold (:func:`.figures.compute`'s total)
    params: int
    #: the cache as :class:`.figures.CachePiece` rows ``[start, per token, full]``
    curve: tuple[tuple[int, int, int], ...]
    #: values of the fixed per-sequence state
    state: int
    #: the precision the model declares for its state, if it declares one
    state_precision: str | None
    #: the native context
    maximum: int

    @classmethod
    def of(cls, figures: Figures, *, maximum: int, state: str | None = None) -> Coefficients:
        curve = tuple((p.start, p.per_token, p.full) for p in figures.cache_curve)
        return cls(figures.total_params, curve, figures.state_values, state, maximum)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Coefficients:
        curve = tuple((int(a), int(b), int(c)) for a, b, c in data["curve"])
        return cls(data["params"], curve, data["state"], data["state_precision"], data["maximum"])

    def as_dict(self) -> dict[str, Any]:
        return {
            "params": self.params,
            "curve": [list(p) for p in self.curve],
            "state": self.state,
            "state_precision": self.state_precision,
            "maximum": self.maximum,
        }


def cache_values(c: Coefficients, context: int) -> int:
    """Values one sequence of ``context`` tokens keeps in the KV cache, windows capped."""
    return cache_at(c.curve, context)


def memory(
    c: Coefficients,
    *,
    context: int,
    batch: int = 1,
    weights: str = "bf16",
    kv: str = "bf16",
    state: str | None = None,
) -> Memory:
    """The memory of a model at ``context`` tokens for ``batch`` sequences; the state is
    held at ``state``, else at the precision the model declares, else at the cache's.
    Beyond the native maximum the figures hold; the model may not."""
    _check_positive(context=context, batch=batch)
    per_weight, per_value = precision(weights), precision(kv)
    per_state = precision(state or c.state_precision or kv)
    return Memory(
        context=context,
        batch=batch,
        weights_bytes=math.ceil(c.params * per_weight),
        kv_cache_bytes=math.ceil(batch * cache_values(c, context) * per_value),
        state_bytes=math.ceil(batch * c.state * per_state),
        beyond_maximum=context > c.maximum,
    )


def _check_positive(**values: int) -> None:
    for name, value in values.items():
        if value <= 0:
            raise MemoryInputError(f"{name} must be a positive whole number, not {value}")


def crossover(
    c: Coefficients, *, batch: int = 1, weights: str = "bf16", kv: str = "bf16"
) -> int | None:
    """The smallest context at which the KV cache of ``batch`` sequences outweighs the
    weights, or None if it never does up to the native maximum (windows stop a cache from
    growing)."""
    _check_positive(batch=batch)
    per_weight, per_value = precision(weights), precision(kv)
    target = c.params * per_weight

    def over(n: int) -> bool:
        return batch * cache_values(c, n) * per_value > target

    if not over(c.maximum):
        return None
    low, high = 0, c.maximum  # the cache grows with the context: bisect
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

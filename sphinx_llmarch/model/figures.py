"""Figures computed from a model description alone: parameters and KV cache.

Conventions (documented in the docs' "Computed figures" page):

* ``total_params``: every weight needed for ordinary next-token inference of the
  language model: embeddings, all layers with all experts, the final norm and the
  output head (counted once when tied), and the weights of a widened residual
  stream (hyper-connections).  Multi-token-prediction modules are
  reported apart as ``mtp_params``; vision encoders are not modelled.
* ``active_params``: the weights one token uses: as the total, but with only the
  routed experts it is sent to (plus shared experts, router, embeddings, head);
  of n-gram embedding tables, only the rows a token reads and their projections.
* ``kv_cache_bytes_per_token``: bf16 bytes (:data:`BYTES_PER_VALUE`) of keys and values
  one token adds,
  summed over every layer that keeps a per-token cache.  Sliding-window and
  chunked layers count as if global; linear-attention and state-space layers
  count zero; MLA caches its latent plus its RoPE key.  A looped stack counts each
  layer once per pass that keeps its own cache; its weights count once.
* ``kv_cache_bytes(context)``: the cache of one sequence of ``context`` tokens
  with windows and chunks capped, plus the fixed state of linear/SSM layers.

Each mechanism counts its own weights, cached values and state (:mod:`..mechanisms`);
this module adds them up over the layers and turns values into bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from .loader import LoadedModel
from .schema import Architecture, Convention
from .stack import LayerSpec, parse_spec

#: caches and states are counted in bf16, as KV caches are usually quoted
BYTES_PER_VALUE = 2


class CachePiece(NamedTuple):
    """From ``start`` tokens on (until the next piece), a sequence of ``n`` tokens keeps
    ``per_token * n + full`` values: the growing caches, plus the windows already full."""

    start: int
    per_token: int
    full: int


def cache_at(curve: Sequence[Sequence[int]], context: int) -> int:
    """Values a ``context``-token sequence keeps, read off a curve of :class:`CachePiece`
    (or of plain ``[start, per_token, full]`` lists, as the export carries them)."""
    _, per_token, full = [p for p in curve if p[0] <= max(context, 1)][-1]
    return per_token * context + full


@dataclass(frozen=True)
class Figures:
    """Computed figures of one model; all integers."""

    total_params: int
    active_params: int
    embedding_params: int
    #: the output head alone (0 when tied), part of ``embedding_params``
    head_params: int
    mtp_params: int
    kv_cache_bytes_per_token: int
    #: per part of each layer's cache: (values per token, tokens kept or None for all)
    cache_values: tuple[tuple[int, int | None], ...]
    #: values of the fixed per-sequence state of linear-attention and state-space layers
    state_values: int

    @property
    def cache_layers(self) -> tuple[tuple[int, int | None], ...]:
        """The cache parts in bytes per token (bf16)."""
        return tuple((values * BYTES_PER_VALUE, span) for values, span in self.cache_values)

    @property
    def linear_state_bytes(self) -> int:
        return self.state_values * BYTES_PER_VALUE

    @property
    def cache_curve(self) -> tuple[CachePiece, ...]:
        """The values one sequence keeps in its cache as a function of its length: linear
        pieces, a new one wherever a window or chunk fills up."""
        spans = sorted({span for _, span in self.cache_values if span})
        pieces = []
        for start in (1, *spans):
            per_token = sum(v for v, span in self.cache_values if not span or span > start)
            full = sum(v * span for v, span in self.cache_values if span and span <= start)
            pieces.append(CachePiece(start, per_token, full))
        return tuple(pieces)

    def cached_values(self, context: int) -> int:
        """Values a ``context``-token sequence keeps in its cache, windows capped."""
        return cache_at(self.cache_curve, context)

    def kv_cache_bytes(self, context: int) -> int:
        """Cache of one ``context``-token sequence, windows capped, plus linear state."""
        return self.cached_values(context) * BYTES_PER_VALUE + self.linear_state_bytes

    def counted(self, convention: Convention) -> tuple[int, int]:
        """(total, active) counted as a publisher with ``convention`` counts them."""
        left_out = {
            "everything": 0,
            "without-embeddings": self.embedding_params,
            "without-output-head": self.head_params,
        }[convention]
        return self.total_params - left_out, self.active_params - left_out

    @property
    def active_share(self) -> float:
        return self.active_params / self.total_params

    def as_dict(self) -> dict[str, int | float]:
        return {
            "total_params": self.total_params,
            "active_params": self.active_params,
            "active_share": round(self.active_share, 4),
            "embedding_params": self.embedding_params,
            "mtp_params": self.mtp_params,
            "kv_cache_bytes_per_token": self.kv_cache_bytes_per_token,
            "linear_state_bytes": self.linear_state_bytes,
        }


def layer_params(arch: Architecture, spec: LayerSpec) -> tuple[int, int]:
    """(total, active) weights of one layer, norms and residual-stream mixing included."""
    h = arch.hidden_size
    total = active = sublayers = 0
    if spec.mixer:
        n = arch.mixers[spec.mixer].params(h)
        total, active, sublayers = total + n, active + n, sublayers + 1
    if spec.ffn:
        t, a = arch.ffns[spec.ffn].params(h)
        total, active, sublayers = total + t, active + a, sublayers + 1
    norms = arch.norm.where.norms(sublayers) * arch.norm.params(h)
    if arch.residual:
        norms += sublayers * arch.residual.params_per_sublayer(h)
    return total + norms, active + norms


def compute(model: LoadedModel) -> Figures:
    """All computed figures of ``model``."""
    spec = model.spec
    arch = spec.architecture
    h, vocab = arch.hidden_size, arch.vocab_size
    layers: Sequence[LayerSpec] = model.layers

    embedding = vocab * h + _position_params(arch, spec.context.native)
    if arch.per_layer_embeddings:
        embedding += vocab * arch.layers.count * arch.per_layer_embeddings
    head = 0 if arch.tie_embeddings else vocab * h
    fixed = embedding + head + arch.norm.params(h) + _stream_end(arch)
    fixed += sum(f.params(h, arch.layers.count) for f in arch.features)

    per_layer = {s: layer_params(arch, s) for s in set(layers)}
    total = fixed + sum(per_layer[s][0] for s in layers)
    active = fixed + sum(per_layer[s][1] for s in layers)
    if arch.ngram_embeddings:  # its tables are counted apart: a token reads one row of each
        total += arch.ngram_embeddings.params(vocab, h)
        active += arch.ngram_embeddings.active_params(h)

    # a looped stack keeps a cache (and a state) per layer for every pass
    passes = arch.loop.cache_passes() if arch.loop else 1
    mixers = [arch.mixers[s.mixer] for s in layers if s.mixer] * passes
    cache_values = tuple(part for m in mixers for part in m.cache_parts())
    return Figures(
        total_params=total,
        active_params=active,
        embedding_params=embedding + head,
        head_params=head,
        mtp_params=_mtp_params(arch, layers),
        kv_cache_bytes_per_token=sum(v for v, _ in cache_values) * BYTES_PER_VALUE,
        cache_values=cache_values,
        state_values=sum(m.state_values() for m in mixers),
    )


def _position_params(arch: Architecture, context: int) -> int:
    """Weights of position schemes that live in the embedding (learned positions), once each."""
    schemes = {
        type(p): p.embedding_params(context, arch.hidden_size)
        for m in arch.mixers.values()
        if (p := m.position_scheme()) is not None
    }
    return sum(schemes.values())


def _mtp_params(arch: Architecture, layers: Sequence[LayerSpec]) -> int:
    """Each module: its layers, a 2h→h projection and three norms (embedding/head shared)."""
    if not arch.mtp:
        return 0
    names = list(arch.mixers), list(arch.ffns)
    specs = [parse_spec(t, *names) for t in arch.mtp.pattern] if arch.mtp.pattern else [layers[-1]]
    h = arch.hidden_size
    module = sum(layer_params(arch, s)[0] for s in specs) + 2 * h * h + 3 * arch.norm.params(h)
    return arch.mtp.modules * (module + _stream_end(arch))


def _stream_end(arch: Architecture) -> int:
    """Weights that end a widened residual stream before a final norm and head."""
    return arch.residual.head_params(arch.hidden_size) if arch.residual else 0

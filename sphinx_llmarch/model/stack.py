"""The layer stack: expand the schedule into layers, and what the layers have in common.

Pure functions over :mod:`.schema` objects.  The schedule is the single source
of truth for the number of layers, the layer mix ("52 sliding-window + 10
global") and the ratios drawn in the diagrams.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from ..mechanisms import Stack
from .schema import Architecture, LayerGroup, LayerItem

SchedulePath = tuple[str | int, ...]


@dataclass(frozen=True)
class LayerSpec:
    """One layer: a token mixer, a feed-forward block, or both (mixer first)."""

    mixer: str | None
    ffn: str | None

    @property
    def text(self) -> str:
        return " + ".join(p for p in (self.mixer, self.ffn) if p)


@dataclass(frozen=True)
class ScheduleError:
    path: SchedulePath
    message: str


def parse_spec(text: str, mixers: Sequence[str], ffns: Sequence[str]) -> LayerSpec:
    """Parse ``'mixer + ffn'``, ``'mixer'`` or ``'ffn'``; raise ValueError when unknown."""
    parts = [p.strip() for p in text.split("+")]
    mixer = ffn = None
    for part in parts:
        if part in mixers and mixer is None and ffn is None:
            mixer = part
        elif part in ffns and ffn is None:
            ffn = part
        else:
            known = ", ".join(sorted([*mixers, *ffns])) or "none defined"
            raise ValueError(
                f"'{text}' is not 'mixer + ffn', 'mixer' or 'ffn' (known names: {known})"
            )
    return LayerSpec(mixer, ffn)


def expand(
    items: Sequence[LayerItem],
    mixers: Sequence[str],
    ffns: Sequence[str],
    path: SchedulePath = ("architecture", "layers", "schedule"),
    errors: list[ScheduleError] | None = None,
) -> list[LayerSpec]:
    """All layers in order. Unknown names are collected in ``errors`` and skipped."""
    errors = [] if errors is None else errors
    layers: list[LayerSpec] = []
    for index, item in enumerate(items):
        if isinstance(item, LayerGroup):
            inner = expand(item.pattern, mixers, ffns, (*path, index, "pattern"), errors)
            layers.extend(inner * item.repeat)
        else:
            try:
                layers.append(parse_spec(item, mixers, ffns))
            except ValueError as exc:
                errors.append(ScheduleError((*path, index), str(exc)))
    return layers


@dataclass(frozen=True)
class Run:
    """Consecutive layers with the same spec; ``first`` and ``last`` are 1-based."""

    first: int
    last: int
    spec: LayerSpec

    @property
    def count(self) -> int:
        return self.last - self.first + 1


def runs(layers: Sequence[LayerSpec]) -> Iterator[Run]:
    start = 0
    for i in range(1, len(layers) + 1):
        if i == len(layers) or layers[i] != layers[start]:
            yield Run(start + 1, i, layers[start])
            start = i


def unused_names(arch: Architecture, layers: Sequence[LayerSpec]) -> list[tuple[str, str]]:
    """(section, name) of mixers and FFNs that no layer uses."""
    used_m = {s.mixer for s in layers}
    used_f = {s.ffn for s in layers}
    return [("mixers", n) for n in arch.mixers if n not in used_m] + [
        ("ffns", n) for n in arch.ffns if n not in used_f
    ]


def used_mixers(arch: Architecture, layers: Sequence[LayerSpec]) -> list[str]:
    """Names of the mixers some layer uses, in definition order."""
    used = {s.mixer for s in layers}
    return [n for n in arch.mixers if n in used]


def used_ffns(arch: Architecture, layers: Sequence[LayerSpec]) -> list[str]:
    used = {s.ffn for s in layers}
    return [n for n in arch.ffns if n in used]


def needs_schedule(arch: Architecture, layers: Sequence[LayerSpec]) -> bool:
    """Whether one block cannot describe the stack (a dense prefix alone does not count)."""
    return (
        len(used_mixers(arch, layers)) > 1
        or len(list(runs(layers))) > 2
        or any(not (s.mixer and s.ffn) for s in layers)
    )


def context(arch: Architecture, layers: Sequence[LayerSpec]) -> Stack:
    """What the mechanisms may ask of the model around them when they name themselves."""
    first = layers[0].ffn if layers else None
    return Stack(
        has_local=any(m.span() is not None for m in arch.mixers.values()),
        first_ffn=arch.ffns[first] if first else None,
    )

"""The layer stack: expand the schedule, name layer types, derive the layer mix.

Pure functions over :mod:`.schema` objects.  The schedule is the single source
of truth for the number of layers, the layer mix ("52 sliding-window + 10
global") and the ratios drawn in the diagrams.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from .labels import ffn_label, mixer_label
from .schema import Architecture, LayerGroup, LayerItem, MoE, is_linear

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


def layers_of(arch: Architecture) -> list[LayerSpec]:
    """The expanded layer list of a validated architecture."""
    return expand(arch.layers.schedule, list(arch.mixers), list(arch.ffns))


def layer_mix(arch: Architecture, layers: Sequence[LayerSpec]) -> list[tuple[str, int]]:
    """Counts of each layer type, the most common first.

    FFN-only layers (hybrid stacks with single-purpose layers) are counted too.
    """
    counts: Counter[str] = Counter()
    order: list[str] = []
    for spec in layers:
        if spec.mixer:
            label = mixer_label(arch.mixers[spec.mixer], arch)
        elif spec.ffn:
            label = ffn_label(arch.ffns[spec.ffn])
        else:  # pragma: no cover - parse_spec never yields an empty spec
            continue
        if label not in counts:
            order.append(label)
        counts[label] += 1
    # most common first; ties keep the order of first appearance
    return sorted(((label, counts[label]) for label in order), key=lambda item: -item[1])


def layer_mix_text(mix: Sequence[tuple[str, int]]) -> str:
    return " + ".join(f"{count} {label}" for label, count in mix)


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


def decoder_type(arch: Architecture, layers: Sequence[LayerSpec]) -> str:
    """'Dense', 'Sparse MoE', 'Dense hybrid' or 'Sparse hybrid'."""
    moe = any(isinstance(arch.ffns[n], MoE) for n in used_ffns(arch, layers))
    linear = any(is_linear(arch.mixers[n]) for n in used_mixers(arch, layers))
    if linear:
        return "Sparse hybrid" if moe else "Dense hybrid"
    return "Sparse MoE" if moe else "Dense"


def needs_schedule(arch: Architecture, layers: Sequence[LayerSpec]) -> bool:
    """Whether one block cannot describe the stack (a dense prefix alone does not count)."""
    return (
        len(used_mixers(arch, layers)) > 1
        or len(list(runs(layers))) > 2
        or any(not (s.mixer and s.ffn) for s in layers)
    )


def majority(layers: Sequence[LayerSpec], attr: str) -> str | None:
    """The mixer or FFN name used by the most layers (first on ties)."""
    counts = Counter(getattr(s, attr) for s in layers if getattr(s, attr))
    return counts.most_common(1)[0][0] if counts else None

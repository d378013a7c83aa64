"""The layer stack: expand the schedule, name layer types, derive the layer mix.

Pure functions over :mod:`.schema` objects.  The schedule is the single source
of truth for the number of layers, the layer mix ("52 sliding-window + 10
global") and the ratios drawn in the diagrams.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from .schema import (
    FFN,
    MLA,
    Architecture,
    Attention,
    DeltaMixer,
    LayerGroup,
    LayerItem,
    Lightning,
    Mamba2,
    Mixer,
    MoE,
    Position,
)

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


# --------------------------------------------------------------------------- naming

_LINEAR_NAMES = {
    "gated_deltanet": "Gated DeltaNet",
    "kimi_delta": "Kimi Delta Attention",
    "lightning": "Lightning Attention",
    "mamba2": "Mamba-2",
}


def is_linear(mixer: Mixer) -> bool:
    """Linear-attention and state-space mixers keep a fixed state, not a KV cache."""
    return isinstance(mixer, DeltaMixer | Lightning | Mamba2)


def attention_kind_name(mixer: Mixer) -> str:
    """The mixer's kind as a reader names it: 'GQA', 'MLA + DSA', 'Gated DeltaNet'."""
    if isinstance(mixer, Attention):
        return mixer.kind.upper()
    if isinstance(mixer, MLA):
        return "MLA + DSA" if mixer.sparse else "MLA"
    return _LINEAR_NAMES[mixer.kind]


def mixer_label(mixer: Mixer, arch: Architecture) -> str:
    """Short label used in layer mixes, e.g. 'sliding-window' or 'gated attention'."""
    if isinstance(mixer, Attention):
        if mixer.window:
            return "sliding-window"
        if mixer.chunk:
            return "chunked"
        local = any(
            isinstance(m, Attention) and (m.window or m.chunk) for m in arch.mixers.values()
        )
        if local:
            return "global"
        if mixer.output_gate != "none":
            return "gated attention"
        return attention_kind_name(mixer)
    if isinstance(mixer, MLA):
        return attention_kind_name(mixer)
    return _LINEAR_NAMES[mixer.kind]


def ffn_label(ffn: FFN) -> str:
    return "MoE" if isinstance(ffn, MoE) else "FFN"


def layer_mix(arch: Architecture, layers: Sequence[LayerSpec]) -> list[tuple[str, int]]:
    """Counts of each layer type, mixers first, in order of first appearance.

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
    return [(label, counts[label]) for label in order]


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


def position_of(m: Mixer) -> Position | None:
    """How a mixer sees positions; None for mixers without positional encoding settings."""
    return m.position if isinstance(m, Attention | MLA | Lightning) else None


def position_label(p: Position) -> str:
    """'RoPE', 'Partial RoPE + YaRN', 'NoPE', 'Learned positions'."""
    if p.kind == "learned":
        return "Learned positions"
    if p.kind == "nope":
        return "NoPE"
    label = "Partial RoPE" if p.fraction < 1 else "RoPE"
    if p.scaling:
        label += " + " + ("YaRN" if p.scaling.kind == "yarn" else f"{p.scaling.kind} scaling")
    return label


def _kind_phrase(m: Mixer) -> str:
    if isinstance(m, Attention):
        base = ("gated " if m.output_gate != "none" else "") + m.kind.upper()
        if m.window:
            return f"sliding-window {base} ({m.window:,})"
        if m.chunk:
            return f"chunked {base} ({m.chunk:,})"
        return base
    if isinstance(m, MLA):
        return f"MLA with DSA (top-{m.sparse.top_k:,})" if m.sparse else "MLA"
    return _LINEAR_NAMES[m.kind]


def attention_summary(arch: Architecture, layers: Sequence[LayerSpec]) -> str:
    """One line on the token mixers: 'GQA with RoPE', 'MLA with RoPE + YaRN; QK-norm'."""
    mixers = [arch.mixers[n] for n in used_mixers(arch, layers)]
    kinds = list(dict.fromkeys(_kind_phrase(m) for m in mixers))
    positions = list(dict.fromkeys(position_label(p) for m in mixers if (p := position_of(m))))
    flags = []
    if any(getattr(m, "qk_norm", "none") != "none" for m in mixers):
        flags.append("QK-norm")
    if any(isinstance(m, Attention) and m.sinks for m in mixers):
        flags.append("attention sinks")
    if any(getattr(m, "bias", "none") != "none" for m in mixers):
        flags.append("attention bias")
    if any(isinstance(m, Attention) and m.kv_shared for m in mixers):
        flags.append("K = V")
    text = " + ".join(kinds)
    if positions:
        text += " with " + " / ".join(positions)
    return text + ("; " + ", ".join(flags) if flags else "")

"""How a model's parts are named together: layer mixes, decoder types, combined titles and
the one-line attention summary.  Each mechanism names itself; this module combines them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from ..mechanisms import Mixer, Stack
from ..model.loader import LoadedModel
from ..model.schema import Architecture, ModelSpec
from ..model.stack import LayerSpec, used_ffns, used_mixers


def layer_mix(model: LoadedModel) -> list[tuple[str, int]]:
    """Counts of each layer type, the most common first.

    FFN-only layers (hybrid stacks with single-purpose layers) are counted too.
    """
    arch, stack = model.spec.architecture, model.stack
    counts: Counter[str] = Counter()
    order: list[str] = []
    for spec in model.layers:
        if spec.mixer:
            label = arch.mixers[spec.mixer].mix_label(stack)
        elif spec.ffn:
            label = arch.ffns[spec.ffn].mix_label()
        else:  # pragma: no cover - parse_spec never yields an empty spec
            continue
        if label not in counts:
            order.append(label)
        counts[label] += 1
    # most common first; ties keep the order of first appearance
    return sorted(((label, counts[label]) for label in order), key=lambda item: -item[1])


def layer_mix_text(mix: Sequence[tuple[str, int]]) -> str:
    return " + ".join(f"{count} {label}" for label, count in mix)


def decoder_type(arch: Architecture, layers: Sequence[LayerSpec]) -> str:
    """'Dense', 'Sparse MoE', 'Dense hybrid', 'Sparse hybrid', or 'Recurrent' when no layer
    is softmax attention (every mixer keeps a fixed state)."""
    routed = any(arch.ffns[n].ROUTED for n in used_ffns(arch, layers))
    roles = {arch.mixers[n].ROLE for n in used_mixers(arch, layers)}
    if roles and "attention" not in roles:
        return "Sparse recurrent" if routed else "Recurrent"
    if roles - {"attention"}:
        return "Sparse hybrid" if routed else "Dense hybrid"
    return "Sparse MoE" if routed else "Dense"


def mixers_title(mixers: Sequence[Mixer], stack: Stack) -> str:
    """One box for several mixer types: 'Grouped-query attention\\n(sliding-window or global)'."""
    titles = list(dict.fromkeys(m.title(stack) for m in mixers))
    if len(titles) == 1:
        return titles[0]
    kinds = {type(m) for m in mixers}
    merged = next(iter(kinds)).merged_title(mixers, stack) if len(kinds) == 1 else None
    return merged if merged is not None else " or\n".join(titles)


def attention_summary(arch: Architecture, mixers: Sequence[str]) -> str:
    """One line on the token mixers: 'GQA with RoPE', 'MLA with RoPE + YaRN; QK-norm'."""
    used = [arch.mixers[n] for n in mixers]
    kinds = list(dict.fromkeys(m.phrase() for m in used))
    positions = list(
        dict.fromkeys(p.label() for m in used if (p := m.position_scheme()) is not None)
    )
    flags = list(dict.fromkeys(flag for m in used for flag in m.flags()))
    text = " + ".join(kinds)
    if positions:
        text += " with " + " / ".join(positions)
    return text + ("; " + ", ".join(flags) if flags else "")


def unconfirmed_text(spec: ModelSpec) -> str:
    """The model's unconfirmed fields in words: 'QK-norm, attention bias'."""
    return ", ".join(dict.fromkeys(_field_name(spec, f) for f in spec.unconfirmed))


def _field_name(spec: ModelSpec, path: str) -> str:
    """A field's readable name, as the object that would hold it names it."""
    *parents, last = path.split(".")
    holder: Any = spec
    for part in parents:
        holder = holder.get(part) if isinstance(holder, dict) else getattr(holder, part, None)
    names = getattr(holder, "FIELD_NAMES", {})
    return str(names.get(last, path))

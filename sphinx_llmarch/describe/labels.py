"""How a model's parts are named together: layer mixes, decoder types, combined titles and
the one-line attention summary.  Each mechanism names itself; this module combines them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ..mechanisms import Mixer, Spec, Stack
from ..mechanisms.words import N_, Joined, Phrase
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


def alongside(parts: Sequence[str]) -> str:
    """Parts that stand side by side in one stack (different layers): 'a, b and c'.  '+'
    is kept for parts combined in the same layer ('RoPE + YaRN', 'MLA + DSA')."""
    return Joined(N_(" and "), [Joined(", ", parts[:-1]), parts[-1]] if len(parts) > 2 else parts)


def layer_mix_text(mix: Sequence[tuple[str, int]]) -> str:
    counted = N_("%(count)s %(label)s")
    return alongside([Phrase(counted, count=count, label=Phrase(label)) for label, count in mix])


def _distinct(
    parts: Mapping[str, Spec], label: Callable[[str], str], tell: Callable[[str], str]
) -> dict[str, str]:
    """A label for each of ``parts`` that two different parts never share: where ``label``
    gives different parts the same words, ``tell`` adds what tells them apart ('GQA (RoPE)',
    'GQA (NoPE)'), and failing that the part's name in the model file."""
    out = {n: label(n) for n in parts}
    for extra in (tell, str):
        for words in dict.fromkeys(out.values()):
            group = [n for n in parts if out[n] == words]
            differ = len({parts[n].model_dump_json() for n in group}) > 1
            if differ and len({extra(n) for n in group}) == len(group):
                told = N_("%(label)s (%(extra)s)")
                out.update({n: Phrase(told, label=out[n], extra=extra(n)) for n in group})
    return out


def mixer_labels(arch: Architecture, names: Sequence[str], stack: Stack) -> dict[str, str]:
    """The name in schedules and notes of each mixer type in ``names``: its row label, told
    apart from a different type with the same words by its position scheme."""

    def position(n: str) -> str:
        p = arch.mixers[n].position_scheme()
        return p.label() if p is not None else Phrase(N_("no positions"))

    parts = {n: arch.mixers[n] for n in names}
    return _distinct(parts, lambda n: parts[n].row_label(stack), position)


def ffn_labels(arch: Architecture, names: Sequence[str]) -> dict[str, str]:
    """The name in schedules of each feed-forward type: 'FFN', 'MoE', told apart by width."""
    parts = {n: arch.ffns[n] for n in names}
    return _distinct(parts, lambda n: parts[n].mix_label(), lambda n: parts[n].hidden_text())


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
    return merged if merged is not None else Joined(N_(" or\n"), titles)


def attention_summary(arch: Architecture, mixers: Sequence[str]) -> str:
    """One line on the token mixers: 'GQA with RoPE', 'MLA + DSA with RoPE + YaRN; QK-norm',
    'sliding-window GQA (512) with RoPE and GQA with NoPE' (each type with its own positions)."""
    used = [arch.mixers[n] for n in mixers]
    items = list(
        dict.fromkeys(
            (m.phrase(), p.label() if (p := m.position_scheme()) is not None else "") for m in used
        )
    )
    flags = list(dict.fromkeys(flag for m in used for flag in m.flags()))
    positions = {position for _, position in items}
    if len(positions) == 1 and "" not in positions:
        kinds = list(dict.fromkeys(kind for kind, _ in items))
        text = alongside(kinds) + (", all" if len(kinds) > 1 else "") + f" with {positions.pop()}"
    else:
        text = alongside([f"{kind} with {pos}" if pos else kind for kind, pos in items])
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

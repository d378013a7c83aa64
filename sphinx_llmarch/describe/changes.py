"""What changed from one model to another that follows it: 'MHA → GQA', '+ QK-norm',
'dense → MoE 128×8', '+ sliding-window 3:1'.

Each part of a model names itself (its abbreviation, its label in layer mixes, its flags,
its routing); this module only compares the names of two models.  The family tree labels
its edges with the result.  Comparisons say what differs in one line from each model's
*aspects* (:func:`aspects`): the same names, kept per model, so that the compare page can
compare any two in the browser.  Pure: no Sphinx.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from math import gcd
from typing import NamedTuple

from ..mechanisms import Experts
from ..mechanisms.words import ENGLISH, N_, Language
from ..model.loader import LoadedModel
from ..model.schema import Architecture
from . import fmt

#: what the one line says when the two architectures are the same in every field
SAME = "same architecture"
#: ... and when they differ only in what no line names (a norm's epsilon, say)
MINOR = "no main change"


def changes(base: LoadedModel, model: LoadedModel) -> list[str]:
    """The main architectural changes from ``base`` to ``model``, one short line each,
    most visible first: token mixers, local attention, position schemes, attention
    features, feed-forward, model-wide features, multi-token prediction, then the numbers
    of the position schemes, depth, width and context."""
    found = [
        *_mixers(base, model),
        *_local(base, model),
        *_swap(list(_schemes(base)), list(_schemes(model))),
        *_toggled(_flags(base), _flags(model)),
        *_ffn(base, model),
        *_toggled(_model_wide(base), _model_wide(model)),
        *_mtp(base, model),
        *_position_numbers(base, model),
        *_size(base, model),
    ]
    if found:
        return found
    same = base.spec.architecture == model.spec.architecture
    return [SAME if same and base.spec.context == model.spec.context else MINOR]


# --------------------------------------------------------------------------- helpers


def _ratio(part: int, rest: int) -> str:
    """'3:1'; the counts as they are when they share no divisor ('20:7')."""
    d = gcd(part, rest) or 1
    return f"{part // d}:{rest // d}"


def _toggled(before: Iterable[str], after: Iterable[str]) -> list[str]:
    """'+ X' for each name only ``after`` has, '− X' for each only ``before`` has."""
    old, new = list(dict.fromkeys(before)), list(dict.fromkeys(after))
    return [f"+ {n}" for n in new if n not in old] + [f"− {n}" for n in old if n not in new]


def _swap(before: Sequence[str], after: Sequence[str]) -> list[str]:
    """'A → B' when the names differ (several joined by ' / ', alternatives per layer)."""
    if list(before) == list(after) or not before or not after:
        return []
    return [f"{' / '.join(before)} → {' / '.join(after)}"]


def _mixer_counts(model: LoadedModel) -> Counter[str]:
    """Layers per kind of token mixer, by the kind's own abbreviation."""
    mixers = model.spec.architecture.mixers
    return Counter(mixers[s.mixer].abbreviation() for s in model.layers if s.mixer)


def _kinds(counts: Counter[str]) -> list[str]:
    return [name for name, _ in counts.most_common()]


def _mixers(base: LoadedModel, model: LoadedModel) -> list[str]:
    """'MHA → GQA'; '+ Gated DeltaNet 3:1' when a kind joins the old ones."""
    old, new = _mixer_counts(base), _mixer_counts(model)
    if set(old) == set(new):
        return []
    added = [k for k in _kinds(new) if k not in old]
    if set(old) < set(new):
        total = sum(new.values())
        return [f"+ {k} {_ratio(new[k], total - new[k])}" for k in added]
    if set(new) < set(old):
        return [f"− {k}" for k in _kinds(old) if k not in new]
    return [f"{' and '.join(_kinds(old))} → {' and '.join(_kinds(new))}"]


def _local_counts(model: LoadedModel) -> tuple[Counter[str], int]:
    """Layers per kind of local attention (its label in layer mixes), and all mixer layers."""
    arch, stack = model.spec.architecture, model.stack
    used = [arch.mixers[s.mixer] for s in model.layers if s.mixer]
    local = Counter(m.mix_label(stack) for m in used if m.span() is not None)
    return local, len(used)


def _local(base: LoadedModel, model: LoadedModel) -> list[str]:
    """'+ sliding-window 3:1' (local layers to the others), '− chunked'."""
    (old, _), (new, total) = _local_counts(base), _local_counts(model)
    lines = [f"+ {k} {_ratio(new[k], total - new[k])}" for k in new if k not in old]
    return lines + [f"− {k}" for k in old if k not in new]


def _schemes(model: LoadedModel) -> dict[str, list[str]]:
    """The position schemes of its layer types: label ('RoPE + YaRN') → the numbers of
    each layer type using it ('θ 50,000, ×32'), as each scheme words them."""
    mixers = model.spec.architecture.mixers
    used = dict.fromkeys(s.mixer for s in model.layers if s.mixer)
    found: dict[str, list[str]] = {}
    for name in used:
        scheme = mixers[name].position_scheme() if name else None
        if scheme is not None and scheme.detail() not in found.get(scheme.label(), []):
            found.setdefault(scheme.label(), []).append(scheme.detail())
    return found


def _position_numbers(base: LoadedModel, model: LoadedModel) -> list[str]:
    """Where the schemes stay the same, the numbers that changed: 'RoPE + YaRN: ×32 →
    ×64' (a change of scheme is said by itself: 'RoPE → NoPE')."""
    old, new = _schemes(base), _schemes(model)
    if list(old) != list(new):
        return []
    lines = []
    for label, befores in old.items():
        for before, after in zip(befores, new[label], strict=False):
            pairs = zip(before.split(", "), after.split(", "), strict=False)
            changed = [(a, b) for a, b in pairs if a != b]
            if changed:
                was, now = (" ".join(side) for side in zip(*changed, strict=True))
                lines.append(f"{label}: {was} → {now}")
    return lines


def _flags(model: LoadedModel) -> list[str]:
    mixers = model.spec.architecture.mixers
    used = dict.fromkeys(s.mixer for s in model.layers if s.mixer)
    return [flag for n in used if n for flag in mixers[n].flags()]


def _routing(model: LoadedModel) -> tuple[Experts | None, int]:
    """The routing of its most common routed block (None if dense), and its dense layers."""
    ffns = model.spec.architecture.ffns
    blocks = [ffns[s.ffn] for s in model.layers if s.ffn]
    routed = Counter(r for b in blocks if (r := b.routing()) is not None)
    dense = sum(1 for b in blocks if b.routing() is None)
    return (routed.most_common(1)[0][0] if routed else None), dense


def _experts(r: Experts) -> str:
    return f"{r.routed}×{r.active}"


def _ffn(base: LoadedModel, model: LoadedModel) -> list[str]:
    """'dense → MoE 128×8' (routed × active experts), 'MoE 256×8 → 384×8', shared experts
    and a dense prefix that come or go."""
    (old, old_dense), (new, new_dense) = _routing(base), _routing(model)
    if old is None:
        return [f"dense → MoE {_experts(new)}"] if new else []
    if new is None:
        return [f"MoE {_experts(old)} → dense"]
    lines = [f"MoE {_experts(old)} → {_experts(new)}"] if _experts(old) != _experts(new) else []
    if old.shared != new.shared:
        lines.append(f"shared experts {old.shared} → {new.shared}")
    if bool(old_dense) != bool(new_dense):
        lines.append(
            f"+ {new_dense} dense FFN layers" if new_dense else f"− {old_dense} dense FFN layers"
        )
    return lines


def _model_wide(model: LoadedModel) -> list[str]:
    arch = model.spec.architecture
    names = [f.label() for f in arch.features]
    return names + ([arch.residual.label()] if arch.residual else [])


def _mtp(base: LoadedModel, model: LoadedModel) -> list[str]:
    """'+ multi-token prediction', or its number of modules."""
    name = Architecture.FIELD_NAMES["mtp"]
    old, new = base.spec.architecture.mtp, model.spec.architecture.mtp
    if old is None or new is None:
        return _toggled([name] if old else [], [name] if new else [])
    return [] if old.modules == new.modules else [f"{name} {old.modules} → {new.modules} modules"]


def _size(base: LoadedModel, model: LoadedModel) -> list[str]:
    """'61 → 32 layers', 'width 7,168 → 4,096', 'context 128K → 256K'."""
    lines = []
    if len(base.layers) != len(model.layers):
        lines.append(f"{len(base.layers)} → {len(model.layers)} layers")
    old, new = base.spec.architecture.hidden_size, model.spec.architecture.hidden_size
    if old != new:
        lines.append(f"width {old:,} → {new:,}")
    before, after = base.spec.context.native, model.spec.context.native
    if before != after:
        lines.append(f"context {fmt.tokens(before)} → {fmt.tokens(after)}")
    return lines


# --------------------------------------------------------------------------- aspects

#: how an aspect's difference is said: 'A → B' (swap); '+ x' / '− x' for each name only
#: one side has (toggle); as a swap, but only when the aspect before it is the same (detail)
SWAP, TOGGLE, DETAIL = "swap", "toggle", "detail"


class Aspect(NamedTuple):
    """One part of a model as :func:`changes` names it: ``names`` (none where the model
    lacks it), said as ``form`` ('{} layers') with '{}' replaced by them."""

    key: str
    how: str
    names: list[str]
    form: str = "{}"


#: the aspects, in order: (key, how a difference is said, the form its names are said in)
ASPECT_KINDS: tuple[tuple[str, str, str], ...] = (
    ("mixers", SWAP, "{}"),
    ("local", SWAP, "{}"),
    ("positions", SWAP, "{}"),
    ("position-numbers", DETAIL, "{}"),
    ("flags", TOGGLE, "{}"),
    ("ffn", SWAP, "{}"),
    ("shared", SWAP, "{}"),
    ("dense-prefix", SWAP, "{}"),
    ("model-wide", TOGGLE, "{}"),
    ("mtp", SWAP, "{}"),
    # the forms with words are messages: the compare page says them in its language
    ("layers", SWAP, N_("{} layers")),
    ("width", SWAP, N_("width {}")),
    ("context", SWAP, N_("context {}")),
)


def aspects(model: LoadedModel) -> list[Aspect]:
    """The parts of ``model`` that :func:`changes` compares, each named as it names them.
    Two models are compared aspect by aspect with :func:`aspect_changes`, which needs only
    these names: the compare page ships them for each model (:func:`aspect_names`) and
    compares any two in the browser, by the same rule, without loading a model."""
    names = aspect_names(model)
    return [
        Aspect(key, how, n, form) for (key, how, form), n in zip(ASPECT_KINDS, names, strict=True)
    ]


def aspect_names(model: LoadedModel) -> list[list[str]]:
    """The names of each of ``model``'s aspects, in the order of :data:`ASPECT_KINDS`."""
    counts = _mixer_counts(model)
    local, layers = _local_counts(model)
    routed, dense = _routing(model)
    arch = model.spec.architecture
    schemes = _schemes(model)
    mtp = Architecture.FIELD_NAMES["mtp"]
    modules = arch.mtp.modules if arch.mtp else 0
    return [
        [_mix(counts)] if counts else [],
        [f"{k} {_ratio(n, layers - n)}" for k, n in local.items()],
        list(schemes),
        [" / ".join(d) for d in schemes.values()],
        list(dict.fromkeys(_flags(model))),
        [f"MoE {_experts(routed)}" if routed else "dense FFN"],
        [_count(routed.shared, "shared expert")] if routed else [],
        [_count(dense, "dense FFN layer")] if routed and dense else [],
        list(dict.fromkeys(_model_wide(model))),
        [mtp if modules == 1 else f"{mtp} ×{modules}"] if modules else [],
        [str(len(model.layers))],
        [f"{arch.hidden_size:,}"],
        [fmt.tokens(model.spec.context.native)],
    ]


def _mix(counts: Counter[str]) -> str:
    """'GQA'; 'Gated DeltaNet + GQA 3:1' for several kinds (layers of each, most first)."""
    kinds = _kinds(counts)
    if len(kinds) == 1:
        return kinds[0]
    d = gcd(*counts.values()) or 1
    return " + ".join(kinds) + " " + ":".join(str(counts[k] // d) for k in kinds)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("s" if n != 1 else "") if n else ""


def aspect_changes(before: Sequence[Aspect], after: Sequence[Aspect]) -> list[str]:
    """What differs between two models' :func:`aspects`, one short line each, in their
    order: 'MLA → MLA + DSA', '+ QK-norm', '61 → 32 layers'.  The compare page's script
    says the same by the same rule."""
    old = {a.key: a.names for a in before}
    lines: list[str] = []
    previous_same = True
    for a in after:
        was = [n for n in old.get(a.key, []) if n]
        now = [n for n in a.names if n]
        same = was == now
        if a.how == TOGGLE:
            lines += [f"+ {a.form.format(n)}" for n in now if n not in was]
            lines += [f"− {a.form.format(n)}" for n in was if n not in now]
        elif same or (a.how == DETAIL and not previous_same):
            pass
        elif was and now:
            lines.append(a.form.format(f"{' / '.join(was)} → {' / '.join(now)}"))
        else:
            sign, names = ("+", now) if now else ("−", was)
            lines.append(f"{sign} {a.form.format(' / '.join(names))}")
        previous_same = same
    return lines


def summary(lines: Sequence[str], words: Language = ENGLISH) -> str:
    """'2 architectural differences: MHA → GQA, + QK-norm' (the compare page's script
    words it the same in English), in ``words``' language."""
    if not lines:
        return words(N_("No architectural differences."))
    return words.ngettext(
        "%(num)d architectural difference: %(list)s",
        "%(num)d architectural differences: %(list)s",
        len(lines),
        list=", ".join(lines),
    )

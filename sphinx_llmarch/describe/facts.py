"""Named facts: the figures an article can quote with ``{llmarch:fact}``.

Each fact turns a validated model and its computed figures into the short text that
appears in prose ("37.6B", "5:1", "1,024").  They are pure functions of the data, so the
role, the reference table of facts and the tests all share one definition.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ..mechanisms import Experts, Mixer
from ..model.figures import Figures
from ..model.loader import LoadedModel
from ..model.schema import LayerGroup, LayerItem
from ..model.stack import LayerSpec, expand, used_ffns
from . import fmt
from .labels import decoder_type, layer_mix, layer_mix_text

Compute = Callable[[LoadedModel, Figures], str]


@dataclass(frozen=True)
class Fact:
    """A named figure: what it means, and how it is computed."""

    meaning: str
    compute: Compute


def routing(model: LoadedModel) -> Experts | None:
    """The routing of the first mixture of experts in use, if the model has one."""
    arch = model.spec.architecture
    found = (arch.ffns[n].routing() for n in used_ffns(arch, model.layers))
    return next((r for r in found if r is not None), None)


def _moe_fact(get: Callable[[Experts], int | None]) -> Compute:
    def fact(model: LoadedModel, figures: Figures) -> str:
        experts = routing(model)
        value = get(experts) if experts else None
        return fmt.count(value) if value is not None else "none"

    return fact


def _official(which: str) -> Compute:
    def fact(model: LoadedModel, figures: Figures) -> str:
        official = model.spec.official_params
        value = getattr(official, which) if official else None
        return fmt.params(value) if value else "unknown"

    return fact


def _layers_where(test: Callable[[LoadedModel, LayerSpec], bool]) -> Compute:
    def fact(model: LoadedModel, figures: Figures) -> str:
        return str(sum(1 for spec in model.layers if test(model, spec)))

    return fact


def _mixer_of(model: LoadedModel, spec: LayerSpec) -> Mixer | None:
    return model.spec.architecture.mixers[spec.mixer] if spec.mixer else None


def _is_local(model: LoadedModel, spec: LayerSpec) -> bool:
    m = _mixer_of(model, spec)
    return m is not None and m.span() is not None


def _is_softmax(m: Mixer | None) -> bool:
    return m is not None and m.ROLE == "attention"


def _is_global(model: LoadedModel, spec: LayerSpec) -> bool:
    return _is_softmax(_mixer_of(model, spec)) and not _is_local(model, spec)


def _is_linear(model: LoadedModel, spec: LayerSpec) -> bool:
    m = _mixer_of(model, spec)
    return m is not None and not _is_softmax(m)


def _is_dense(model: LoadedModel, spec: LayerSpec) -> bool:
    ffn = model.spec.architecture.ffns[spec.ffn] if spec.ffn else None
    return ffn is not None and not ffn.ROUTED


def _is_nope(model: LoadedModel, spec: LayerSpec) -> bool:
    m = _mixer_of(model, spec)
    position = m.position_scheme() if m is not None else None
    return position is not None and position.POSITIONLESS


def _main_mixer(model: LoadedModel) -> Mixer | None:
    """The softmax-attention (or MLA) mixer that most layers use."""
    counts = Counter(s.mixer for s in model.layers if s.mixer and _is_softmax(_mixer_of(model, s)))
    name = counts.most_common(1)[0][0] if counts else None
    return model.spec.architecture.mixers[name] if name else None


def _mixer_fact(get: Callable[[Mixer], object]) -> Compute:
    def fact(model: LoadedModel, figures: Figures) -> str:
        m = _main_mixer(model)
        value = get(m) if m is not None else None
        return fmt.count(value) if isinstance(value, int) else str(value or "none")

    return fact


def _ratio(model: LoadedModel, figures: Figures) -> str:
    """The design ratio of two kinds of mixer, from the schedule's main repeated group:
    Gemma 3's '5:1' (its 52 + 10 layers would give 26:5), Qwen3-Next's '3:1'."""
    arch, stack = model.spec.architecture, model.stack
    names = (list(arch.mixers), list(arch.ffns))
    best: tuple[int, list[LayerSpec]] | None = None

    def visit(items: Sequence[LayerItem]) -> None:
        nonlocal best
        for item in items:
            if isinstance(item, LayerGroup):
                unit = expand(item.pattern, *names)
                kinds = {arch.mixers[s.mixer].mix_label(stack) for s in unit if s.mixer}
                covered = len(unit) * item.repeat
                if item.repeat > 1 and len(kinds) == 2 and (best is None or covered > best[0]):
                    best = (covered, unit)
                visit(item.pattern)

    visit(arch.layers.schedule)
    layers = best[1] if best else list(model.layers)
    counts = Counter(arch.mixers[s.mixer].mix_label(stack) for s in layers if s.mixer)
    if len(counts) != 2:
        return "all" if len(counts) == 1 else "mixed"
    (_, a), (_, b) = counts.most_common(2)
    return fmt.ratio(a, b)


def _window(model: LoadedModel, figures: Figures) -> str:
    sizes = [w for m in model.spec.architecture.mixers.values() if (w := getattr(m, "window", 0))]
    return fmt.count(sizes[0]) if sizes else "none"


def _theta(model: LoadedModel, figures: Figures) -> str:
    m = _main_mixer(model)
    position = m.position_scheme() if m is not None else None
    theta = position.base_frequency() if position is not None else None
    return fmt.count(int(theta)) if theta else "unknown"


def _rotary_share(model: LoadedModel, figures: Figures) -> str:
    m = _main_mixer(model)
    position = m.position_scheme() if m is not None else None
    share = position.rotated_share() if position is not None else None
    return "none" if share is None else f"{share:.0%}"


def _date(model: LoadedModel, figures: Figures) -> str:
    return model.spec.release_date.isoformat() if model.spec.release_date else "unknown"


def _year(model: LoadedModel, figures: Figures) -> str:
    return str(model.spec.release_date.year) if model.spec.release_date else "unknown"


def _mtp_modules(model: LoadedModel, figures: Figures) -> str:
    mtp = model.spec.architecture.mtp
    return str(mtp.modules) if mtp else "none"


_MAIN = "of the attention type most layers use"

FACTS: dict[str, Fact] = {
    "name": Fact("the model's name", lambda m, f: m.spec.name),
    "organisation": Fact("who released it", lambda m, f: m.spec.organisation or "unknown"),
    "release_date": Fact("release date, ISO format", _date),
    "year": Fact("release year", _year),
    "total_params": Fact("computed total parameters", lambda m, f: fmt.params(f.total_params)),
    "active_params": Fact(
        "computed parameters used per token", lambda m, f: fmt.params(f.active_params)
    ),
    "active_share": Fact("active as a share of total", lambda m, f: fmt.percent(f.active_share)),
    "official_total": Fact("the publisher's total", _official("total")),
    "official_active": Fact("the publisher's active count", _official("active")),
    "embedding_params": Fact(
        "token embedding and output head", lambda m, f: fmt.params(f.embedding_params)
    ),
    "mtp_params": Fact(
        "multi-token-prediction modules",
        lambda m, f: fmt.params(f.mtp_params) if f.mtp_params else "none",
    ),
    "kv_cache_per_token": Fact(
        "KV cache one token adds (bf16, every cached layer)",
        lambda m, f: fmt.bytes_iec(f.kv_cache_bytes_per_token),
    ),
    "kv_cache_at_context": Fact(
        "KV cache of one sequence at the native context, windows capped",
        lambda m, f: fmt.bytes_iec(f.kv_cache_bytes(m.spec.context.native)),
    ),
    "linear_state": Fact(
        "fixed state of linear-attention and state-space layers",
        lambda m, f: fmt.bytes_iec(f.linear_state_bytes),
    ),
    "context": Fact("native context in tokens", lambda m, f: fmt.tokens(m.spec.context.native)),
    "layers": Fact("number of layers", lambda m, f: str(len(m.layers))),
    "layer_mix": Fact(
        "layers per mixer type",
        lambda m, f: layer_mix_text(layer_mix(m)),
    ),
    "decoder_type": Fact(
        "dense, sparse MoE, hybrid or recurrent",
        lambda m, f: decoder_type(m.spec.architecture, m.layers),
    ),
    "experts": Fact("routed experts per MoE layer", _moe_fact(lambda e: e.routed)),
    "active_experts": Fact("routed experts per token", _moe_fact(lambda e: e.active)),
    "shared_experts": Fact("shared experts per MoE layer", _moe_fact(lambda e: e.shared)),
    "expert_hidden": Fact("hidden size of one expert", _moe_fact(lambda e: e.expert_hidden)),
    "shared_expert_hidden": Fact(
        "hidden size of the shared experts", _moe_fact(lambda e: e.shared_hidden)
    ),
    "dense_layers": Fact("layers with a dense feed-forward block", _layers_where(_is_dense)),
    "moe_layers": Fact(
        "layers with a mixture of experts",
        _layers_where(lambda m, s: bool(s.ffn) and not _is_dense(m, s)),
    ),
    "local_layers": Fact("sliding-window or chunked layers", _layers_where(_is_local)),
    "global_layers": Fact("full-attention layers", _layers_where(_is_global)),
    "linear_layers": Fact("linear-attention and state-space layers", _layers_where(_is_linear)),
    "nope_layers": Fact("attention layers without positional encoding", _layers_where(_is_nope)),
    "ratio": Fact("ratio of the two mixer types in the repeating unit", _ratio),
    "window": Fact("sliding-window size in tokens", _window),
    "heads": Fact(f"query heads {_MAIN}", _mixer_fact(lambda m: getattr(m, "heads", None))),
    "kv_heads": Fact(
        f"key/value heads {_MAIN}", _mixer_fact(lambda m: getattr(m, "kv_heads", None))
    ),
    "head_dim": Fact(f"head size {_MAIN}", _mixer_fact(lambda m: getattr(m, "head_dim", None))),
    "kv_lora_rank": Fact(
        "MLA key/value latent size", _mixer_fact(lambda m: getattr(m, "kv_lora_rank", None))
    ),
    "rope_theta": Fact(f"RoPE base frequency {_MAIN}", _theta),
    "rotary_share": Fact(f"share of head dimensions rotated {_MAIN}", _rotary_share),
    "hidden_size": Fact("model width", lambda m, f: fmt.count(m.spec.architecture.hidden_size)),
    "vocab_size": Fact("vocabulary size", lambda m, f: fmt.count(m.spec.architecture.vocab_size)),
    "mtp_modules": Fact("multi-token-prediction modules", _mtp_modules),
}


def field_text(data: Any, path: list[str]) -> str | None:
    """The value at a field path of the model file, as prose text; None if absent."""
    for part in path:
        if isinstance(data, dict) and part in data:
            data = data[part]
        elif isinstance(data, list) and part.isdigit() and int(part) < len(data):
            data = data[int(part)]
        else:
            return None
    if isinstance(data, bool) or data is None:
        return {True: "yes", False: "no", None: "none"}[data]
    if isinstance(data, int):
        return fmt.count(data)
    if isinstance(data, float):
        return f"{data:,.0f}" if data.is_integer() else f"{data:g}"
    if isinstance(data, str):
        return data
    return None


def fact_text(model: LoadedModel, figures: Figures, name: str) -> str | None:
    """A named fact, or else a field path ("architecture.hidden_size"); None if neither."""
    if name in FACTS:
        return FACTS[name].compute(model, figures)
    return field_text(model.spec.model_dump(mode="json"), name.split("."))

"""``llmarch import``: a Hugging Face config.json → a complete, valid model file.

The config gives the numbers; the ``model_type`` names the modelling code, which fixes
what the keys do not say (norm placement, QK-norm, gates, which layers skip RoPE).  Those
per-family facts live in :data:`.families.FAMILY` and are documented in the docs.  Every
layer is described first, then identical layers are named once (each mechanism names
its own) and the schedule is compressed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yaml

from ..mechanisms import (
    REGISTRY,
    FeedForward,
    Mixer,
    attention_residuals,
    hyper_connections,
    looped,
    softcap,
)
from .config import HFConfig, Unresolved
from .families import FAMILY, Family, Layers, Spec, layers
from .hybrids import SPECIAL, Built
from .keys import CONSTANT_FACTORS
from .pertype import PER_TYPE
from .stateful import STATEFUL


@dataclass
class Imported:
    """The result of an import: the YAML text and the keys it could not represent.

    With ``unresolved`` empty the text is the model; otherwise it is a draft at best (the
    text then lists those keys under ``draft``, when asked for with ``draft=True``).
    """

    slug: str
    text: str
    unresolved: list[Unresolved] = field(default_factory=list)


# --------------------------------------------------------------------------- assembly


def _names(
    specs: list[Spec], mechanism: Callable[[str], type[Mixer | FeedForward]]
) -> dict[str, Spec]:
    """Each spec under the name its mechanism suggests, numbered where names repeat."""
    out: dict[str, Spec] = {}
    for spec in specs:
        name = mechanism(spec["kind"]).import_name(spec, specs)
        base_name, n = name, 2
        while name in out:
            name, n = f"{base_name}{n}", n + 1
        out[name] = spec
    return out


def compress(items: list[str]) -> list[Any]:
    """Write a list of layer specs as runs and repeated groups (greedy, longest cover first)."""
    runs: list[tuple[str, int]] = []
    for item in items:
        if runs and runs[-1][0] == item:
            runs[-1] = (item, runs[-1][1] + 1)
        else:
            runs.append((item, 1))

    def encode(run: tuple[str, int]) -> Any:
        return run[0] if run[1] == 1 else {"repeat": run[1], "pattern": [run[0]]}

    out: list[Any] = []
    i = 0
    while i < len(runs):
        best = (1, 1, 0)  # period, repeats, layers covered
        for p in range(1, (len(runs) - i) // 2 + 1):
            k = 1
            while runs[i + k * p : i + (k + 1) * p] == runs[i : i + p]:
                k += 1
            covered = k * sum(c for _, c in runs[i : i + p])
            if k >= 2 and covered > best[2]:
                best = (p, k, covered)
        p, k, _ = best
        if k >= 2:
            out.append({"repeat": k, "pattern": [encode(r) for r in runs[i : i + p]]})
            i += p * k
        else:
            out.append(encode(runs[i]))
            i += 1
    return out


def build(c: HFConfig, fam: Family, n: int) -> Built:
    """The layers of ``n``-layer model of this config, by its family's builder."""
    special = SPECIAL.get(c.model_type) or STATEFUL.get(c.model_type) or PER_TYPE.get(c.model_type)
    return special(c, fam, n) if special else Built(layers(c, fam, n))


def _schedule(per_layer: Layers, mixers: dict[str, Spec], ffns: dict[str, Spec]) -> list[str]:
    """Every layer as its spec text, 'mixer + ffn'."""
    by_key_m = {_key(s): name for name, s in mixers.items()}
    by_key_f = {_key(s): name for name, s in ffns.items()}
    return [
        " + ".join(
            filter(
                None, (by_key_m.get(_key(m)) if m else None, by_key_f.get(_key(f)) if f else None)
            )
        )
        for m, f in per_layer
    ]


def _norm(c: HFConfig, fam: Family) -> Spec:
    norm: Spec = {
        "kind": "layernorm" if c.get("norm_type") == "layer_norm" else fam.norm,
        "placement": "parallel"
        if c.get("transformer_block_type") == "parallel" or c.get("use_parallel_block")
        else fam.placement,
    }
    eps = c.get(
        "rms_norm_eps", "layer_norm_epsilon", "layer_norm_eps", "norm_eps", "layernorm_epsilon"
    )
    if eps is not None:
        norm["eps"] = float(eps)
    if norm["kind"] == "layernorm" and c.model_type in ("cohere2", "cohere2_moe"):
        norm["bias"] = False  # Cohere's LayerNorm has no bias
    if fam.zero_centered or c.get("zero_centered", "use_gemma_norm"):
        norm["zero_centered"] = True
    return norm


def _architecture(c: HFConfig, fam: Family) -> Spec:
    n = c.int("num_hidden_layers", "n_layer", "num_layers", "n_layers", "num_blocks") or _count(c)
    built = build(c, fam, n)
    every = [*built.layers, *built.mtp]  # a layer type of the MTP module alone is named too
    mixers = _names(list({_key(m): m for m, _ in every if m}.values()), REGISTRY.mixer)
    ffns = _names(list({_key(f): f for _, f in every if f}.values()), REGISTRY.feed_forward)
    tie = c.get(
        "tie_word_embeddings", "use_embedding_sharing", "tie_embedding", default=fam.tie_default
    )
    arch: Spec = {
        "hidden_size": c.int("hidden_size", "n_embd", "d_model", "embedding_dim"),
        "vocab_size": c.int("vocab_size"),
        "tie_embeddings": bool(tie),
        "norm": _norm(c, fam),
        "mixers": mixers,
        "ffns": ffns,
        "layers": {
            "count": len(built.layers),  # n, or the layers a family's list gives when n is unset
            "schedule": compress(_schedule(built.layers, mixers, ffns)),
        },
    }
    features = [f for f in (attention_residuals.from_config(c),) if f]
    if features:
        arch["features"] = features
    residual = hyper_connections.from_config(c)
    if residual:
        arch["residual"] = residual
    modules = c.int("num_nextn_predict_layers", "mtp_num_hidden_layers", "num_mtp_modules")
    modules = modules or c.nested("mtp_config", "num_nextn_predict_layers")  # Inkling
    if modules:
        arch["mtp"] = {"modules": modules}
        if built.mtp:
            arch["mtp"]["pattern"] = _schedule(built.mtp, mixers, ffns)
    cap = softcap.from_config(c)
    if cap:
        arch["logit_softcap"] = cap
    loop = looped.from_config(c)
    if loop:
        arch["loop"] = loop
    state = _state_precision(c, mixers)
    if state:
        arch["state_precision"] = state
    return arch


#: the configs' names of the precisions a fixed state may be declared in
_STATE_DTYPES = {"float32": "fp32", "bfloat16": "bf16", "float16": "fp16"}
_STATE_KEYS = ("mamba_ssm_cache_dtype", "mamba_ssm_dtype", "inference_state_dtype")


def _state_precision(c: HFConfig, mixers: dict[str, Spec]) -> str | None:
    """The precision the config declares for the fixed state, when a layer keeps one."""
    key = next((k for k in _STATE_KEYS if c.has(k)), None)
    if key is None or not any(_keeps_state(m) for m in mixers.values()):
        return None  # the key is a number format of no layer here (keys.py)
    value = c.get(*_STATE_KEYS)
    if value not in _STATE_DTYPES:
        c.refuse(key, f"a state precision of {value!r} is not one of {', '.join(_STATE_DTYPES)}")
        return None
    return _STATE_DTYPES[value]


def _keeps_state(spec: Spec) -> bool:
    try:
        return bool(REGISTRY.mixer(spec["kind"]).model_validate(spec).state_values())
    except ValueError:  # reported where the model file is validated
        return False


#: per-layer lists whose length gives the layer count when no key states it
_PER_LAYER = ("layers_block_type", "hybrid_override_pattern", "layer_types")


def _count(c: HFConfig) -> int:
    for key in _PER_LAYER:
        value = c.data.get(key)
        if isinstance(value, list | str) and value:
            return len(value)
    c.refuse("num_hidden_layers", "no layer count is given")
    return 0


def import_config(raw: dict[str, Any], slug: str, *, draft: bool = False) -> Imported:
    """A model file for the config ``raw``; metadata a config cannot know is left out.

    Raises :class:`ConfigError` for a config that cannot describe a model at all.
    """
    c = HFConfig(raw)
    fam = FAMILY.get(c.model_type)
    if fam is None:
        c.refuse(
            "model_type",
            "no importer support for this model type: what its code does beyond the config "
            "is unknown"
            if c.model_type != "unknown"
            else "the config names no model_type, so its code is unknown",
        )
    arch = _architecture(c, fam or Family())
    c.mark(*(fam.unused if fam else ()))
    c.mark(
        "use_mtp",
        "mtp_transformer_layers",
        "mtp_use_dedicated_embeddings",
        "num_key_value_heads",
        "max_position_embeddings",
        "n_ctx",
    )
    context = c.int(
        "max_position_embeddings", "n_positions", "max_seq_len", "model_max_length", "n_ctx"
    )
    if context is None:
        c.refuse("max_position_embeddings", "no context length is given; a model file needs one")
    doc: Spec = {
        "schema_version": 1,
        "slug": slug,
        "name": slug.replace("-", " ").title(),
        "context": {"native": context} if context else None,
        "architecture": arch,
    }
    doc = {k: v for k, v in doc.items() if v is not None}
    notes = _constants(c)
    unresolved = c.unresolved()
    if notes:
        doc["notes"] = notes
    if draft and unresolved:
        doc["draft"] = [
            {"key": u.key, "value": u.value_text(200), "reason": u.reason} for u in unresolved
        ]
    header = (
        f"# Imported by `llmarch import` from a config.json of model type '{c.model_type}'.\n"
        "# Add what a config cannot know: name, organisation, family, release_date, licence,\n"
        "# links (the official config.json, report and model card) and official_params.\n"
    )
    if draft and unresolved:
        header += (
            "# DRAFT: the keys under 'draft' are not represented below; resolve each (extend\n"
            "# the file by hand, or the schema) and delete the list.\n"
        )
    body = yaml.dump(doc, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    return Imported(slug, header + body, unresolved)


def _constants(c: HFConfig) -> list[Spec]:
    """The config's fixed scalar factors, as notes: no weights, but part of the function."""
    # (a factor the schema has a field for, such as a logit soft-cap, is already read)
    found = {
        k: c.data[k] for k in CONSTANT_FACTORS if c.data.get(k) is not None and k not in c.used
    }
    c.mark(*found)
    if not found:
        return []
    listed = ", ".join(f"{k} = {json.dumps(found[k])}" for k in sorted(found))
    return [
        {
            "field": "architecture",
            "text": f"Constant factors of the configuration (no weights): {listed}.",
        }
    ]


class _Dumper(yaml.SafeDumper):
    """Block style, except for short lists of plain values ([linear + moe], mRoPE sections)."""


def _list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    flow = all(isinstance(x, str | int | float) for x in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


_Dumper.add_representer(list, _list)


def _key(spec: Spec | None) -> str:
    return repr(spec)


def slug_from(name: str) -> str:
    """A slug from a repository or file name: 'Qwen3-8B' → 'qwen3-8b'."""
    slug = re.sub(r"[^a-z0-9.]+", "-", name.lower()).strip("-.")
    return re.sub(r"-{2,}", "-", slug) or "model"

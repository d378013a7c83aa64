"""``llmarch import``: a Hugging Face config.json → a complete, valid model file.

The config gives the numbers; the ``model_type`` names the modelling code, which fixes
what the keys do not say (norm placement, QK-norm, gates, which layers skip RoPE).  Those
per-family facts live in :data:`FAMILY` and are documented in the docs.  Every layer is
described first, then identical layers are named once and the schedule is compressed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yaml

from .hfconfig import HFConfig
from .hflayers import FAMILY, Family, Spec, layers


@dataclass
class Imported:
    """The result of an import: the YAML text and what could not be read."""

    slug: str
    text: str
    unknown: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- assembly


def _mixer_name(spec: Spec, all_specs: list[Spec]) -> str:
    kind = spec["kind"]
    if kind == "mla":
        return "mla"
    if kind in ("gated_deltanet", "lightning"):
        return "linear" if kind == "gated_deltanet" else "lightning"
    if kind in ("kimi_delta", "mamba2"):
        return {"kimi_delta": "kda", "mamba2": "mamba"}[kind]
    if len([s for s in all_specs if s["kind"] in ("mha", "gqa", "mqa")]) == 1:
        return "attn"
    if spec.get("window"):
        return "local"
    if spec.get("chunk"):
        return "chunked"
    if any(s.get("window") or s.get("chunk") for s in all_specs):
        return "global"
    if spec.get("position", {}).get("kind") == "nope":
        return "nope"
    return "full" if any(s["kind"] not in ("mha", "gqa", "mqa") for s in all_specs) else "rope"


def _names(specs: list[Spec], namer: Callable[[Spec, list[Spec]], str]) -> dict[str, Spec]:
    out: dict[str, Spec] = {}
    for spec in specs:
        name = namer(spec, specs)
        base, n = name, 2
        while name in out:
            name, n = f"{base}{n}", n + 1
        out[name] = spec
    return out


def _ffn_name(spec: Spec, all_specs: list[Spec]) -> str:
    if spec["kind"] == "moe":
        return "moe"
    return "dense" if len(all_specs) > 1 else "mlp"


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


def import_config(raw: dict[str, Any], slug: str) -> Imported:
    """A model file for the config ``raw``; metadata a config cannot know is left out."""
    c = HFConfig(raw)
    fam = FAMILY.get(c.model_type, Family())
    n = c.int("num_hidden_layers", "n_layer", "num_layers", "n_layers") or 0
    per_layer = layers(c, fam, n)
    unique_m = list({_key(m): m for m, _ in per_layer if m}.values())
    unique_f = list({_key(f): f for _, f in per_layer if f}.values())
    mixers = _names(unique_m, _mixer_name)
    ffns = _names(unique_f, _ffn_name)
    by_key_m = {_key(s): name for name, s in mixers.items()}
    by_key_f = {_key(s): name for name, s in ffns.items()}
    items = [
        " + ".join(
            filter(
                None, (by_key_m.get(_key(m)) if m else None, by_key_f.get(_key(f)) if f else None)
            )
        )
        for m, f in per_layer
    ]
    norm: Spec = {
        "kind": "layernorm" if c.get("norm_type") == "layer_norm" else fam.norm,
        "placement": "parallel" if c.get("transformer_block_type") == "parallel" else fam.placement,
    }
    eps = c.get(
        "rms_norm_eps", "layer_norm_epsilon", "layer_norm_eps", "norm_eps", "layernorm_epsilon"
    )
    if eps is not None:
        norm["eps"] = float(eps)
    if norm["kind"] == "layernorm" and c.model_type == "cohere2":
        norm["bias"] = False  # Cohere's LayerNorm has no bias
    if fam.zero_centered or c.get("zero_centered"):
        norm["zero_centered"] = True
    tie = c.get("tie_word_embeddings", "use_embedding_sharing", default=fam.tie_default)
    arch: Spec = {
        "hidden_size": c.int("hidden_size", "n_embd", "d_model"),
        "vocab_size": c.int("vocab_size"),
        "tie_embeddings": bool(tie),
        "norm": norm,
        "mixers": mixers,
        "ffns": ffns,
        "layers": {"count": n, "schedule": compress(items)},
    }
    modules = c.int("num_nextn_predict_layers", "mtp_num_hidden_layers", "num_mtp_modules")
    if modules:
        arch["mtp"] = {"modules": modules}
        pattern = c.get("mtp_hybrid_override_pattern")
        if pattern:
            attn = next(
                (name for name, s in mixers.items() if s["kind"] in ("mha", "gqa", "mqa")), None
            )
            moe = next((name for name, s in ffns.items() if s["kind"] == "moe"), None)
            table = {"*": attn, "E": moe}
            arch["mtp"]["pattern"] = [table[ch] for ch in str(pattern) if table.get(ch)]
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
    doc: Spec = {
        "schema_version": 1,
        "slug": slug,
        "name": slug.replace("-", " ").title(),
        "context": {"native": context},
        "architecture": arch,
    }
    header = (
        f"# Imported by `llmarch import` from a config.json of model type '{c.model_type}'.\n"
        "# Add what a config cannot know: name, organisation, family, release_date, licence,\n"
        "# links (the official config.json, report and model card) and official_params.\n"
    )
    body = yaml.dump(doc, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    return Imported(slug, header + body, c.unknown())


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

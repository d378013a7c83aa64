"""Roles: ``{llmarch:model}`` links a model, ``{llmarch:fact}`` quotes one of its figures.

``{llmarch:fact}`deepseek-v3.active_params``` prints the computed figure ("37.6B"), so an
article's numbers can never drift from the data.  Besides the named facts of
:data:`FACTS`, any field of the model file can be quoted by its path
(``deepseek-v3.architecture.mixers.mla.kv_lora_rank`` → "512").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.roles import XRefRole
from sphinx.util.docutils import SphinxRole

from . import fmt
from .envdata import domain_of, model_store
from .figures import Figures
from .loader import LoadedModel
from .schema import MoE
from .stack import decoder_type, layer_mix, layer_mix_text, used_ffns
from .store import figures_of
from .warnings import warn

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment

Fact = Callable[[LoadedModel, Figures], str]


def _moe(model: LoadedModel) -> MoE | None:
    arch = model.spec.architecture
    return next(
        (f for n in used_ffns(arch, model.layers) if isinstance(f := arch.ffns[n], MoE)), None
    )


def _moe_fact(get: Callable[[MoE], int | None]) -> Fact:
    def fact(model: LoadedModel, figures: Figures) -> str:
        moe = _moe(model)
        value = get(moe) if moe else None
        return fmt.count(value) if value is not None else "none"

    return fact


def _official(which: str) -> Fact:
    def fact(model: LoadedModel, figures: Figures) -> str:
        official = model.spec.official_params
        value = getattr(official, which) if official else None
        return fmt.params(value) if value else "unknown"

    return fact


FACTS: dict[str, Fact] = {
    "name": lambda m, f: m.spec.name,
    "organisation": lambda m, f: m.spec.organisation or "unknown",
    "release_date": lambda m, f: (
        m.spec.release_date.isoformat() if m.spec.release_date else "unknown"
    ),
    "year": lambda m, f: str(m.spec.release_date.year) if m.spec.release_date else "unknown",
    "total_params": lambda m, f: fmt.params(f.total_params),
    "active_params": lambda m, f: fmt.params(f.active_params),
    "active_share": lambda m, f: fmt.percent(f.active_share),
    "official_total": _official("total"),
    "official_active": _official("active"),
    "embedding_params": lambda m, f: fmt.params(f.embedding_params),
    "mtp_params": lambda m, f: fmt.params(f.mtp_params) if f.mtp_params else "none",
    "kv_cache_per_token": lambda m, f: fmt.bytes_iec(f.kv_cache_bytes_per_token),
    "kv_cache_at_context": lambda m, f: fmt.bytes_iec(f.kv_cache_bytes(m.spec.context.native)),
    "linear_state": lambda m, f: fmt.bytes_iec(f.linear_state_bytes),
    "context": lambda m, f: fmt.tokens(m.spec.context.native),
    "layers": lambda m, f: str(len(m.layers)),
    "layer_mix": lambda m, f: layer_mix_text(layer_mix(m.spec.architecture, m.layers)),
    "decoder_type": lambda m, f: decoder_type(m.spec.architecture, m.layers),
    "experts": _moe_fact(lambda moe: moe.experts),
    "active_experts": _moe_fact(lambda moe: moe.active),
    "shared_experts": _moe_fact(lambda moe: moe.shared.count if moe.shared else 0),
    "expert_hidden": _moe_fact(lambda moe: moe.expert_hidden),
}


def _field(data: Any, path: list[str]) -> str | None:
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


def split_target(env: BuildEnvironment, target: str) -> tuple[str, str] | None:
    """'qwen3.5-397b.total_params' → ('qwen3.5-397b', 'total_params'); slugs may hold dots."""
    store = model_store(env)
    parts = target.split(".")
    for i in range(len(parts) - 1, 0, -1):
        slug = ".".join(parts[:i])
        if store.path(slug).is_file():
            return slug, ".".join(parts[i:])
    return None


class FactRole(SphinxRole):
    """``{llmarch:fact}`<slug>.<fact or field path>``` — a figure from the data, as text."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        target = self.text.strip()
        found = split_target(self.env, target)
        if found is None:
            warn(f"unknown model in fact '{target}'", "ref", self.get_location())
            return [nodes.inline(target, target, classes=["llmarch-missing"])], []
        slug, name = found
        store = model_store(self.env)
        self.env.note_dependency(str(store.path(slug)))
        result = store.load(slug)
        if result.model is None:
            warn(
                f"model '{slug}' is invalid; fact '{name}' unavailable", "ref", self.get_location()
            )
            return [nodes.inline(target, target, classes=["llmarch-missing"])], []
        model = result.model
        domain_of(self.env).note_reference(self.env.docname, slug)
        if name in FACTS:
            value: str | None = FACTS[name](model, figures_of(model))
        else:
            value = _field(model.spec.model_dump(mode="json"), name.split("."))
        if value is None:
            known = ", ".join(FACTS)
            warn(
                f"unknown fact '{name}' of '{slug}' (named facts: {known}; or a field "
                "path such as architecture.hidden_size)",
                "ref",
                self.get_location(),
            )
            return [nodes.inline(target, target, classes=["llmarch-missing"])], []
        return [nodes.inline(value, value, classes=["llmarch-fact"])], []


class ModelRole(XRefRole):
    """The ``{llmarch:model}`` cross-reference, which also records the mention for backlinks."""

    def result_nodes(
        self, document: nodes.document, env: BuildEnvironment, node: nodes.Element, is_ref: bool
    ) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        domain_of(env).note_reference(env.docname, node["reftarget"].strip())
        return [node], []


EXPORT_FILES = ("models.json", "models.csv", "llmarch-model.schema.json")


class DataRole(SphinxRole):
    """``{llmarch:data}`models.json``` — a link to one of the export files of the site."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        name = self.text.strip()
        if name not in EXPORT_FILES:
            warn(
                f"unknown export file '{name}' (files: {', '.join(EXPORT_FILES)})",
                "ref",
                self.get_location(),
            )
            return [nodes.literal(name, name)], []
        # the files sit at the root of the built site
        uri = "../" * self.env.docname.count("/") + name
        ref = nodes.reference(
            name, "", nodes.literal(name, name), refuri=uri, classes=["llmarch-data-link"]
        )
        return [ref], []

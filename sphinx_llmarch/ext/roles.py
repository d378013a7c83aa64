"""Roles: ``{llmarch:model}`` links a model, ``{llmarch:fact}`` quotes one of its figures.

``{llmarch:fact}`deepseek-v3.active_params``` prints the computed figure ("37.6B"), so an
article's numbers can never drift from the data.  Besides the named facts of
:data:`FACTS`, any field of the model file can be quoted by its path
(``deepseek-v3.architecture.mixers.mla.kv_lora_rank`` → "512").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.roles import XRefRole

from ..describe.facts import FACTS, fact_text
from ..model.store import did_you_mean
from .domain import domain_of
from .loading import load_model
from .rolelines import LocatedRole, role_line
from .state import state_of
from .warnings import warn

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment


def split_target(env: BuildEnvironment, target: str) -> tuple[str, str] | None:
    """'qwen3.5-397b.total_params' → ('qwen3.5-397b', 'total_params'); slugs may hold dots."""
    store = state_of(env).store
    parts = target.split(".")
    for i in range(len(parts) - 1, 0, -1):
        slug = ".".join(parts[:i])
        if store.path(slug).is_file():
            return slug, ".".join(parts[i:])
    return None


def _no_model(env: BuildEnvironment, target: str) -> str:
    """Why ``target`` names no model: no fact after it, or no model file of that name."""
    store = state_of(env).store
    if "." not in target:
        known = store.path(target).is_file()
        missing = "the fact's name is missing" if known else "it names no model and no fact"
        return f"fact '{target}' should read '<model>.<fact>'; {missing}"
    parts, slugs = target.split("."), store.slugs()
    # slugs may hold dots: the longest start of the target that looks like a slug
    hints = (did_you_mean(".".join(parts[:i]), slugs) for i in range(len(parts) - 1, 0, -1))
    hint = next((h for h in hints if h), "")
    return f"unknown model in fact '{target}': no model file matches its start{hint}"


class FactRole(LocatedRole):
    """``{llmarch:fact}`<slug>.<fact or field path>``` — a figure from the data, as text."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        target = self.text.strip()
        found = split_target(self.env, target)
        if found is None:
            warn(_no_model(self.env, target), "ref", self.get_location())
            return [nodes.inline(target, target, classes=["llmarch-missing"])], []
        slug, name = found
        consequence = f"fact '{name}' is unavailable"
        result = load_model(self.env, slug, self.get_location(), consequence)
        if result is None or result.model is None:
            return [nodes.inline(target, target, classes=["llmarch-missing"])], []
        model = result.model
        value = fact_text(model, state_of(self.env).store.figures(model), name)
        if value is None:
            known = ", ".join(FACTS)
            warn(
                f"unknown fact '{name}' of '{slug}'{did_you_mean(name, list(FACTS))} (named "
                f"facts: {known}; or a field path such as architecture.hidden_size)",
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
        # a target that resolves to nothing is reported at this line
        node.line = role_line(self)
        return [node], []


EXPORT_FILES = ("models.json", "models.csv", "llmarch-model.schema.json")


class DataRole(LocatedRole):
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
        if not self.config.llmarch_export:
            warn(
                f"{{llmarch:data}}`{name}` links a file that is not written: "
                "set llmarch_export = True in conf.py",
                "config",
                self.get_location(),
            )
        # the files sit at the root of the built site
        uri = "../" * self.env.docname.count("/") + name
        ref = nodes.reference(
            name, "", nodes.literal(name, name), refuri=uri, classes=["llmarch-data-link"]
        )
        return [ref], []

"""Access from a build environment to the models and to the llmarch domain."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .store import ModelStore

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment

    from .domain import LlmarchDomain

_STORES: dict[Path, ModelStore] = {}


def model_store(env: BuildEnvironment) -> ModelStore:
    """The store of ``llmarch_models_dir`` (made absolute when the configuration is read)."""
    directory = Path(env.config.llmarch_models_dir)
    store = _STORES.get(directory)
    if store is None:
        store = _STORES[directory] = ModelStore(directory)
    return store


def domain_of(env: BuildEnvironment) -> LlmarchDomain:
    return env.domains["llmarch"]  # type: ignore[return-value]


def has_page(env: BuildEnvironment, path: Path) -> bool:
    """Whether the model file is itself a page of this project (and reports its own problems)."""
    docname = env.path2doc(str(path))
    return docname is not None and docname in env.found_docs

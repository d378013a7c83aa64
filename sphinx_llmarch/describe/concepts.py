"""The architectural concepts the model files can express, and which ones a model uses.

Each concept has a key; the docs' concept pages define the target
``llmarch-concept-<key>`` for it, the diagrams link their boxes there, and the concept
lists ("models that use it") are generated from :func:`concepts_of`.  The mechanisms
define their own concepts; the few that belong to the model as a whole are here.
"""

from __future__ import annotations

import functools
import re

from ..mechanisms import REGISTRY, Concept
from ..mechanisms.looped import CONCEPT as LOOP_CONCEPT
from ..mechanisms.ngram_embedding import NGRAM_EMBEDDINGS
from ..mechanisms.norms import CONCEPTS as NORM_CONCEPTS
from ..mechanisms.softcap import LogitSoftcap
from ..model.loader import LoadedModel
from ..model.stack import used_ffns, used_mixers

#: concepts of the model as a whole rather than of one mechanism
STRUCTURE = (
    Concept("tied-embeddings", "Tied embeddings", 300, aliases=("weight tying",)),
    NGRAM_EMBEDDINGS,
    Concept("mtp", "Multi-token prediction (MTP)", 310),
)


def concept_entries() -> list[Concept]:
    """Every concept, in the order the concept pages present them."""
    concepts = [
        *REGISTRY.concepts(),
        *NORM_CONCEPTS,
        *LogitSoftcap.CONCEPTS,
        LOOP_CONCEPT,
        *STRUCTURE,
    ]
    return sorted(concepts, key=lambda c: c.order)


def all_concepts() -> dict[str, str]:
    """key → title of every concept, in reading order."""
    return {c.key: c.title for c in concept_entries()}


def search_names() -> dict[str, list[str]]:
    """key → every name readers may look a concept up by: its title, the abbreviations its
    title gives in brackets ('MLA' of 'Multi-head latent attention (MLA)'), its aliases.
    Made again only once a mechanism is registered: every model page asks."""
    return {key: list(names) for key, names in _search_names(REGISTRY.version).items()}


@functools.lru_cache(maxsize=1)
def _search_names(version: int) -> dict[str, list[str]]:
    """:func:`search_names` for the registry at ``version`` (the cache's key only)."""
    out: dict[str, list[str]] = {}
    for c in concept_entries():
        short = re.findall(r"\(([^()]*)\)", c.title)
        names = [c.title, *(s.strip() for group in short for s in group.split(",")), *c.aliases]
        out[c.key] = list(dict.fromkeys(n for n in names if n))
    return out


def search_title(concept: Concept) -> str:
    """The concept's title and its other names the title lacks, as the site search lists
    it: 'Sliding-window attention (also SWA, sliding window, local attention)'."""
    extra = [a for a in concept.aliases if a.lower() not in concept.title.lower()]
    # a dot would split the name in the search index, as it does a module's
    text = concept.title + (f" (also {', '.join(extra)})" if extra else "")
    return text.replace(".", "")


def concepts_of(model: LoadedModel) -> list[str]:
    """Keys of the concepts ``model`` uses, in reading order."""
    arch = model.spec.architecture
    layers = model.layers
    found: set[str] = set()
    for name in used_mixers(arch, layers):
        found |= arch.mixers[name].concepts_used()
    for name in used_ffns(arch, layers):
        found |= arch.ffns[name].concepts_used(model.stack)
    found.add(arch.norm.where.concept.key)
    for feature in arch.features:
        found |= feature.concepts_used()
    if arch.residual:
        found |= arch.residual.concepts_used()
    if arch.tie_embeddings:
        found.add("tied-embeddings")
    if arch.mtp:
        found.add("mtp")
    if arch.ngram_embeddings:
        found.add(NGRAM_EMBEDDINGS.key)
    if arch.logit_softcap:
        found.update(c.key for c in arch.logit_softcap.CONCEPTS)
    if arch.loop:
        found |= arch.loop.concepts_used()
    return [key for key in all_concepts() if key in found]

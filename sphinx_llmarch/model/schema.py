"""The model file's schema: typed, validated, exported as JSON Schema.

One YAML file describes one model.  Metadata (name, dates, licence, links, the
officially stated parameter counts) is kept apart from ``architecture``, which
holds only facts taken from the model's configuration or report.  The layer
stack is an ordered ``schedule`` of layer specs that name a token *mixer*
and/or a feed-forward block; everything a reader sees (layer mix, ratios,
repeat counts) is derived from it.  What a mixer, a feed-forward block or a
position scheme may hold is defined by its mechanism (:mod:`..mechanisms`).

This module knows nothing of Sphinx or of YAML parsing; see :mod:`.loader`.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Final, Literal

from pydantic import (
    BeforeValidator,
    Discriminator,
    Field,
    StrictBool,
    StrictInt,
    StringConstraints,
    Tag,
    model_validator,
)

from ..mechanisms import FeatureField, FeedForwardField, MixerField, ResidualField
from ..mechanisms.base import PosInt, Spec
from ..mechanisms.looped import LoopedDepth
from ..mechanisms.ngram_embedding import NgramEmbeddings
from ..mechanisms.norms import Norm
from ..mechanisms.softcap import LogitSoftcap

SCHEMA_VERSION: Final = 1

#: the deepest model in the gallery has 94 layers; a far larger count is a typo, and expanding
#: it would exhaust memory
MAX_LAYERS = 10_000
LayerCount = Annotated[StrictInt, Field(gt=0, le=MAX_LAYERS)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:[.-][a-z0-9]+)*$", max_length=80)]
Name = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_-]*$", max_length=40)]
Url = Annotated[str, StringConstraints(pattern=r"^https?://[^\s]+$")]
Text = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]

_SUFFIXES = {"K": 10**3, "M": 10**6, "B": 10**9, "T": 10**12}
_COUNT_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([KMBT])\s*$")


def _parse_count(value: Any) -> Any:
    """Accept ``671B``/``1.5T``-style strings for officially stated counts."""
    if isinstance(value, str) and (match := _COUNT_RE.match(value)):
        return int(Decimal(match.group(1)) * _SUFFIXES[match.group(2)])
    return value


ParamCount = Annotated[PosInt, BeforeValidator(_parse_count)]


# --------------------------------------------------------------------------- metadata


class Licence(Spec):
    """The licence of the weights: an SPDX id where one exists, else a name."""

    spdx: str | None = Field(None, description="SPDX identifier, e.g. 'Apache-2.0'.")
    name: str | None = Field(None, description="Licence name when there is no SPDX id.")
    url: Url | None = Field(None, description="Link to the licence text.")

    @model_validator(mode="after")
    def _named(self) -> Licence:
        if not (self.spdx or self.name):
            raise ValueError("give the licence's 'spdx' id or its 'name'")
        return self

    @property
    def label(self) -> str:
        return self.spdx or self.name or ""


class Links(Spec):
    """Official sources; every architecture value is taken from one of them."""

    config: Url | None = Field(None, description="The official Hugging Face config.json.")
    report: Url | None = Field(None, description="Technical report or paper.")
    model_card: Url | None = Field(None, description="Model card or release notes.")
    code: Url | None = Field(None, description="Official reference implementation.")


class Context(Spec):
    """Context length in tokens."""

    native: PosInt = Field(description="Maximum positions of the released configuration.")
    extended: PosInt | None = Field(
        None, description="Officially supported length beyond it (e.g. with YaRN), if any."
    )
    source: Url | None = Field(None, description="Where the figures are stated, if not the config.")


#: what a publisher's parameter figure counts: every weight, every weight but the input and
#: output embeddings, or every weight but the output head (one vocabulary matrix)
Convention = Literal["everything", "without-embeddings", "without-output-head"]


class OfficialParams(Spec):
    """Parameter counts as the model's publisher states them."""

    total: ParamCount | None = Field(None, description="Total parameters (``671B`` allowed).")
    active: ParamCount | None = Field(None, description="Parameters active per token (MoE).")
    basis: Literal["stated", "name"] = Field(
        description="'stated': the publisher gives the figure; 'name': only the model's name does."
    )
    total_counts: Convention = Field(
        "everything", description="What the publisher's total includes."
    )
    active_counts: Convention = Field(
        "everything", description="What the publisher's active figure includes."
    )
    source: Url
    note: str | None = None

    @model_validator(mode="after")
    def _some(self) -> OfficialParams:
        if self.total is None and self.active is None:
            raise ValueError("give 'total' and/or 'active'")
        if self.total and self.active and self.active > self.total:
            raise ValueError("'active' cannot exceed 'total'")
        return self


class DraftKey(Spec):
    """A config key an import could not represent, left for a person to resolve."""

    key: str = Field(description="The config key (``group.inner`` for nested ones).")
    value: str = Field(description="Its value in the config, as JSON text.")
    reason: str = Field(description="Why the import could not represent it.")


class Note(Spec):
    """A recorded choice, caveat or disagreement between sources."""

    field: str | None = Field(None, description="Dotted path of the field the note is about.")
    text: Text
    source: Url | None = None


class Editorial(Spec):
    """Our own words about the model; never a source of facts."""

    summary: Text | None = None
    key_detail: Text | None = None


# --------------------------------------------------------------------------- stack


class LayerGroup(Spec):
    """A pattern of layer specs repeated ``repeat`` times."""

    repeat: LayerCount = 1
    pattern: list[LayerItem] = Field(min_length=1)


def _item_tag(value: Any) -> str:
    return "group" if isinstance(value, dict | LayerGroup) else "spec"


LayerItem = Annotated[
    Annotated[str, StringConstraints(min_length=1), Tag("spec")]
    | Annotated[LayerGroup, Tag("group")],
    Discriminator(_item_tag),
]


class Layers(Spec):
    count: LayerCount = Field(description="Number of layers; the schedule must add up to it.")
    schedule: list[LayerItem] = Field(
        min_length=1,
        description="Layer specs 'mixer + ffn', 'mixer' or 'ffn', or groups with a repeat count.",
    )


class MTP(Spec):
    """Multi-token-prediction modules (not counted in total_params)."""

    modules: PosInt
    pattern: list[str] | None = Field(
        None, description="Layer specs of one module; default: the last layer's."
    )


class Architecture(Spec):
    hidden_size: PosInt
    vocab_size: PosInt
    tie_embeddings: StrictBool
    norm: Norm
    mixers: dict[Name, MixerField] = Field(min_length=1)
    ffns: dict[Name, FeedForwardField] = Field(default_factory=dict)
    layers: Layers
    mtp: MTP | None = None
    residual: ResidualField | None = Field(
        None, description="A residual stream other than one plain add (hyper-connections)."
    )
    per_layer_embeddings: PosInt | None = Field(
        None, description="Width of the per-layer token embeddings, if used."
    )
    features: list[FeatureField] = Field(
        default_factory=list,
        description="Features of the model as a whole (how its residual stream is wired, "
        "for instance), each with its 'kind'.",
    )
    logit_softcap: LogitSoftcap | None = Field(
        None, description="The output logits squashed by a tanh soft-cap, if they are."
    )
    loop: LoopedDepth | None = Field(
        None, description="Looped depth: the whole layer stack runs several times per token."
    )
    ngram_embeddings: NgramEmbeddings | None = Field(
        None, description="Hashed n-gram embedding tables added to the token embedding."
    )
    state_precision: Literal["fp32", "bf16", "fp16"] | None = Field(
        None,
        description="Precision the config declares for the fixed state of linear-attention "
        "and state-space layers (e.g. mamba_ssm_cache_dtype: float32); the memory "
        "calculator's default for that state. Left out, the state is held like the cache.",
    )

    FIELD_NAMES: ClassVar[dict[str, str]] = {
        "mtp": "multi-token prediction",
        "loop": "looped depth",
        "tie_embeddings": "tied embeddings",
        "ngram_embeddings": "n-gram embeddings",
        "residual": "residual stream",
        "logit_softcap": "logit soft-capping",
    }


class ModelSpec(Spec):
    """One model, as ``models/<slug>.yaml`` describes it."""

    schema_version: Literal[1] = SCHEMA_VERSION
    slug: Slug
    name: Text
    organisation: Text | None = Field(None, description="Publisher; unknown when left out.")
    family: Text | None = Field(None, description="Model family (default: the organisation).")
    based_on: Slug | None = Field(None, description="Slug of the model whose template it follows.")
    release_date: date | None = Field(None, description="First public release of the weights.")
    licence: Licence | None = None
    links: Links = Field(default_factory=Links)
    context: Context
    official_params: OfficialParams | None = None
    architecture: Architecture
    notes: list[Note] = Field(default_factory=list)
    unconfirmed: list[str] = Field(
        default_factory=list,
        description="Fields that no official source confirms, left out of this file (dotted "
        "paths such as 'architecture.mixers.attn.qk_norm'): shown as not confirmed rather "
        "than read as absent.",
    )
    editorial: Editorial | None = None
    draft: list[DraftKey] = Field(
        default_factory=list,
        description=(
            "Config keys an import could not represent (``llmarch import --draft``). A file "
            "with any is an unfinished draft: validation and the docs build warn until a "
            "person resolves each key and deletes the list."
        ),
    )

    @property
    def family_name(self) -> str:
        """Its family; else its organisation; else its own name."""
        return self.family or self.organisation or self.name


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a model file, for editors and for the docs."""
    schema = ModelSpec.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "LLM architecture model file"
    return schema

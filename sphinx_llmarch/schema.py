"""The model YAML schema: typed, validated, exported as JSON Schema.

One YAML file describes one model.  Metadata (name, dates, licence, links, the
officially stated parameter counts) is kept apart from ``architecture``, which
holds only facts taken from the model's configuration or report.  The layer
stack is an ordered ``schedule`` of layer specs that name a token *mixer*
(attention, MLA, a linear-attention or state-space mixer) and/or a
feed-forward block (dense or mixture-of-experts); everything a reader sees
(layer mix, ratios, repeat counts) is derived from it.

This module knows nothing of Sphinx or of YAML parsing; see :mod:`.loader`.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Final, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    StrictBool,
    StrictInt,
    StringConstraints,
    Tag,
    field_validator,
    model_validator,
)

SCHEMA_VERSION: Final = 1

PosInt = Annotated[StrictInt, Field(gt=0)]
#: the deepest model in the gallery has 94 layers; a far larger count is a typo, and expanding
#: it would exhaust memory
MAX_LAYERS = 10_000
LayerCount = Annotated[StrictInt, Field(gt=0, le=MAX_LAYERS)]
NonNegInt = Annotated[StrictInt, Field(ge=0)]
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


#: characters XML cannot hold (and no prose needs): they would break every diagram's SVG
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


class _Base(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    @field_validator("*", mode="after")
    @classmethod
    def _printable(cls, value: Any) -> Any:
        if isinstance(value, str) and (bad := _UNPRINTABLE.search(value)):
            raise ValueError(f"the control character U+{ord(bad.group()):04X} is not allowed")
        return value


# --------------------------------------------------------------------------- metadata


class Licence(_Base):
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


class Links(_Base):
    """Official sources; every architecture value is taken from one of them."""

    config: Url | None = Field(None, description="The official Hugging Face config.json.")
    report: Url | None = Field(None, description="Technical report or paper.")
    model_card: Url | None = Field(None, description="Model card or release notes.")
    code: Url | None = Field(None, description="Official reference implementation.")


class Context(_Base):
    """Context length in tokens."""

    native: PosInt = Field(description="Maximum positions of the released configuration.")
    extended: PosInt | None = Field(
        None, description="Officially supported length beyond it (e.g. with YaRN), if any."
    )
    source: Url | None = Field(None, description="Where the figures are stated, if not the config.")


class OfficialParams(_Base):
    """Parameter counts as the model's publisher states them."""

    total: ParamCount | None = Field(None, description="Total parameters (``671B`` allowed).")
    active: ParamCount | None = Field(None, description="Parameters active per token (MoE).")
    basis: Literal["stated", "name"] = Field(
        description="'stated': the publisher gives the figure; 'name': only the model's name does."
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


class Note(_Base):
    """A recorded choice, caveat or disagreement between sources."""

    field: str | None = Field(None, description="Dotted path of the field the note is about.")
    text: Text
    source: Url | None = None


class Editorial(_Base):
    """Our own words about the model; never a source of facts."""

    summary: Text | None = None
    key_detail: Text | None = None


# --------------------------------------------------------------------------- positions


class RopeScaling(_Base):
    kind: Literal["yarn", "llama3", "linear", "dynamic", "longrope"]
    factor: float = Field(gt=0)
    original_context: PosInt | None = Field(
        None, description="Context length the scaling starts from."
    )


class Position(_Base):
    """How a layer type sees token positions."""

    kind: Literal["rope", "nope", "learned"] = Field(
        description="'rope'; 'nope' (no positional signal in this layer); 'learned' "
        "(absolute positions added to the token embedding)."
    )
    theta: float | None = Field(
        None, gt=0, description="RoPE base frequency; leave it out when no source states it."
    )
    fraction: float = Field(
        1.0,
        gt=0,
        le=1,
        description="Share of each head's dimensions that is rotated (partial RoPE).",
    )
    interleaved: StrictBool = Field(False, description="GPT-J style interleaved rotation.")
    sections: list[PosInt] | None = Field(None, description="Multimodal RoPE (mRoPE) sections.")
    scaling: RopeScaling | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Position:
        if self.kind != "rope" and (
            self.theta is not None or self.scaling or self.fraction != 1.0 or self.sections
        ):
            raise ValueError(f"'{self.kind}' takes no RoPE settings (theta, fraction, scaling)")
        return self


# --------------------------------------------------------------------------- mixers

QKNorm = Literal["none", "head", "layer"]
OutputGate = Literal["none", "elementwise", "headwise"]


class _AttentionCommon(_Base):
    qk_norm: QKNorm = Field(
        "none", description="'head': one norm shared by all heads; 'layer': across all heads."
    )
    output_gate: OutputGate = Field(
        "none", description="Sigmoid gate on the attention output (gated attention)."
    )
    bias: Literal["none", "qkv", "all"] = Field(
        "none", description="Biases on the Q/K/V projections, or on all four."
    )
    position: Position


class SparseIndexer(_Base):
    """DeepSeek sparse attention: a lightning indexer selects the top-k past tokens."""

    kind: Literal["dsa"] = "dsa"
    index_heads: PosInt
    index_head_dim: PosInt
    top_k: PosInt


class Attention(_AttentionCommon):
    """Softmax attention with explicit head geometry."""

    kind: Literal["mha", "gqa", "mqa"]
    heads: PosInt
    kv_heads: PosInt
    head_dim: PosInt = Field(description="Stored explicitly: not always hidden_size / heads.")
    v_head_dim: PosInt | None = Field(None, description="Value head size when it differs.")
    window: PosInt | None = Field(None, description="Sliding-window size in tokens.")
    chunk: PosInt | None = Field(None, description="Chunked (block-local) attention size.")
    sinks: StrictBool = Field(False, description="Learned per-head attention-sink logits.")
    kv_shared: StrictBool = Field(False, description="Keys reused as values (K = V).")

    @model_validator(mode="after")
    def _heads_match_kind(self) -> Attention:
        if self.heads % self.kv_heads:
            raise ValueError(
                f"heads ({self.heads}) must be a multiple of kv_heads ({self.kv_heads})"
            )
        expected = "mha" if self.kv_heads == self.heads else "mqa" if self.kv_heads == 1 else "gqa"
        if self.kind != expected:
            raise ValueError(
                f"{self.heads} heads with {self.kv_heads} KV heads is '{expected}', not '{self.kind}'"
            )
        if self.window and self.chunk:
            raise ValueError("a layer type has either 'window' or 'chunk', not both")
        return self


class MLA(_AttentionCommon):
    """Multi-head latent attention: keys and values cached as one low-rank latent."""

    kind: Literal["mla"]
    heads: PosInt
    q_lora_rank: PosInt | None = Field(description="Query latent rank; null for a full-rank query.")
    kv_lora_rank: PosInt
    qk_nope_head_dim: PosInt
    qk_rope_head_dim: NonNegInt = Field(description="Decoupled RoPE key/query part per head.")
    v_head_dim: PosInt
    sparse: SparseIndexer | None = None


class DeltaMixer(_Base):
    """Gated DeltaNet or Kimi Delta Attention: linear attention with a delta-rule state."""

    kind: Literal["gated_deltanet", "kimi_delta"]
    key_heads: PosInt
    value_heads: PosInt
    key_head_dim: PosInt
    value_head_dim: PosInt
    conv_kernel: PosInt = Field(description="Short causal convolution width.")


class Lightning(_AttentionCommon):
    """Lightning attention: linear attention computed blockwise."""

    kind: Literal["lightning"]
    heads: PosInt
    head_dim: PosInt


class Mamba2(_Base):
    """A Mamba-2 selective state-space mixer."""

    kind: Literal["mamba2"]
    heads: PosInt
    head_dim: PosInt
    state_size: PosInt
    groups: PosInt
    conv_kernel: PosInt


Mixer = Annotated[Attention | MLA | DeltaMixer | Lightning | Mamba2, Field(discriminator="kind")]

# --------------------------------------------------------------------------- feed-forward

Activation = Literal["gelu", "swiglu", "geglu", "relu2"]


class DenseFFN(_Base):
    kind: Literal["dense"]
    hidden: PosInt = Field(description="Intermediate (hidden) size.")
    activation: Activation
    bias: StrictBool = False


class ParallelDense(_Base):
    hidden: PosInt
    activation: Activation


class SharedExperts(_Base):
    count: PosInt = 1
    hidden: PosInt = Field(description="Intermediate size of each shared expert.")
    gate: StrictBool = Field(False, description="A sigmoid gate scales the shared output.")


class Router(_Base):
    scoring: Literal["softmax", "sigmoid"]
    bias: StrictBool = Field(False, description="A learned per-expert bias on the router scores.")


class MoE(_Base):
    kind: Literal["moe"]
    experts: PosInt = Field(description="Routed experts.")
    active: PosInt = Field(description="Routed experts used per token.")
    expert_hidden: PosInt
    activation: Activation
    bias: StrictBool = False
    router: Router
    shared: SharedExperts | None = None
    latent: PosInt | None = Field(None, description="Latent MoE: experts run at this width.")
    parallel_dense: ParallelDense | None = Field(
        None, description="A dense FFN running beside the experts on every token."
    )

    @model_validator(mode="after")
    def _active_fits(self) -> MoE:
        if self.active > self.experts:
            raise ValueError(f"active ({self.active}) exceeds experts ({self.experts})")
        return self


FFN = Annotated[DenseFFN | MoE, Field(discriminator="kind")]

# --------------------------------------------------------------------------- stack


class Norm(_Base):
    kind: Literal["rmsnorm", "layernorm"]
    placement: Literal["pre", "post", "sandwich", "parallel"] = Field(
        description="'pre'; 'post' (inside the residual); 'sandwich' (pre and post); "
        "'parallel' (one norm feeds attention and FFN side by side)."
    )
    eps: float | None = Field(None, gt=0)
    bias: StrictBool | None = Field(
        None, description="LayerNorm bias (default: yes for LayerNorm)."
    )
    zero_centered: StrictBool = Field(False, description="Weights stored as 1 + w.")

    @property
    def has_bias(self) -> bool:
        return self.bias if self.bias is not None else self.kind == "layernorm"


class LayerGroup(_Base):
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
LayerGroup.model_rebuild()


class Layers(_Base):
    count: LayerCount = Field(description="Number of layers; the schedule must add up to it.")
    schedule: list[LayerItem] = Field(
        min_length=1,
        description="Layer specs 'mixer + ffn', 'mixer' or 'ffn', or groups with a repeat count.",
    )


class MTP(_Base):
    """Multi-token-prediction modules (not counted in total_params)."""

    modules: PosInt
    pattern: list[str] | None = Field(
        None, description="Layer specs of one module; default: the last layer's."
    )


class Architecture(_Base):
    hidden_size: PosInt
    vocab_size: PosInt
    tie_embeddings: StrictBool
    norm: Norm
    mixers: dict[Name, Mixer] = Field(min_length=1)
    ffns: dict[Name, FFN] = Field(default_factory=dict)
    layers: Layers
    mtp: MTP | None = None
    per_layer_embeddings: PosInt | None = Field(
        None, description="Width of the per-layer token embeddings, if used."
    )


class ModelSpec(_Base):
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


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a model file, for editors and for the docs."""
    schema = ModelSpec.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "LLM architecture model file"
    return schema


def is_linear(mixer: Mixer) -> bool:
    """Linear-attention and state-space mixers keep a fixed state, not a KV cache."""
    return isinstance(mixer, DeltaMixer | Lightning | Mamba2)


def position_of(mixer: Mixer) -> Position | None:
    """How a mixer sees positions; None for mixers without positional settings."""
    return mixer.position if isinstance(mixer, Attention | MLA | Lightning) else None

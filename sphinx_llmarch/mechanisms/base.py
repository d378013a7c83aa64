"""What a mechanism is: the schema vocabulary and the four interfaces a mechanism implements.

A mechanism is a token mixer (softmax attention, MLA, a linear-attention or state-space
mixer), a feed-forward kind (dense, mixture of experts), a position scheme (RoPE, NoPE,
learned positions) or a residual stream (hyper-connections).  Its module defines a pydantic
class per ``kind`` that subclasses one of :class:`Mixer`, :class:`FeedForward`,
:class:`PositionScheme` or :class:`ResidualStream`: the class is its part
of the model file's schema, and its methods answer every question the rest of the package
asks about it (parameters, cache, names, concepts, its side panel, how the importer names
it).  The rest of the package calls these methods; it never tests a kind's name.

Pure: no Sphinx, no docutils, no I/O.
"""

from __future__ import annotations

import re
from abc import abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, StrictInt, field_validator

from .sketch import Sketch

PosInt = Annotated[StrictInt, Field(gt=0)]
NonNegInt = Annotated[StrictInt, Field(ge=0)]

#: characters XML cannot hold (and no prose needs): they would break every diagram's SVG
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


class Spec(BaseModel):
    """Base of every object of a model file: unknown fields refused, values frozen.

    Validators are built when a model file is first validated, not on import: building
    them for every class was a third of the package's import time, paid even by builds
    that read no model file.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    #: readable names of fields a model file may list as not confirmed by any source
    FIELD_NAMES: ClassVar[dict[str, str]] = {}

    @field_validator("*", mode="after")
    @classmethod
    def _printable(cls, value: Any) -> Any:
        if isinstance(value, str) and (bad := _UNPRINTABLE.search(value)):
            raise ValueError(f"the control character U+{ord(bad.group()):04X} is not allowed")
        return value


@dataclass(frozen=True)
class Concept:
    """An idea the concept pages explain; diagrams link to ``llmarch-concept-<key>``."""

    key: str
    title: str
    #: place in concept lists (the reading order of the concept pages)
    order: int
    #: the gallery filter that offers it ('attention': the kind of token mixer), if any
    facet: str | None = None
    #: other names readers search it by ('SWA', 'local attention'), beyond its title
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Stack:
    """What a mechanism may need to know of the model around it to name itself."""

    #: some softmax-attention layer type sees only a window or a chunk of the past
    has_local: bool = False
    #: the feed-forward block of the first layer (a dense prefix before MoE layers)
    first_ffn: FeedForward | None = None


@dataclass(frozen=True)
class Experts:
    """The routing of a mixture of experts, in the terms readers compare."""

    routed: int
    active: int
    expert_hidden: int
    shared: int
    shared_hidden: int | None
    latent: int | None


Role = Literal["attention", "linear", "state-space"]


# --------------------------------------------------------------------------- importer


class ConfigReader(Protocol):
    """The importer's view of a config.json (see ``importer.config.HFConfig``)."""

    @property
    def data(self) -> dict[str, Any]: ...

    def has(self, *keys: str) -> bool: ...
    def get(self, *keys: str, default: Any = None) -> Any: ...
    def head_dim(self) -> int | None: ...
    def nested(self, key: str, inner: str, default: Any = None) -> Any: ...
    def mark(self, *keys: str) -> None: ...
    def refuse(self, key: str, reason: str) -> None: ...
    def int(self, *keys: str, default: int | None = None) -> int | None: ...


class FamilyTraits(Protocol):
    """What a model type's code does that its config.json does not state (see
    ``importer.families.Family``)."""

    @property
    def qk_norm(self) -> str: ...
    @property
    def attention_bias(self) -> str: ...
    @property
    def bias_always(self) -> bool: ...
    @property
    def learned_positions(self) -> bool: ...
    @property
    def yarn_full_only(self) -> bool: ...
    @property
    def gated_ffn(self) -> bool: ...
    @property
    def activation(self) -> str | None: ...
    @property
    def fixed_activation(self) -> str | None: ...
    @property
    def router(self) -> str: ...
    @property
    def router_bias(self) -> bool: ...
    @property
    def expert_bias(self) -> bool: ...
    @property
    def shared_expert_gate(self) -> bool: ...
    @property
    def shared_width(self) -> str: ...
    @property
    def shared_hidden_key(self) -> str | None: ...
    @property
    def dense_hidden_key(self) -> str | None: ...


ConfigSpec = dict[str, Any]


# --------------------------------------------------------------------------- positions


class PositionScheme(Spec):
    """How a layer type sees token positions."""

    if TYPE_CHECKING:
        kind: str

    CONCEPTS: ClassVar[tuple[Concept, ...]] = ()
    #: positions are added to the token embedding rather than applied in the layers
    AT_EMBEDDING: ClassVar[bool] = False
    #: the layer sees no positional signal at all
    POSITIONLESS: ClassVar[bool] = False

    @abstractmethod
    def label(self) -> str:
        """'RoPE', 'Partial RoPE + YaRN', 'NoPE', 'Learned positions'."""

    def detail(self) -> str:
        """Its numbers: 'θ 500,000'; empty when it has none."""
        return ""

    def rotated_share(self) -> float | None:
        """The share of each head's dimensions rotated; None when nothing is rotated."""
        return None

    def base_frequency(self) -> float | None:
        return None

    def concept(self) -> Concept:
        """The concept that explains it (its first)."""
        return self.CONCEPTS[0]

    @abstractmethod
    def concepts_used(self) -> set[str]: ...

    def embedding_params(self, context: int, hidden: int) -> int:
        """Weights it adds to the embedding (learned positions)."""
        return 0

    def layer_params(self, hidden: int, heads: int) -> int:
        """Weights it adds to each attention layer of ``heads`` query heads (a learned bias)."""
        return 0


# --------------------------------------------------------------------------- token mixers


class Mixer(Spec):
    """A token mixer: what lets a token see the others."""

    if TYPE_CHECKING:
        kind: str

    #: drawing colour and decoder type: softmax attention, or a fixed-state mixer
    ROLE: ClassVar[Role]
    CONCEPTS: ClassVar[tuple[Concept, ...]] = ()

    @abstractmethod
    def params(self, hidden: int) -> int:
        """Weights of one layer's mixer at model width ``hidden``."""

    def cache_values_per_token(self) -> int:
        """Values one token adds to this layer's cache; 0 for fixed-state mixers.

        Counted in values, not bytes: the precision is the figures' convention.
        """
        return 0

    def state_values(self) -> int:
        """Values of the fixed per-sequence state (linear attention, state-space models)."""
        return 0

    def span(self) -> int | None:
        """Tokens the cache keeps (a window or a chunk); None when it keeps all."""
        return None

    def cache_parts(self) -> list[tuple[int, int | None]]:
        """Its cache as parts of (values per token, tokens kept or None for all): one by
        default, two for a window with a compressed history beside it."""
        values = self.cache_values_per_token()
        return [(values, self.span())] if values else []

    def position_scheme(self) -> PositionScheme | None:
        return None

    def uses_qk_norm(self) -> bool:
        return False

    # ------------------------------------------------------------------ wording

    @abstractmethod
    def abbreviation(self) -> str:
        """The kind as a reader abbreviates it: 'GQA', 'MLA + DSA', 'Gated DeltaNet'."""

    def mix_label(self, stack: Stack) -> str:
        """Its name in layer mixes: 'sliding-window', 'global', 'MLA'."""
        return self.abbreviation()

    def row_label(self, stack: Stack) -> str:
        """Its compact name in schedule rows: 'sliding-window GQA', 'Mamba-2'."""
        return self.abbreviation()

    @abstractmethod
    def title(self, stack: Stack) -> str:
        """The full name on its box: 'Sliding-window grouped-query attention'."""

    @classmethod
    def merged_title(cls, mixers: Sequence[Mixer], stack: Stack) -> str | None:
        """One title for several layer types of this kind in one box, if it has one."""
        return None

    def phrase(self) -> str:
        """Its part of a one-line summary: 'sliding-window GQA (1,024)'."""
        return self.abbreviation()

    def flags(self) -> list[str]:
        """Features worth a word in that summary: 'QK-norm', 'attention sinks'."""
        return []

    @abstractmethod
    def heads_text(self) -> str:
        """'32 heads, 8 KV heads, head dim 128'."""

    def notes(self) -> list[str]:
        """Further lines beside its box: its window, its special features."""
        return []

    # ------------------------------------------------------------------ concepts, drawing

    @abstractmethod
    def concept(self) -> str:
        """The concept its box links to."""

    @abstractmethod
    def concepts_used(self) -> set[str]: ...

    def panel(self) -> Sketch | None:
        """A side panel of its internals; None when the main box says it all."""
        return None

    @classmethod
    def import_name(cls, spec: ConfigSpec, specs: Sequence[ConfigSpec]) -> str:
        """The name ``llmarch import`` gives it among a model's mixers ``specs``."""
        return str(spec["kind"])


# --------------------------------------------------------------------------- feed-forward


class FeedForward(Spec):
    """The per-token block after the mixer: dense, or a mixture of experts."""

    if TYPE_CHECKING:
        kind: str

    CONCEPTS: ClassVar[tuple[Concept, ...]] = ()
    #: tokens are routed to a few experts (a sparse decoder)
    ROUTED: ClassVar[bool] = False
    #: its name in layer mixes and schedule rows, and on its box
    MIX_LABEL: ClassVar[str]
    TITLE: ClassVar[str]
    #: its colour in diagrams
    CSS: ClassVar[str]

    @abstractmethod
    def params(self, hidden: int) -> tuple[int, int]:
        """(total, active) weights of one layer's block at model width ``hidden``."""

    def mix_label(self) -> str:
        """Its name in layer mixes and schedule rows: 'MoE', 'hash-routed MoE'."""
        return self.MIX_LABEL

    def routing(self) -> Experts | None:
        """How it routes tokens to experts; None for a block every token passes whole."""
        return None

    def active_is_bound(self) -> bool:
        """Its active weights are an upper bound: what a token uses varies, and no average
        is stated (weightless experts among the router's choices)."""
        return False

    @abstractmethod
    def activation_name(self) -> str:
        """The activation of its MLPs (a key of ``activations.ACTIVATIONS``)."""

    @abstractmethod
    def hidden_text(self) -> str:
        """Its hidden size as the feed-forward panel notes it: '2,048 (each expert)'."""

    @abstractmethod
    def compare_text(self) -> str:
        """Its cell in comparison tables: 'SwiGLU, hidden 14,336'."""

    @abstractmethod
    def note(self) -> str:
        """Its line beside the diagram's box: 'MoE: 256 experts, 8 active + 1 shared'."""

    @abstractmethod
    def phrase(self) -> str:
        """Its part of a diagram's description: 'SwiGLU feed-forward of 14,336'."""

    def concept(self) -> str | None:
        """The concept its box links to, if any."""
        return None

    @abstractmethod
    def concepts_used(self, stack: Stack) -> set[str]: ...

    def panel(self, hidden: int) -> Sketch | None:
        return None

    @classmethod
    def import_name(cls, spec: ConfigSpec, specs: Sequence[ConfigSpec]) -> str:
        return str(spec["kind"])

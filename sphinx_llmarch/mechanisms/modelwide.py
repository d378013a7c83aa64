"""The model-wide mechanisms: residual streams other than one plain add, and features of
the model as a whole. Like mixers, each kind is a module of its own; these two classes say
what such a module answers."""

from __future__ import annotations

from abc import abstractmethod
from typing import TYPE_CHECKING, ClassVar

from .base import Concept, Spec
from .sketch import Sketch

# --------------------------------------------------------------------------- model-wide


class Feature(Spec):
    """A feature of the model as a whole rather than of one layer type: how the layers'
    outputs are combined, for instance.  A model file lists them under
    ``architecture.features``; each is a module of its own, as mixers are."""

    if TYPE_CHECKING:
        kind: str

    CONCEPTS: ClassVar[tuple[Concept, ...]] = ()

    @abstractmethod
    def params(self, hidden: int, layers: int) -> int:
        """Weights it adds to a model of width ``hidden`` and ``layers`` layers (every token
        uses them)."""

    @abstractmethod
    def label(self) -> str:
        """Its name with its setting: 'block attention residuals (blocks of 12 layers)'."""

    @abstractmethod
    def note(self) -> str:
        """Its line beside the diagram's layer block."""

    @abstractmethod
    def concept(self) -> str:
        """The concept that explains it."""

    def concepts_used(self) -> set[str]:
        return {self.concept()}

    def panel(self) -> Sketch | None:
        """A side panel of how it works; None when its note says it all."""
        return None


# --------------------------------------------------------------------------- residual stream


class ResidualStream(Spec):
    """An architecture-level residual path other than one plain add (a model without one
    has the plain residual connection): it wraps every sub-layer of every layer."""

    if TYPE_CHECKING:
        kind: str

    CONCEPTS: ClassVar[tuple[Concept, ...]] = ()

    @abstractmethod
    def params_per_sublayer(self, hidden: int) -> int:
        """Weights it adds around one sub-layer at model width ``hidden``."""

    def head_params(self, hidden: int) -> int:
        """Weights where the stream ends, before the final norm (and before each MTP head)."""
        return 0

    @abstractmethod
    def label(self) -> str:
        """Its name in the fact table: 'mHC, 4 streams'."""

    @abstractmethod
    def phrase(self) -> str:
        """Its part of a diagram's description: 'a residual stream widened to 4 copies'."""

    def expand_label(self) -> str | None:
        """The box between the embedding and the first layer, if it has one."""
        return None

    def collapse_label(self) -> str | None:
        """The box between the last layer and the final norm, if it has one."""
        return None

    def panel(self) -> Sketch | None:
        """A side panel of what happens around one sub-layer."""
        return None

    @abstractmethod
    def concept(self) -> str:
        """The concept its boxes link to."""

    def notes(self) -> list[str]:
        """Lines beside the box where the stream starts."""
        return []

    @abstractmethod
    def concepts_used(self) -> set[str]: ...

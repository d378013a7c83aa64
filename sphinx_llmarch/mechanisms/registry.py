"""The registry of mechanisms: which class handles each ``kind`` of the model file.

Every mechanism module registers its classes with :func:`register` when it is imported
(``mechanisms/__init__.py`` imports the built-in ones); a project or a test can register
more the same way.  The schema's ``mixers``, ``ffns``, ``position`` and ``features`` fields
validate through the registry (:data:`MixerField`, :data:`FeedForwardField`,
:data:`PositionField`, :data:`FeatureField`; the architecture's ``residual`` through
:data:`ResidualField`),
so a kind nobody registered fails validation with one located message, and nothing else
needs to know which kinds exist.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

from pydantic import GetJsonSchemaHandler, SerializeAsAny, ValidatorFunctionWrapHandler
from pydantic import WrapValidator as _WrapValidator
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticKnownError, core_schema

from .base import Concept, FeedForward, Mixer, PositionScheme, Spec
from .modelwide import Feature, ResidualStream

S = TypeVar("S", bound=Spec)
#: what a mechanism can be: the classes whose subclasses are registered by ``kind``
BASES: tuple[type[Spec], ...] = (Mixer, FeedForward, PositionScheme, Feature, ResidualStream)


class UnknownKindError(LookupError):
    """A kind no mechanism is registered for."""


class Registry:
    """Mechanism classes by base (mixer, feed-forward, position) and by kind."""

    def __init__(self) -> None:
        self._tables: dict[type[Spec], dict[str, type[Spec]]] = {base: {} for base in BASES}
        #: counts the changes, so that what is made from the registry is made again after one
        self.version = 0
        self._concepts: tuple[int, list[Concept]] = (-1, [])

    def register(self, cls: type[S]) -> type[S]:
        """Register ``cls`` for the kinds its ``kind`` field allows (a class decorator)."""
        base = next((b for b in BASES if issubclass(cls, b)), None)
        if base is None:
            raise TypeError(
                f"{cls.__name__} is not a Mixer, FeedForward, PositionScheme, Feature or "
                "ResidualStream"
            )
        if inspect.isabstract(cls):
            missing = ", ".join(sorted(getattr(cls, "__abstractmethods__", ())))
            raise TypeError(f"{cls.__name__} does not implement: {missing}")
        table = self._tables[base]
        for kind in kinds_of(cls):
            if kind in table and table[kind] is not cls:
                raise ValueError(f"kind '{kind}' is already registered by {table[kind].__name__}")
            table[kind] = cls
        self.version += 1
        return cls

    def unregister(self, cls: type[Spec]) -> None:
        for table in self._tables.values():
            for kind in [k for k, c in table.items() if c is cls]:
                del table[kind]
        self.version += 1

    def kinds(self, base: type[Spec]) -> list[str]:
        """The registered kinds of ``base``, in the order they were registered."""
        return list(self._tables[base])

    def mixer(self, kind: str) -> type[Mixer]:
        return self.lookup(Mixer, kind)  # type: ignore[return-value]

    def feed_forward(self, kind: str) -> type[FeedForward]:
        return self.lookup(FeedForward, kind)  # type: ignore[return-value]

    def position(self, kind: str) -> type[PositionScheme]:
        return self.lookup(PositionScheme, kind)  # type: ignore[return-value]

    def feature(self, kind: str) -> type[Feature]:
        return self.lookup(Feature, kind)  # type: ignore[return-value]

    def residual(self, kind: str) -> type[ResidualStream]:
        return self.lookup(ResidualStream, kind)  # type: ignore[return-value]

    def lookup(self, base: type[Spec], kind: str) -> type[Spec]:
        """The class registered for ``kind`` under ``base``; one message when there is none."""
        try:
            return self._tables[base][kind]
        except KeyError:
            known = ", ".join(self._tables[base]) or "none"
            raise UnknownKindError(
                f"no {base.__name__.lower()} of kind '{kind}' is registered (known: {known})"
            ) from None

    def classes(self, base: type[Spec]) -> list[type[Spec]]:
        return list(dict.fromkeys(self._tables[base].values()))

    def concepts(self) -> list[Concept]:
        """The concepts every registered class defines, in reading order."""
        if self._concepts[0] != self.version:  # every model page asks
            found = {
                c.key: c
                for base in BASES
                for cls in self.classes(base)
                for c in getattr(cls, "CONCEPTS", ())
            }
            self._concepts = (self.version, sorted(found.values(), key=lambda c: c.order))
        return list(self._concepts[1])


def kinds_of(cls: type[Spec]) -> tuple[str, ...]:
    """The values the ``kind`` field of ``cls`` allows (a ``Literal``)."""
    info = cls.model_fields.get("kind")
    values = typing.get_args(info.annotation) if info is not None else ()
    if not values or not all(isinstance(v, str) for v in values):
        raise TypeError(f"{cls.__name__} needs a field 'kind' typed as a Literal of names")
    return values


REGISTRY = Registry()
register = REGISTRY.register


class _Dispatch:
    """Validate a mapping by the class registered for its ``kind``; JSON Schema to match."""

    def __init__(self, base: type[Spec]) -> None:
        self.base = base

    def validate(self, value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        if isinstance(value, self.base):
            return value
        if not isinstance(value, dict):
            raise PydanticKnownError("model_attributes_type")
        kind = value.get("kind")
        if kind is None:
            raise PydanticKnownError("union_tag_not_found", {"discriminator": "'kind'"})
        table = REGISTRY._tables[self.base]
        cls = table.get(kind) if isinstance(kind, str) else None
        if cls is None:
            expected = ", ".join(repr(k) for k in table)
            context = {"discriminator": "'kind'", "tag": str(kind), "expected_tags": expected}
            raise PydanticKnownError("union_tag_invalid", context)
        # errors inside keep their locations (pydantic re-roots a nested ValidationError)
        return cls.model_validate(value)

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        choices: dict[Any, core_schema.CoreSchema] = {
            kind: cls.__pydantic_core_schema__ for kind, cls in REGISTRY._tables[self.base].items()
        }
        return handler(core_schema.tagged_union_schema(choices, discriminator="kind"))


def _field(base: type[Spec]) -> Any:
    dispatch = _Dispatch(base)
    validator: Callable[..., Any] = dispatch.validate
    return Annotated[SerializeAsAny[base], _WrapValidator(validator), dispatch]  # type: ignore[valid-type,misc]


#: schema field types: any registered mixer, feed-forward kind, position scheme, feature or
#: residual stream
if TYPE_CHECKING:
    MixerField = Mixer
    FeedForwardField = FeedForward
    PositionField = PositionScheme
    FeatureField = Feature
    ResidualField = ResidualStream
else:
    MixerField = _field(Mixer)
    FeedForwardField = _field(FeedForward)
    PositionField = _field(PositionScheme)
    FeatureField = _field(Feature)
    ResidualField = _field(ResidualStream)

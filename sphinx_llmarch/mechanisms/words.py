"""The words the diagrams and tables show, in the reader's language.  Pure.

The pure layers write English.  A word that a reader sees and that is ours (a box's
label, a panel's title, a note's wording) is a *message*: marked where it is written,
with :func:`N_` or as the label of a sketched box or the title of a sketch, so that the
Sphinx extension finds it when it writes its catalogue's template, and looked up where
it is drawn, through the :class:`Language` the extension passes down (English, the
default, looks nothing up).  A message with values in it names them
(``"%(count)s layers"``) and is filled in after it is translated.  Model names and
figures are data, never messages.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Self

Translate = Callable[[str], str]


def N_(text: str) -> str:  # noqa: N802 - the name gettext tools look for
    """Marks a message: it is looked up where it is drawn, not here."""
    return text


def _same(text: str) -> str:
    return text


def _english_plural(singular: str, several: str, n: int) -> str:
    return singular if n == 1 else several


class Phrase(str):
    """English words made from a message and its values, which remember both, so that a
    drawing in another language says them again in its own: ``Phrase(N_("%(count)s
    heads"), count=128)`` is ``'128 heads'`` wherever it is used as text.  A value that is
    itself a phrase is said in the drawing's language too."""

    message: str
    values: dict[str, object]

    def __new__(cls, message: str, **values: object) -> Self:
        phrase = super().__new__(cls, message % values if values else message)
        phrase.message, phrase.values = message, values
        return phrase

    def __getnewargs__(self) -> tuple[str]:
        return (str(self),)

    def __getstate__(self) -> dict[str, object]:
        return {"message": self.message, "values": self.values}


class Joined(str):
    """Words joined by a separator (``', '``, ``' or\\n'``), each said in a drawing's
    language where the drawing is not English."""

    parts: tuple[str, ...]
    separator: str

    def __new__(cls, separator: str, parts: Iterable[str]) -> Self:
        kept = tuple(parts)
        joined = super().__new__(cls, separator.join(kept))
        joined.parts, joined.separator = kept, separator
        return joined

    def __getnewargs__(self) -> tuple[str, tuple[str, ...]]:  # type: ignore[override]
        return ("", (str(self),))


@dataclass(frozen=True)
class Language:
    """The language of a drawing: its code (empty for English) and its translator."""

    code: str = ""
    translate: Translate = field(default=_same, compare=False)
    #: a message with a count, in the form the language uses for that count
    plural: Callable[[str, str, int], str] = field(default=_english_plural, compare=False)

    def __call__(self, message: str, **values: object) -> str:
        """``message`` in this language, its ``%(name)s`` values filled in: those that are
        words (a :class:`Phrase`, :class:`Joined` words) said in this language too, the
        others (numbers, names, facts) as they are."""
        if not self.code:
            return message % values if values else message
        said = {
            k: self.label(v) if isinstance(v, Phrase | Joined) else v for k, v in values.items()
        }
        text = self.translate(message)
        return text % said if said else text

    def ngettext(self, singular: str, several: str, n: int, **values: object) -> str:
        """A message with a count (``%(num)d``, given as ``n``), in its form for ``n``."""
        text = (
            self.plural(singular, several, n)
            if self.code
            else _english_plural(singular, several, n)
        )
        return text % {"num": n, **values}

    def label(self, text: str) -> str:
        """A label of one or more lines: looked up whole, else line by line (a
        :class:`Phrase` by its message and values, :class:`Joined` words one by one)."""
        if not self.code:
            return text
        if isinstance(text, Joined):  # a separator with words (' or ') is a message too
            return self.translate(text.separator).join(self.label(part) for part in text.parts)
        if isinstance(text, Phrase):
            return self(text.message, **text.values)
        whole = self.translate(text)
        if whole != text or "\n" not in text:
            return whole
        return "\n".join(self.translate(line) for line in text.split("\n"))


ENGLISH = Language()

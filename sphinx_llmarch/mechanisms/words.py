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

from collections.abc import Callable
from dataclasses import dataclass, field

Translate = Callable[[str], str]


def N_(text: str) -> str:  # noqa: N802 - the name gettext tools look for
    """Marks a message: it is looked up where it is drawn, not here."""
    return text


def _same(text: str) -> str:
    return text


@dataclass(frozen=True)
class Language:
    """The language of a drawing: its code (empty for English) and its translator."""

    code: str = ""
    translate: Translate = field(default=_same, compare=False)

    def __call__(self, message: str, **values: object) -> str:
        """``message`` in this language, its ``%(name)s`` values filled in."""
        text = self.translate(message) if self.code else message
        return text % values if values else text

    def label(self, text: str) -> str:
        """A label of one or more lines: looked up whole, else line by line."""
        if not self.code:
            return text
        whole = self.translate(text)
        if whole != text or "\n" not in text:
            return whole
        return "\n".join(self.translate(line) for line in text.split("\n"))


ENGLISH = Language()

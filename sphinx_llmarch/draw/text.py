"""How wide text is, and where to break it: one width model for every diagram.

Graphviz sizes boxes for its own font metrics, but the SVG is shown with the browser's
fonts, which run wider; every width here is estimated on the safe side from the number
of characters, the same way for box labels and for the notes beside and under them.
"""

from __future__ import annotations

from collections.abc import Sequence

#: average glyph advance as a share of the font size, on the safe side for browser fonts
CHAR_WIDTH = 0.62
#: Graphviz measures in inches, the composed figure in points
POINTS_PER_INCH = 72


def text_width(text: str, size: float) -> float:
    """Width in points of ``text`` at font size ``size``."""
    return len(text) * size * CHAR_WIDTH


def text_inches(lines: Sequence[str], size: float) -> float:
    """Width in inches of the longest of ``lines``."""
    return max(text_width(line, size) for line in lines) / POINTS_PER_INCH


#: signs that belong to the word after them ('+ 1 shared', '→ 1,024')
_LEADING_SIGNS = ("+", "→", "×", "=")


def _units(text: str) -> list[str]:
    """The words of ``text``, with what must stay on one line glued together: a number to
    the word before it ('head dim 128'), unless a comma or colon ends that word, and a sign
    to the word after it ('+ 1')."""
    units: list[str] = []
    sign = False
    for word in text.split(" "):
        number = word[:1].isdigit() and units and not units[-1].endswith((",", ":", ";"))
        if units and (sign or number):
            units[-1] += " " + word
        else:
            units.append(word)
        sign = word in _LEADING_SIGNS
    return units


def wrap(text: str, width: int, indent: str = "") -> list[str]:
    """``text`` broken at spaces into lines of at most ``width`` characters where possible;
    continuation lines start with ``indent``.

    A break never parts a number from its word or a sign from what follows it; the
    preferred place is after a comma, a colon or a semicolon, when that leaves at least half a line; and
    a last line of a single word takes the last word of the line before with it.
    """
    lines: list[list[str]] = []
    current: list[str] = []
    for unit in _units(text):
        if current and len(" ".join([*current, unit])) + (len(indent) if lines else 0) > width:
            commas = [i for i, u in enumerate(current) if u.endswith((",", ":", ";"))]
            cut = commas[-1] + 1 if commas else len(current)
            if len(" ".join(current[:cut])) < width // 2:
                cut = len(current)
            lines.append(current[:cut])
            current = current[cut:]
        current.append(unit)
    lines.append(current)
    if len(lines) > 1 and len(lines[-1]) == 1 and len(lines[-2]) > 2:
        lines[-1].insert(0, lines[-2].pop())
    return [(indent if i else "") + " ".join(line) for i, line in enumerate(lines)]

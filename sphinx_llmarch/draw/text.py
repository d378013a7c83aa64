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


def wrap(text: str, width: int, indent: str = "") -> list[str]:
    """``text`` broken at spaces into lines of at most ``width`` characters where possible;
    continuation lines start with ``indent``."""
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = indent + word
        else:
            current = f"{current} {word}" if current else word
    return [*lines, current]

"""The poster's key and colours: its title, the statement of its scale, the legend of
its colours, and its stylesheet for a fixed theme or for the page's.  Pure."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Literal

from ..mechanisms.words import ENGLISH, N_, Language
from .svg import element, number
from .theme import DARK, LIGHT, blend

Theme = Literal["light", "dark", "page"]
#: the themes of a poster file
FILE_THEMES: tuple[Theme, ...] = ("light", "dark")

#: one layer's height; a hidden dimension's width (so 1,000 dimensions are 20 units)
LAYER_HEIGHT = 6.0
UNITS_PER_DIMENSION = 0.02
#: the gap between two layers, inside their height
LAYER_GAP = 1.0
#: a band of layers' dash pattern: a layer's part, then the gap up to the next layer
DASHES = f"{number(LAYER_HEIGHT - LAYER_GAP)} {number(LAYER_GAP)}"
MARGIN = 60.0
LABEL_LINE = 15.0
FONT = "Noto Sans, DejaVu Sans, Verdana, Helvetica, Arial, sans-serif"

#: paint → (colour, colour mixed in, share of the second): the diagrams' palette
PAINTS: dict[str, tuple[str, str, float]] = {
    "attn": ("--llmarch-attn", "--llmarch-canvas", 0.0),
    "local": ("--llmarch-attn", "--llmarch-canvas", 0.55),
    "linear": ("--llmarch-linear", "--llmarch-ink", 0.18),
    "ssm": ("--llmarch-ssm", "--llmarch-ink", 0.18),
    "routed": ("--llmarch-moe", "--llmarch-ink", 0.08),
    "ffn": ("--llmarch-ffn", "--llmarch-ink", 0.22),
}
LEGEND = (
    ("attn", N_("Attention over the whole context")),
    ("local", N_("Local attention (sliding window or chunks)")),
    ("linear", N_("Linear attention (fixed state)")),
    ("ssm", N_("State-space or recurrent (fixed state)")),
    ("routed", N_("Mixture of experts")),
    ("ffn", N_("Dense feed-forward")),
)


#: the width of the legend's first column, and of a key's character (16px DejaVu Sans)
LEGEND_COLUMN, KEY_CHAR = 460.0, 0.58 * 16


def _legend(x: float, y: float, words: Language) -> list[ET.Element]:
    """The colours' key in two columns, the second clear of the first's longest words."""
    said = [(paint, words(text)) for paint, text in LEGEND]
    column = max([LEGEND_COLUMN] + [48 + 12 + len(text) * KEY_CHAR for _, text in said[:3]])
    parts = []
    for i, (paint, text) in enumerate(said):
        yy = y + (i % 3) * 26
        xx = x + (i // 3) * column
        box = {"x": xx, "y": yy, "width": 36.0, "height": 18.0}
        parts.append(element("rect", {"class": f"lp-{paint}", **box}))
        parts.append(element("text", {"x": xx + 48, "y": yy + 15, "class": "lp-key"}, text))
    return parts


def _scale(x: float, y: float, words: Language) -> list[ET.Element]:
    """A key of the scale: ten layers high, 1,000 hidden dimensions wide."""
    w, h = 1000 * UNITS_PER_DIMENSION, 10 * LAYER_HEIGHT
    key = {"x": x, "y": y, "width": w, "height": h}
    lines = [
        words(N_("10 layers high")),
        words(N_("1,000 hidden dimensions wide")),
        words(N_("first layer at the bottom; in each layer,")),
        words(N_("token mixer left, feed-forward right")),
    ]
    parts = [element("rect", {"class": "lp-local", **key})]
    parts += [
        element("text", {"x": x + w + 16, "y": y + 15 + i * 20, "class": "lp-key"}, t)
        for i, t in enumerate(lines)
    ]
    return parts


#: the poster's title, and its alternative text
TITLE = N_("Every model to scale")


def header(count: int, words: Language = ENGLISH) -> list[ET.Element]:
    """The poster's title, what its scale is, the key of its scale and its colours."""
    title = element("text", {"x": MARGIN, "y": MARGIN + 36, "class": "lp-title"})
    title.text = words(TITLE)
    scale = words(
        N_(
            "%(count)s models, each a stack of its layers. Height: number of layers "
            "(1 layer = %(layer)s units). Width: hidden size "
            "(1,000 dimensions = %(width)s units)."
        ),
        count=count,
        layer=number(LAYER_HEIGHT),
        width=number(1000 * UNITS_PER_DIMENSION),
    )
    sizes = words(
        N_(
            "Sizes are total parameters: the publisher's figure where one is stated "
            "(official), else computed from the model file (computed)."
        )
    )
    lines = [scale, sizes]
    parts = [title]
    parts += [
        element("text", {"x": MARGIN, "y": MARGIN + 72 + i * 24, "class": "lp-sub"}, t)
        for i, t in enumerate(lines)
    ]
    parts += _scale(MARGIN + 1560, MARGIN + 4, words)
    parts += _legend(MARGIN + 2020, MARGIN + 4, words)
    return parts


def css(theme: Theme) -> str:
    def colour(var: str) -> str:
        if theme == "page":
            return f"var({var})"
        return (DARK if theme == "dark" else LIGHT)[var]

    def paint(spec: tuple[str, str, float]) -> str:
        a, b, t = spec
        if not t:
            return colour(a)
        if theme == "page":
            return f"color-mix(in srgb, var({a}) {number(100 - 100 * t)}%, var({b}))"
        return blend(colour(a), colour(b), t)

    font = "" if theme == "page" else f"font-family: {FONT};"
    rules = [f".lp-{name} {{ fill: {paint(spec)}; }}" for name, spec in PAINTS.items()]
    # a band of layers is a dashed line (see ``poster.layer_cells``): a dash per layer
    rules += [f"line.lp-{name} {{ stroke: {paint(spec)}; }}" for name, spec in PAINTS.items()]
    rules.append(f".lp-layers {{ stroke-dasharray: {DASHES}; }}")
    rules += [
        f".lp-canvas {{ fill: {colour('--llmarch-canvas')}; }}",
        f".lp-outline {{ fill: none; stroke: {colour('--llmarch-line')}; stroke-width: 0.6; }}",
        f"text {{ fill: {colour('--llmarch-ink')}; {font} }}",
        ".lp-title { font-size: 44px; font-weight: bold; }",
        f".lp-sub {{ font-size: 18px; fill: {colour('--llmarch-muted')}; }}",
        ".lp-key { font-size: 16px; }",
        f".lp-rule {{ stroke: {colour('--llmarch-muted')}; stroke-width: 1; }}",
        ".lp-year { font-size: 22px; font-weight: bold; }",
        ".lp-name { font-size: 13px; font-weight: bold; }",
        f".lp-text {{ font-size: 11px; fill: {colour('--llmarch-muted')}; }}",
    ]
    # inline in a page, the rules would reach every SVG there: they are kept to the poster
    return "\n".join(f".llmarch-poster {rule}" for rule in rules)

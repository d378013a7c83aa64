"""A model's social card: the picture a shared link to its page shows (1200 × 630).

Its name, publisher and date, its size and make-up in words, and its stack of layers as
the poster draws it (same colours, height by layers), in the light theme with the
colours written in, so that resvg draws it as a PNG without CSS variables.  Pure.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from ..describe import fmt
from ..describe.labels import decoder_type
from ..model.figures import Figures
from ..model.loader import LoadedModel
from .poster import Entry, entry_of, layer_cells
from .posterkey import Theme, css
from .raster import png
from .svg import element, number

WIDTH, HEIGHT = 1200, 630
#: the text column, and the box the stack is fitted into (x0, y0, x1, y1)
TEXT_X, TEXT_WIDTH = 64.0, 640.0
STACK_BOX = (760.0, 60.0, 1140.0, 570.0)
#: the baseline of the key, and the height of a row of facts
KEY_Y, ROW = 577.0, 38.0
SITE = "LLM Architecture Gallery"
#: the small line over a site card's title, and the box its stacks are fitted into
SITE_SUB = "LLM architectures, to scale"
SITE_BOX = (700.0, 60.0, 1150.0, 570.0)
#: the gap between two stacks of a site card
ROW_GAP = 18.0
#: the key under the facts: each paint the stack uses, in a word or two
KEY = {
    "attn": "attention",
    "local": "local attention",
    "linear": "linear attention",
    "ssm": "state-space",
    "routed": "experts",
    "ffn": "dense FFN",
}


def card_lines(model: LoadedModel, figures: Figures) -> list[str]:
    """The facts under the name: publisher and date, size, make-up, cache and context."""
    spec, entry = model.spec, entry_of(model, figures)
    who = " · ".join(
        x for x in (spec.organisation, spec.release_date and str(spec.release_date)) if x
    )
    number, basis = entry.size.split(" ", 1)
    size = f"{number} parameters ({basis})"
    if figures.active_params != figures.total_params:
        size += f", {fmt.params(figures.active_params)} active (computed)"
    cache = f"KV cache {fmt.bytes_iec(figures.kv_cache_bytes_per_token)} per token"
    if figures.linear_state_bytes:
        cache += f" + {fmt.bytes_iec(figures.linear_state_bytes)} state"
    return [
        who,
        size,
        f"{decoder_type(spec.architecture, model.layers)}: {entry.mix}",
        f"{entry.layers} layers, width {spec.architecture.hidden_size:,}",
        f"{cache} · context {fmt.tokens(spec.context.native)}",
    ]


def _rows(lines: Sequence[str], room: int) -> list[str]:
    """The facts wrapped to the column; where that needs more rows than there is room
    for, each fact keeps one row, cut with an ellipsis."""
    wrapped = [_wrap(line, 44) for line in lines]
    if sum(len(w) for w in wrapped) <= room:
        return [row for w in wrapped for row in w]
    return [w[0] + (" …" if len(w) > 1 else "") for w in wrapped][:room]


def _wrap(text: str, chars: int) -> list[str]:
    """Lines of at most ``chars`` characters, broken between words."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= chars:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def card_svg(entry: Entry, lines: Sequence[str], theme: Theme = "light") -> str:
    """The card as SVG text; ``lines`` are the facts written under the name."""
    return _card(entry.name, SITE, lines, [entry], _fitted_stack(entry), theme)


def site_card_svg(title: str, lines: Sequence[str], entries: Sequence[Entry]) -> str:
    """The card of a site's other pages (articles, guides): its title, ``lines`` under it,
    and the stacks of ``entries`` side by side, all to one scale (no key: a picture of
    the site rather than of one model)."""
    return _card(title, SITE_SUB, lines, [], _fitted_row(entries), "light")


def _card(
    name: str,
    sub: str,
    lines: Sequence[str],
    keyed: Sequence[Entry],
    picture: ET.Element,
    theme: Theme,
) -> str:
    """A card: ``sub`` over ``name``, ``lines`` under it, a key of the paints of ``keyed``,
    and the ``picture`` on the right."""
    root = element(
        "svg",
        {
            "class": "llmarch-poster llmarch-card",
            "width": WIDTH,
            "height": HEIGHT,
            "viewBox": f"0 0 {WIDTH} {HEIGHT}",
        },
    )
    root.append(element("title", {}, f"{name} – {sub}"))
    root.append(element("style", {}, css(theme) + _own_css()))
    root.append(
        element("rect", {"class": "lp-canvas", "x": 0, "y": 0, "width": WIDTH, "height": HEIGHT})
    )
    y = 96.0
    root.append(element("text", {"class": "lp-sub", "x": TEXT_X, "y": y}, sub))
    for row in _wrap(name, 18)[:2]:
        y += 72
        root.append(element("text", {"class": "card-name", "x": TEXT_X, "y": y}, row))
    y += 24
    for row in _rows(lines, int((KEY_Y - 40 - y) // ROW)):
        y += ROW
        root.append(element("text", {"class": "card-text", "x": TEXT_X, "y": y}, row))
    root.extend(_key(keyed))
    root.append(picture)
    return ET.tostring(root, encoding="unicode", short_empty_elements=True) + "\n"


def _key(entries: Sequence[Entry]) -> list[ET.Element]:
    """A swatch and a word for each paint of the stacks, in one line along the bottom."""
    used = {p for e in entries for band in e.bands for p in (band.mixer, band.ffn) if p}
    parts: list[ET.Element] = []
    x = TEXT_X
    for paint, word in KEY.items():
        if paint in used:
            square: dict[str, str | float] = {"x": x, "y": KEY_Y - 19, "width": 22, "height": 22}
            parts.append(element("rect", {"class": f"lp-{paint}", **square}))
            at = {"x": number(x + 30), "y": number(KEY_Y)}
            parts.append(element("text", {"class": "card-key", **at}, word))
            x += 30 + len(word) * 12 + 28
    return parts


def _fitted_row(entries: Sequence[Entry]) -> ET.Element:
    """The stacks side by side, one scale for all, filling :data:`SITE_BOX`, on one floor."""
    x0, y0, x1, y1 = SITE_BOX
    gaps = ROW_GAP * max(len(entries) - 1, 0)
    wide = sum(e.width for e in entries) or 1.0
    tall = max((e.height for e in entries), default=1.0)
    scale = min((x1 - x0 - gaps) / wide, (y1 - y0) / tall)
    group = element("g", {"class": "card-row"})
    x = x0 + ((x1 - x0) - wide * scale - gaps) / 2
    for e in entries:
        place = f"translate({number(x)} {number(y1)}) scale({number(scale)})"
        stack = element("g", {"transform": place})
        stack.extend(layer_cells(e, 0.0, 0.0))
        group.append(stack)
        x += e.width * scale + ROW_GAP
    return group


def _fitted_stack(entry: Entry) -> ET.Element:
    """The stack, scaled to fill :data:`STACK_BOX` (both axes alike), standing on its floor."""
    x0, y0, x1, y1 = STACK_BOX
    scale = min((x1 - x0) / entry.width, (y1 - y0) / entry.height)
    left = x0 + ((x1 - x0) - entry.width * scale) / 2
    group = element(
        "g", {"transform": f"translate({number(left)} {number(y1)}) scale({number(scale)})"}
    )
    group.extend(layer_cells(entry, 0.0, 0.0))
    return group


def _own_css() -> str:
    return (
        "\n.llmarch-card .card-name { font-size: 60px; font-weight: bold; }"
        "\n.llmarch-card .card-text { font-size: 27px; }"
        "\n.llmarch-card .card-key { font-size: 22px; }"
        "\n.llmarch-card .lp-sub { font-size: 26px; }"
        "\n.llmarch-card .lp-outline { stroke-width: 0; }"
    )


def card_png(entry: Entry, lines: Sequence[str]) -> bytes:
    """The card as PNG bytes (raises ``RasterError`` without its font)."""
    return png(card_svg(entry, lines), WIDTH)

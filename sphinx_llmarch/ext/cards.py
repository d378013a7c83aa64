"""Social cards of model pages: the PNG a shared link shows, and the page's tags for it.

With ``llmarch_social_cards`` on, each model page's diagram node carries its card as SVG
text (made when the page is read, :mod:`..draw.card`); writing the page writes it beside
the diagram's image files (:func:`.nodes.write_card`).  The page's metadata names the PNG
as its ``og:image`` for an OpenGraph extension to publish.
"""

from __future__ import annotations

from typing import Any

from ..draw.card import HEIGHT, WIDTH, card_lines, card_svg
from ..draw.poster import entry_of
from ..model.figures import Figures
from ..model.loader import LoadedModel
from .nodes import card_name


def prepare_card(model: LoadedModel, figures: Figures, metadata: dict[str, Any]) -> str:
    """The card's SVG text; the page's metadata names its PNG for link previews."""
    lines = card_lines(model, figures)
    metadata["og:image"] = card_name(model.slug, ".png")
    metadata["og:image:alt"] = f"{model.spec.name}: {lines[2]}"
    metadata["og:image:width"] = str(WIDTH)
    metadata["og:image:height"] = str(HEIGHT)
    return card_svg(entry_of(model, figures), lines)

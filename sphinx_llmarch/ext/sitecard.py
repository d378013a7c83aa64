"""Site-wide pictures: the social card of the pages that are not model pages, and the
touch icon.

With ``llmarch_social_cards`` on, every page without a card of its own (articles,
guides, the landing page) names the site's card as its ``og:image``: the project's name
and the stacks of its newest models to one scale (:func:`..draw.card.site_card_svg`),
written once the build ends and drawn again only when it changed.  With
``llmarch_touch_icon`` on, the SVG favicon is drawn as a 180 × 180 PNG for phones' home
screens (``apple-touch-icon``), named in every page's ``<head>``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes

from ..draw.card import HEIGHT, SITE_SUB, WIDTH, site_card_svg
from ..draw.raster import RasterError, png
from .domain import domain_of
from .nodes import card_name, write_card
from .state import state_of
from .warnings import warn

if TYPE_CHECKING:
    from collections.abc import Callable

    from sphinx.application import Sphinx

#: the site card's name among the cards, and how many models it shows
SITE_CARD = "llmarch-site"
SHOWN = 5
#: the touch icon, in the output, and its size in pixels
TOUCH_ICON = "_static/apple-touch-icon.png"
TOUCH_SIZE = 180


def name_site_card(app: Sphinx, doctree: nodes.document) -> None:
    """A page without a card of its own shows the site's (``doctree-read``)."""
    if not app.config.llmarch_social_cards:
        return
    meta = app.env.metadata[app.env.docname]
    if "og:image" in meta:
        return
    meta["og:image"] = card_name(SITE_CARD, ".png")
    meta["og:image:alt"] = f"{app.config.project}: {SITE_SUB}"
    meta["og:image:width"] = str(WIDTH)
    meta["og:image:height"] = str(HEIGHT)


def site_card(app: Sphinx) -> str:
    """The site card's SVG: the project, its number of models, its newest models."""
    summaries = domain_of(app.env).summaries()
    newest = sorted(summaries, key=lambda s: (summaries[s]["release_date"], s))[-SHOWN:]
    entries = [summaries[slug]["poster"] for slug in newest]
    lines = [
        f"{len(summaries)} models from their official configurations",
        "Diagrams, facts, memory, comparisons",
    ]
    return site_card_svg(app.config.project, lines, entries)


def link_touch_icon(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: object
) -> None:
    """Name the touch icon in the page's ``<head>``."""
    if app.config.llmarch_touch_icon and "pathto" in context:
        # pathto: the 404 page's own makes the address absolute, to work at any depth
        pathto: Callable[[str, int], str] = context["pathto"]
        href = pathto(TOUCH_ICON, 1)
        context["metatags"] = context.get("metatags", "") + (
            f'<link rel="apple-touch-icon" sizes="{TOUCH_SIZE}x{TOUCH_SIZE}" href="{href}" />\n'
        )


def write_site_pictures(app: Sphinx, exception: Exception | None) -> None:
    """The site card and the touch icon, once every page is written."""
    if exception is not None or app.builder.format != "html" or app.builder.name == "epub":
        return
    outdir = Path(app.outdir)
    if app.config.llmarch_social_cards:
        write_card(outdir, SITE_CARD, site_card(app), None, state_of(app.env).pngs)
    if app.config.llmarch_touch_icon:
        _write_touch_icon(app, outdir / TOUCH_ICON)


def _write_touch_icon(app: Sphinx, path: Path) -> None:
    favicon = Path(app.confdir) / (app.config.html_favicon or "")
    if favicon.suffix != ".svg" or not favicon.is_file():
        warn("llmarch_touch_icon: html_favicon must name an SVG file", "config", None)
        return
    try:
        data = png(favicon.read_text(encoding="utf-8"), TOUCH_SIZE, background="white")
    except RasterError as exc:
        warn(f"cannot draw the touch icon: {exc}", "render", None)
        return
    if not path.is_file() or path.read_bytes() != data:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def setup_site_pictures(app: Sphinx) -> None:
    app.connect("doctree-read", name_site_card)
    app.connect("html-page-context", link_touch_icon)
    app.connect("build-finished", write_site_pictures)

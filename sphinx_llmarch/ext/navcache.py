"""One navigation tree for all model pages, instead of one per page.

Themes such as furo render the site's whole toctree into the sidebar of every page, and
resolving it costs the same on a model page as on any other: at a thousand models it was
the largest single cost of writing them.  A model page is in no toctree, so nothing in
its navigation is marked as current or expanded for it, and all model pages share one
folder, so the relative links are the same too: the tree is identical on every model
page and is computed once per build (per writer process) and reused.  The trees are kept with
the build's state, so a new build starts without them.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .state import state_of

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def _shared(
    trees: dict[tuple[str, tuple[tuple[str, Any], ...]], str],
    folder: str,
    render: Callable[..., str],
) -> Callable[..., str]:
    def toctree(**kwargs: Any) -> str:
        key = (folder, tuple(sorted(kwargs.items())))
        tree = trees.get(key)
        if tree is None:
            tree = trees[key] = render(**kwargs)
        return tree

    return toctree


def share_model_navigation(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Give model pages a memoised ``toctree()``; runs before the theme's own handler."""
    render = context.get("toctree")
    # model pages are the project's .yaml sources, and the parser marks them orphan
    if render is None or app.env.doc2path(pagename).suffix != ".yaml":
        return
    trees = state_of(app.env).navigation
    context["toctree"] = _shared(trees, posixpath.dirname(pagename), render)

"""The site search: concepts and models first for their names, prose summaries.

Sphinx's search lists a hit with a summary it cuts from the hit's page, which it downloads
for that (every page of the results, however large), and the words it finds first on a
model page are those of its tables.  Here the search shows instead a summary written at
build time: each page's first paragraph of prose (a model's own summary), each concept's
first paragraph, in one small file ``_static/llmarch-summaries.js`` that
``llmarch-search.js`` reads.  The scorer (``llmarch-scorer.js``) puts the concepts, which
the domain lists as objects, before other hits; a model page is found by the index
entries it has for its mechanisms' names (:func:`.modelpage.concept_index`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from docutils import nodes

from .domain import CONCEPT_TARGET

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

STATIC = Path(__file__).parent.parent / "static"
#: a script rather than JSON, so that a site opened from disk (file://) reads it too
SUMMARIES = "llmarch-summaries.js"
#: longest summary kept, in characters
LONGEST = 240


def use_our_search(app: Sphinx, config: Config) -> None:
    """``config-inited``: our scorer, unless the project names its own, and summaries from
    our file instead of from every hit's page."""
    if not config.html_search_scorer:
        config.html_search_scorer = str(STATIC / "llmarch-scorer.js")
    config.html_show_search_summary = False


def _prose(node: nodes.Element) -> str | None:
    """The text of the first paragraph directly in ``node`` (not in a table or a list)."""
    for child in node.children:
        if isinstance(child, nodes.paragraph):
            text = " ".join(child.astext().split())
            if text:
                return text if len(text) <= LONGEST else text[: LONGEST - 1].rstrip() + "…"
    return None


#: where the environment keeps each page's summaries between builds
_KEPT = "llmarch_search_summaries"


def page_summaries(doctree: nodes.document, docname: str) -> dict[str, str]:
    """The page's first paragraph (``docname``), and each concept section's
    (``docname#anchor``)."""
    out: dict[str, str] = {}
    for section in doctree.findall(nodes.section):
        text = _prose(section)
        if text and docname not in out:
            out[docname] = text
        concept = [i for i in section["ids"] if i.startswith(CONCEPT_TARGET)]
        if text and concept:
            out[f"{docname}#{concept[0]}"] = text
    return out


def _kept(env: BuildEnvironment) -> dict[str, dict[str, str]]:
    if not hasattr(env, _KEPT):
        setattr(env, _KEPT, {})
    kept: dict[str, dict[str, str]] = getattr(env, _KEPT)
    return kept


def note_summaries(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``: the page's summaries, kept in the environment, so that writing
    the file needs no page's doctree again (loading them all took seconds per build)."""
    _kept(app.env)[app.env.docname] = page_summaries(doctree, app.env.docname)


def forget_summaries(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    _kept(env).pop(docname, None)


def merge_summaries(
    app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment
) -> None:
    """``env-merge-info``: the summaries of the pages a parallel reader read."""
    theirs = _kept(other)
    _kept(env).update({d: theirs[d] for d in docnames if d in theirs})


def summaries(app: Sphinx) -> dict[str, str]:
    """docname → its first paragraph; 'docname#anchor' → a concept section's."""
    kept = _kept(app.env)
    out: dict[str, str] = {}
    for docname in sorted(app.env.found_docs & kept.keys()):
        out.update(kept[docname])
    return out


def write_summaries(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: the summaries file, for HTML builds with a search page; left
    alone when its text is the same."""
    if exception or app.builder.format != "html" or not getattr(app.builder, "search", False):
        return
    static = Path(app.outdir) / "_static"
    static.mkdir(parents=True, exist_ok=True)
    text = json.dumps(summaries(app), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    path, script = static / SUMMARIES, f"window.llmarchSummaries = {text};\n"
    if not path.is_file() or path.read_text(encoding="utf-8") != script:
        path.write_text(script, encoding="utf-8")


def forget_index_entries(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    """``env-purge-doc``: drop the page's index entries from those the search index keeps
    between builds.  Sphinx 9 keeps them in the environment and never prunes them, so a
    removed page that had any (every model page has) stops the next build with a KeyError;
    a page read again gets them anew when it is written."""
    kept = getattr(env, "_search_index_index_entries", None)
    if isinstance(kept, dict):
        kept.pop(docname, None)


def setup_search(app: Sphinx) -> None:
    app.connect("config-inited", use_our_search)
    app.connect("env-purge-doc", forget_index_entries)
    app.connect("doctree-read", note_summaries)
    app.connect("env-purge-doc", forget_summaries)
    app.connect("env-merge-info", merge_summaries)
    app.connect("build-finished", write_summaries)

"""Typographic quotes, dashes and dots on model pages, only where a paragraph needs them.

Sphinx's SmartQuotes transform passes every text of a page through a dozen regular
expressions.  A model page is mostly generated values, which hold no quote, no ``--`` and
no ``...``: the transform took a sixth of the time to read one.  Here the page's paragraphs
whose text holds one of those marks are educated as the transform would (docutils'
``educate_tokens`` with the project's ``smartquotes_action``, text in literals left alone),
and the transform is told to skip the page.
"""

from __future__ import annotations

import re

from docutils import nodes
from docutils.utils import smartquotes
from sphinx.transforms import SphinxSmartQuotes
from sphinx.util.nodes import is_smartquotable

#: what SmartQuotes can change: quotes, backticks, double hyphens, three dots
MARKS = re.compile(r"['\"`]|--|\.\.\.")


def smartquotes_on(document: nodes.document) -> bool:
    """Whether the project's settings and the builder make ``document``'s quotes typographic."""
    return SphinxSmartQuotes(document, startnode=None).is_available()


def educate_page(document: nodes.document) -> None:
    """Educate the paragraphs of ``document`` that need it, then switch the Sphinx
    transform off for it (as the project's settings would have it run, or not)."""
    if smartquotes_on(document):
        action = document.settings.env.config.smartquotes_action
        language = document.settings.language_code
        for block in list(document.findall(nodes.TextElement)):
            if _is_block(block) and MARKS.search(block.astext()):
                _educate(block, action, block.get_language_code(language))
    skip_smartquotes(document)


def skip_smartquotes(document: nodes.document) -> None:
    """Sphinx's transform leaves ``document`` alone (it is educated already)."""
    document.settings.smart_quotes = False


def _is_block(node: nodes.TextElement) -> bool:
    """A paragraph-like element: not inside another, not preformatted or special."""
    return not isinstance(node, nodes.FixedTextElement | nodes.Special) and not isinstance(
        node.parent, nodes.TextElement
    )


def _educate(block: nodes.TextElement, action: str, language: str) -> None:
    texts = list(block.findall(nodes.Text))
    tokens = [("plain" if is_smartquotable(t) else "literal", str(t)) for t in texts]
    for text, new in zip(texts, smartquotes.educate_tokens(tokens, action, language), strict=True):
        if new != str(text):
            text.parent.replace(text, nodes.Text(new))

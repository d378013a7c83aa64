"""The poster's files (SVG and PNG in both themes), begun as soon as a build knows that it
writes a page showing the poster.

After an edit that changes the poster, its PNGs keep a worker process busy for about a
second per theme (a strip drawn again, the picture put together, see
:mod:`..draw.posterpng`), and the worker itself takes half a second to start.  Begun once
reading is over (the models no longer change in the build), they are drawn while Sphinx
writes the pages, on the core the writing leaves free, instead of after the last page.
A page showing the poster that only the writing finds to rewrite (one Sphinx adds for its
table of contents, say) still has the files written at the end of the build, and so does
a build that writes in parallel: Sphinx forks its writers, and a process forked while the
pool's threads run could inherit a lock one of them held.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from sphinx.application import Sphinx

from .domain import domain_of
from .export import write_poster
from .i18n import words_of
from .scope import poster_entries, scoped_summaries
from .state import state_of
from .warnings import warn


def begin(app: Sphinx, written: Iterable[str]) -> None:
    """When reading is over: the files, if a page of ``written`` (the pages the build is
    known to write) shows the poster."""
    aggregates = domain_of(app.env).aggregates
    showing = {doc for doc, shown in aggregates.items() if any(k == "poster" for k, _ in shown)}
    if app.builder.format == "html" and app.parallel <= 1 and showing & set(written):
        _write(app)


def finish(app: Sphinx) -> None:
    """``build-finished``: the files, if the build wrote a page showing the poster and had
    not begun them."""
    state = state_of(app.env)
    if state.poster and not state.poster_begun:
        _write(app)


def _write(app: Sphinx) -> None:
    state = state_of(app.env)
    state.poster_begun = True
    entries = poster_entries(scoped_summaries(app.env))
    cache, words = state.renderer.cache.directory, words_of(app.config)
    memo = state.page_cache.kept_text if state.page_cache else None
    failure = write_poster(Path(app.outdir), entries, state.pngs, cache, words, memo)
    if failure is not None:
        warn(f"cannot draw the poster's PNG: {failure}", "render", None)

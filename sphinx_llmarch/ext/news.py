"""What is new: the changelog of the models, the landing page's "last updated" line, the
Atom feed.

The history comes from git (:mod:`..model.history`), read once per build.  The two
directives leave placeholders filled once every page has been read, from the history and
the models' titles; their pages are rewritten when either changes.  With ``llmarch_feed``
on, the HTML output also gets an Atom feed of the same changes (:mod:`.feed`), named in
the ``<head>`` of the pages that show them and of the landing page.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from docutils import nodes
from sphinx.util.docutils import SphinxDirective
from sphinx.util.osutil import relative_uri

from ..model.history import Change, History, read_history
from . import aggregates
from .domain import LlmarchDomain, domain_of
from .feed import FEED, Site, write_feed
from .warnings import warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

#: the placeholders' kinds
CHANGELOG, LAST_UPDATED = "changelog", "last-updated"
_HISTORY: WeakKeyDictionary[Sphinx, History] = WeakKeyDictionary()


class ChangelogDirective(SphinxDirective):
    """``.. llmarch-changelog::`` — the models added and changed, by day, newest first."""

    def run(self) -> list[nodes.Node]:
        return aggregates.aggregate_node(self, CHANGELOG)


class LastUpdatedDirective(SphinxDirective):
    """``.. llmarch-last-updated::`` — "Last updated <date> — what changed", linking to the
    page that holds ``llmarch-changelog``."""

    def run(self) -> list[nodes.Node]:
        return aggregates.aggregate_node(self, LAST_UPDATED)


def history_of(app: Sphinx) -> History:
    """The models' history, read once per build (see :func:`forget_history`)."""
    if app not in _HISTORY:
        _HISTORY[app] = read_history(Path(app.config.llmarch_models_dir))
    return _HISTORY[app]


def forget_history(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """At the start of each build (``env-get-outdated``): read the history afresh, as an
    application that builds again (a live server) may see new commits."""
    _HISTORY.pop(app, None)
    return []


def changelog_page(domain: LlmarchDomain) -> str | None:
    """The page that holds the changelog, if any."""
    found = (d for d, shown in sorted(domain.aggregates.items()) if (CHANGELOG, "") in shown)
    return next(found, None)


def news_pages(env: BuildEnvironment) -> list[str]:
    """The pages that show the history."""
    domain = domain_of(env)
    return sorted(
        d
        for d, shown in domain.aggregates.items()
        if any(k in (CHANGELOG, LAST_UPDATED) for k, _ in shown)
    )


# --------------------------------------------------------------------------- filling


def _fill_changelog(p: aggregates.Page, node: nodes.Element, arg: str) -> list[nodes.Node]:
    history = history_of(p.app)
    if history.missing:
        text = f"The models' changes cannot be listed here: {history.missing}."
        return [nodes.paragraph("", text, classes=["llmarch-empty"])]
    days: dict[str, list[Change]] = {}
    for change in history.changes:
        days.setdefault(change.day, []).append(change)
    out: list[nodes.Node] = []
    for day, changes in days.items():
        section = nodes.section(ids=[f"changes-{day}"], classes=["llmarch-changes"])
        section += nodes.title("", day)
        items = nodes.bullet_list()
        for change in changes:
            items += _item(p, change)
        section += items
        out.append(section)
    return out


def _item(p: aggregates.Page, change: Change) -> nodes.list_item:
    """One commit: the models it added and changed, linked, and its subject."""
    what = nodes.paragraph()
    for label, slugs in (("Added", change.added), ("Facts changed", change.changed)):
        if not slugs:
            continue
        if len(what):
            what += nodes.Text("; ")
        what += nodes.strong("", label + ": ")
        for i, slug in enumerate(slugs):
            if i:
                what += nodes.Text(", ")
            page = p.domain.pages.get(slug)
            what += p.link(page[2], page[0]) if page else nodes.Text(slug)
    why = nodes.paragraph("", change.subject, classes=["llmarch-change-subject"])
    return nodes.list_item("", what, why, ids=[f"change-{change.commit[:12]}"])


def _fill_last_updated(p: aggregates.Page, node: nodes.Element, arg: str) -> list[nodes.Node]:
    updated = history_of(p.app).updated
    target = changelog_page(p.domain)
    para = nodes.paragraph(classes=["llmarch-last-updated"])
    if updated:
        para += nodes.Text(f"Last updated {updated[:10]} — ")
    words = "what changed" if updated else "What changed"
    para += p.link(words, target) if target else nodes.Text(words)
    return [para]


# --------------------------------------------------------------------------- events


def changed_news_pages(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """The pages that show the history, when it changed since they were last written."""
    domain = domain_of(env)
    digest = history_of(app).digest()
    if domain.snapshot.get("history") == digest:
        return []
    domain.snapshot["history"] = digest
    return [d for d in news_pages(env) if d in env.found_docs]


def link_feed(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, object], doctree: object
) -> None:
    """Name the feed in the ``<head>`` of the landing page and the pages showing news."""
    if not _feed_on(app) or "metatags" not in context:
        return
    if pagename != app.config.root_doc and pagename not in news_pages(app.env):
        return
    href = relative_uri(app.builder.get_target_uri(pagename), FEED)
    title = html.escape(_feed_title(app))
    context["metatags"] = (
        f"{context['metatags']}"
        f'<link rel="alternate" type="application/atom+xml" title="{title}" href="{href}" />\n'
    )


def _feed_title(app: Sphinx) -> str:
    return f"{app.config.project}: what changed"


def _feed_on(app: Sphinx) -> bool:
    return bool(
        app.config.llmarch_feed
        and app.builder.format == "html"
        and app.builder.name != "epub"
        and app.config.html_baseurl
        and not history_of(app).missing
    )


def finish(app: Sphinx, exception: Exception | None) -> None:
    """Write the feed, once every page is written."""
    if exception is not None or not _feed_on(app):
        if exception is None and app.config.llmarch_feed and not app.config.html_baseurl:
            warn(
                "llmarch_feed needs html_baseurl, the site's address: no feed written",
                "config",
                None,
            )
        return
    domain = domain_of(app.env)
    pages = {slug: (app.builder.get_target_uri(p[0]), p[2]) for slug, p in domain.pages.items()}
    changelog = changelog_page(domain)
    address = app.builder.get_target_uri(changelog) if changelog else ""
    site = Site(app.config.html_baseurl, _feed_title(app), app.config.author, address)
    write_feed(Path(app.outdir), history_of(app), pages, site)


def setup_news(app: Sphinx) -> None:
    aggregates.add_kind(CHANGELOG, _fill_changelog)
    aggregates.add_kind(LAST_UPDATED, _fill_last_updated)
    app.add_directive("llmarch-changelog", ChangelogDirective)
    app.add_directive("llmarch-last-updated", LastUpdatedDirective)
    app.connect("env-get-outdated", forget_history)
    app.connect("env-get-updated", changed_news_pages)
    app.connect("html-page-context", link_feed)
    app.connect("build-finished", finish)

"""The Atom feed of the models' changes: one entry per commit that added or changed model
files, newest first, each linking to the model pages by their absolute addresses.

Made with ``feedgen``; every date comes from the history, so the same history gives the
same bytes.  Written only when its bytes change.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..model.history import Change, History

#: the feed's file, at the root of the HTML output
FEED = "changelog.atom"
#: how many changes the feed holds, the newest
ENTRIES = 50


def entry_title(change: Change, titles: Mapping[str, str]) -> str:
    """'Added X, Y; facts changed: Z'."""
    parts = []
    if change.added:
        parts.append("Added " + ", ".join(titles.get(s, s) for s in change.added))
    if change.changed:
        parts.append("facts changed: " + ", ".join(titles.get(s, s) for s in change.changed))
    text = "; ".join(parts)
    return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class Site:
    """What the feed says of the site: its address, its feed's title, its author, and
    the changelog page's address (under ``base``)."""

    base: str
    title: str
    author: str
    changelog: str


def feed_xml(history: History, pages: Mapping[str, tuple[str, str]], site: Site) -> bytes:
    """The feed as bytes; ``pages`` gives each model's address (under the site's) and
    title."""
    from feedgen.feed import FeedGenerator

    base = site.base.rstrip("/") + "/"
    titles = {slug: page[1] for slug, page in pages.items()}
    home = base + site.changelog
    gen = FeedGenerator()
    gen.id(home)
    gen.title(site.title)
    gen.author({"name": site.author})
    gen.link(href=home, rel="alternate", type="text/html")
    gen.link(href=base + FEED, rel="self", type="application/atom+xml")
    gen.updated(datetime.fromisoformat(history.updated or "1970-01-01T00:00:00+00:00"))
    for change in history.changes[:ENTRIES]:
        links = {slug: base + pages[slug][0] for slug in change.slugs if slug in pages}
        entry = gen.add_entry(order="append")
        entry.id(f"{home}#change-{change.commit[:12]}")
        entry.title(entry_title(change, titles))
        entry.updated(datetime.fromisoformat(change.date))
        entry.published(datetime.fromisoformat(change.date))
        for url in list(links.values())[:1]:
            entry.link(href=url, rel="alternate", type="text/html")
        entry.content(_content(change, links, titles), type="html")
    data: bytes = gen.atom_str(pretty=True)
    return data


def _content(change: Change, links: Mapping[str, str], titles: Mapping[str, str]) -> str:
    """The entry's text: each model linked, what it is, and the commit's subject."""
    rows = []
    for slug in change.slugs:
        what = "added" if slug in change.added else "facts changed"
        name = html.escape(titles.get(slug, slug))
        if slug in links:
            name = f'<a href="{html.escape(links[slug])}">{name}</a>'
        rows.append(f"<li>{name}: {what}</li>")
    return f"<p>{html.escape(change.subject)}</p><ul>{''.join(rows)}</ul>"


def write_feed(
    outdir: Path, history: History, pages: Mapping[str, tuple[str, str]], site: Site
) -> Path:
    """Write the feed into ``outdir`` (unless it is already there as it would be)."""
    path = outdir / FEED
    data = feed_xml(history, pages, site)
    if not path.is_file() or path.read_bytes() != data:
        path.write_bytes(data)
    return path

"""Every internal link and anchor of the built site resolves; every source URL is well-formed."""

from __future__ import annotations

import re
import runpy
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml

from .conftest import MODELS, REPO

_EXTERNAL = ("http", "https", "mailto", "javascript", "data")


class _Page(HTMLParser):
    """The link targets and the anchors of one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (tag == "a" and name == "name"):
                self.ids.add(value)
            elif (name == "href" and tag in ("a", "link", "area")) or (
                name == "src" and tag in ("img", "script")
            ):
                self.links.append(value)


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def broken_links(site: Path, prefix: str = "/") -> list[str]:
    """Links that lead nowhere; absolute ones (the 404 page's, which must work at any
    depth) are read under the site's path ``prefix``."""
    pages = {p: _parse(p) for p in site.rglob("*.html") if "_sources" not in p.parts}
    broken: list[str] = []
    for path, page in pages.items():
        for link in page.links:
            parts = urlsplit(link)
            if parts.scheme in _EXTERNAL or parts.netloc:
                continue
            if parts.path.startswith("/"):
                inside = parts.path.startswith(prefix)
                local = site / unquote(parts.path.removeprefix(prefix)) if inside else Path("/-")
            else:
                local = path.parent / unquote(parts.path)
            target = local.resolve() if parts.path else path
            if target.is_dir():
                target = target / "index.html"
            where = f"{path.relative_to(site)}: {link}"
            if not target.is_file():
                broken.append(where)
            elif parts.fragment and target.suffix == ".html":
                other = pages.get(target) or _parse(target)
                if unquote(parts.fragment) not in other.ids:
                    broken.append(where)
    return broken


def test_the_link_walker_finds_broken_links(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text(
        '<p id="here"><a href="#here">ok</a> <a href="b.html#there">ok</a> '
        '<a href="missing.html">no</a> <a href="b.html#nowhere">no</a> '
        '<a href="https://example.org/x">external</a></p>',
        encoding="utf-8",
    )
    (tmp_path / "b.html").write_text('<h1 id="there">B</h1>', encoding="utf-8")
    assert broken_links(tmp_path) == ["a.html: missing.html", "a.html: b.html#nowhere"]


def test_every_internal_link_of_the_site_resolves(site: Path) -> None:
    prefix = urlsplit(runpy.run_path(str(REPO / "conf.py"))["html_baseurl"]).path
    assert broken_links(site, prefix) == []


def _urls(value: object, path: str = "") -> list[tuple[str, str]]:
    if isinstance(value, dict):
        return [u for k, v in value.items() for u in _urls(v, f"{path}.{k}".lstrip("."))]
    if isinstance(value, list):
        return [u for i, v in enumerate(value) for u in _urls(v, f"{path}.{i}")]
    if isinstance(value, str) and re.match(r"^[a-z]+://", value):
        return [(path, value)]
    return []


@pytest.mark.parametrize("path", sorted(MODELS.glob("*.yaml")), ids=lambda p: p.stem)
def test_source_urls_are_well_formed(path: Path) -> None:
    urls = _urls(yaml.safe_load(path.read_text(encoding="utf-8")))
    assert urls, "a model file cites at least one source"
    for field, url in urls:
        parts = urlsplit(url)
        assert parts.scheme == "https", f"{field}: {url}"
        assert "." in parts.netloc and " " not in url, f"{field}: {url}"

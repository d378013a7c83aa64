"""Every diagram's download links and files: the standalone SVG in each theme (the PNG is
made by the reader's browser, so the HTML build writes none); links relative to the page at
any depth; nothing of it for builders other than HTML."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from .conftest import warning_lines

#: a page two folders down that shows a model's diagram
DEEP = "notes/deeper/page"


class Tools(HTMLParser):
    """The links of every diagram toolbar in a page: (toolbar label, link text, href)."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str, str]] = []
        self.label: str | None = None
        self.depth = 0
        self.href: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "div" and "llmarch-tools" in (found.get("class") or "").split():
            self.label, self.depth = found.get("aria-label") or "", 1
        elif tag == "div" and self.label is not None:
            self.depth += 1
        elif tag == "a" and self.label is not None:
            assert "download" in found, found
            self.href = found.get("href")

    def handle_endtag(self, tag: str) -> None:
        if tag == "div" and self.label is not None:
            self.depth -= 1
            if self.depth == 0:
                self.label = None

    def handle_data(self, data: str) -> None:
        if self.href is not None and self.label is not None:
            self.links.append((self.label, data, self.href))
            self.href = None


def toolbar_links(page: Path) -> list[tuple[str, str, str]]:
    parser = Tools()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.links


@pytest.fixture
def project(rootdir: Path, tmp_path: Path) -> Path:
    """The gallery project, with a page two folders down that shows a model."""
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-gallery", src)
    deep = src / f"{DEEP}.md"
    deep.parent.mkdir(parents=True)
    deep.write_text("---\norphan: true\n---\n# Deep\n\n```{llmarch} tiny-mla\n```\n")
    return src


def build(make_app, src: Path, out: Path, builder: str = "html"):
    app = make_app(builder, srcdir=src, builddir=out, freshenv=True)
    app.build()
    assert warning_lines(app) == []
    return app


def test_every_diagram_links_its_svgs_relative_to_its_page(make_app, project, tmp_path):
    out = Path(build(make_app, project, tmp_path / "b").outdir)
    expected = {
        "models/tiny-mla.html": "../_images/llmarch/tiny-mla-full-",
        f"{DEEP}.html": "../../_images/llmarch/tiny-mla-full-",
        "compare.html": "_images/llmarch/tiny-gqa-full-",
    }
    for page, prefix in expected.items():
        links = toolbar_links(out / page)
        assert [f"{prefix}light.svg", f"{prefix}dark.svg"] == [href for _, _, href in links[:2]]
        assert [text for _, text, _ in links[:2]] == ["SVG", "SVG"]
        assert links[0][0].startswith("Diagram of Tiny")
    # every link of every page reaches a file that is what its name says
    checked = 0
    for page in sorted(out.rglob("*.html")):
        for _, text, href in toolbar_links(page):
            assert text == "SVG"
            data = (page.parent / href).resolve().read_bytes()
            assert data.startswith(b"<?xml") and b"<svg" in data[:200], href
            checked += 1
    assert checked >= 10


def test_the_html_build_draws_no_png_of_a_diagram(make_app, project, tmp_path):
    out = Path(build(make_app, project, tmp_path / "b").outdir)
    assert sorted(p.name for p in (out / "_images" / "llmarch").glob("tiny-*-full-*")) == [
        f"tiny-{m}-full-{theme}.svg" for m in ("gqa", "mla") for theme in ("dark", "light")
    ]
    # the only PNGs are the social cards (none here) and none is a diagram's
    assert [p.name for p in out.rglob("*.png") if "-full" in p.name or "-thumb" in p.name] == []
    script = re.search(r"<script[^>]*llmarch-viewer\.js[^>]*>", (out / "compare.html").read_text())
    assert script is not None and "data-png" not in script.group(0)


@pytest.mark.parametrize("builder", ["text", "singlehtml"])
def test_other_builders_get_the_files_only_where_they_are_html(
    make_app, project, tmp_path, builder
):
    out = Path(build(make_app, project, tmp_path / "b", builder).outdir)
    text = "\n".join(
        p.read_text(encoding="utf-8")
        for p in out.rglob("*.*")
        if p.is_file() and p.suffix in (".txt", ".html")
    )
    if builder == "text":
        assert "llmarch-tools" not in text and "[Diagram:" in text
        assert not (out / "_images").exists()
    else:  # one page at the root: its links point into the site from there
        assert 'href="_images/llmarch/tiny-mla-full-light.svg"' in text

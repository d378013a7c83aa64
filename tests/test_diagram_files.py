"""Every diagram's download links and files: the standalone SVG in each theme and, with
``llmarch_diagram_png``, a PNG drawn at build time; links relative to the page at any
depth; files written only when they change; nothing of it for builders other than HTML."""

from __future__ import annotations

import re
import shutil
import struct
from html.parser import HTMLParser
from pathlib import Path

import pytest

from sphinx_llmarch.draw import diagrampng
from sphinx_llmarch.ext.diagramfiles import png_name
from sphinx_llmarch.ext.export import remove_model_outputs

from .conftest import warning_lines
from .test_incremental import touch_later

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
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


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_SIGNATURE
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.fixture
def project(rootdir: Path, tmp_path: Path) -> Path:
    """The gallery project, with a page two folders down that shows a model."""
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-gallery", src)
    deep = src / f"{DEEP}.md"
    deep.parent.mkdir(parents=True)
    deep.write_text("---\norphan: true\n---\n# Deep\n\n```{llmarch} tiny-mla\n```\n")
    return src


def build(make_app, src: Path, out: Path, builder: str = "html", png: bool = True):
    app = make_app(
        builder, srcdir=src, builddir=out, freshenv=True, confoverrides={"llmarch_diagram_png": png}
    )
    app.build()
    assert warning_lines(app) == []
    return app


def test_every_diagram_links_its_svg_and_png_relative_to_its_page(make_app, project, tmp_path):
    out = Path(build(make_app, project, tmp_path / "b").outdir)
    expected = {
        "models/tiny-mla.html": "../_images/llmarch/tiny-mla-full-",
        f"{DEEP}.html": "../../_images/llmarch/tiny-mla-full-",
        "compare.html": "_images/llmarch/tiny-gqa-full-",
    }
    for page, prefix in expected.items():
        links = toolbar_links(out / page)
        hrefs = [href for _, _, href in links]
        assert [f"{prefix}light.svg", f"{prefix}dark.svg", f"{prefix}light.png"] == hrefs[:3]
        assert [text for _, text, _ in links[:3]] == ["SVG", "SVG", "PNG"]
        assert links[0][0].startswith("Diagram of Tiny")
    # every link of every page reaches a file that is what its name says
    pages = sorted(out.rglob("*.html"))
    checked = 0
    for page in pages:
        for _, text, href in toolbar_links(page):
            target = (page.parent / href).resolve()
            data = target.read_bytes()
            if text == "PNG":
                width, height = png_size(data)
                assert 800 < width < 1600 and height > 800, (target, width, height)
            else:
                assert data.startswith(b"<?xml") and b"<svg" in data[:200], target
            checked += 1
    assert checked >= 12


def test_without_the_option_there_is_no_png_and_no_png_link(make_app, project, tmp_path):
    out = Path(build(make_app, project, tmp_path / "b", png=False).outdir)
    links = toolbar_links(out / "models" / "tiny-gqa.html")
    assert [text for _, text, _ in links] == ["SVG", "SVG"]
    assert not list(out.rglob("*-full-light.png"))
    script = re.search(r"<script[^>]*llmarch-viewer\.js[^>]*>", (out / "compare.html").read_text())
    assert script is not None and 'data-png="0"' in script.group(0)


@pytest.mark.parametrize("builder", ["text", "singlehtml"])
def test_other_builders_get_the_files_only_where_they_are_html(
    make_app, project, tmp_path, builder
):
    out = Path(build(make_app, project, tmp_path / "b", builder, png=False).outdir)
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


def test_a_png_is_drawn_again_only_when_its_diagram_changed(make_app, project, tmp_path):
    app = build(make_app, project, tmp_path / "b")
    out = Path(app.outdir)
    gqa, mla = (out / png_name(slug, "full") for slug in ("tiny-gqa", "tiny-mla"))
    before = {p: p.stat().st_mtime_ns for p in (gqa, mla)}
    app.build(force_all=True)  # every page written again, no diagram changed
    assert {p: p.stat().st_mtime_ns for p in (gqa, mla)} == before
    model = project / "models" / "tiny-gqa.yaml"
    text = model.read_text(encoding="utf-8")
    assert "vocab_size: 1000\n" in text  # the diagram names the vocabulary
    touch_later(model, text.replace("vocab_size: 1000\n", "vocab_size: 1024\n"))
    app.build()
    assert warning_lines(app) == []
    assert gqa.stat().st_mtime_ns != before[gqa]
    assert mla.stat().st_mtime_ns == before[mla]


def test_a_removed_model_takes_its_png_with_it(tmp_path: Path) -> None:
    path = tmp_path / png_name("gone", "full")
    path.parent.mkdir(parents=True)
    path.write_bytes(PNG_SIGNATURE)
    remove_model_outputs(tmp_path, "models/gone", "gone")
    assert not path.exists()


def test_the_raster_stylesheet_names_every_colour() -> None:
    for theme in ("light", "dark"):
        css = diagrampng.resolved_css(theme, 3)
        assert "var(" not in css
        palette = diagrampng.palette(theme, 3)
        assert palette["--llmarch-accent"] in css and palette["--llmarch-ink"] in css
    assert "DejaVu Sans" in diagrampng.resolved_css("light", 0)


def test_the_png_is_one_and_a_half_times_the_diagram_and_never_huge() -> None:
    assert diagrampng.png_width('<svg xmlns="x" width="800.4" height="10">') == 1201
    assert diagrampng.png_width('<svg width="9000" height="10">') == diagrampng.MAX_WIDTH

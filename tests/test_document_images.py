"""Diagrams as pictures in documents: LaTeX, EPUB and Texinfo show each diagram as a PNG
drawn at build time (its description as the alternative text, a directive's caption as
the figure's caption), copied into the output by Sphinx; two builds in a row, serial or
parallel, give no warning; an unchanged diagram is not drawn again, a changed one replaces
its old drawing; text builders keep the description."""

from __future__ import annotations

import re
import shutil
import struct
import zipfile
from pathlib import Path

import pytest

from sphinx_llmarch.draw import diagrampng, raster
from sphinx_llmarch.ext.docimages import FOLDER

from .conftest import warning_lines
from .test_fonts import png_pixels
from .test_incremental import touch_later

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: EPUB3 wants these of any book
BOOK = {"copyright": "2026, the tests", "author": "the tests", "version": "1"}
CAPTION = "Sparse experts, *latent* attention."
#: a diagram's picture as its output names it
#: the pictures of the test project: Tiny MLA's own diagram (a page shows it with a
#: caption) and both models as the comparison draws them (marks, panels in rows)
PICTURES = {"tiny-mla-full", "tiny-gqa-full-compared", "tiny-mla-full-compared"}
PICTURE = re.compile(r"(tiny-(?:gqa|mla)-full(?:-compared)?)-[0-9a-f]{16}\.png")


@pytest.fixture
def project(rootdir: Path, tmp_path: Path) -> Path:
    """The gallery project, with a page in its table of contents that shows one model with
    a caption."""
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-gallery", src)
    (src / "figure.md").write_text(
        f"# Figure\n\n```{{llmarch}} tiny-mla\n:show: diagram\n:caption: {CAPTION}\n```\n"
    )
    index = src / "index.md"
    index.write_text(index.read_text().replace("memory\n```", "memory\nfigure\n```"))
    return src


def build_twice(make_app, src: Path, out: Path, builder: str, parallel: int = 0):
    """Build, then build again in the same folders; both without a warning."""
    first = make_app(
        builder, srcdir=src, builddir=out, freshenv=True, confoverrides=BOOK, parallel=parallel
    )
    first.build()
    assert warning_lines(first) == []
    first.cleanup()
    app = make_app(builder, srcdir=src, builddir=out, confoverrides=BOOK, parallel=parallel)
    app.build()
    assert warning_lines(app) == []
    return app


def the_output(make_app, src: Path, tmp_path: Path, builder: str, parallel: int) -> Path:
    """The one document (``.tex``, ``.epub``) of two builds in a row."""
    app = build_twice(make_app, src, tmp_path / "b", builder, parallel)
    suffix = {"latex": "tex"}.get(builder, builder)
    (document,) = Path(app.outdir).glob(f"*.{suffix}")
    return document


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_SIGNATURE
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def drawn(app) -> dict[str, Path]:
    """The cached pictures, by diagram."""
    folder = Path(app.doctreedir) / FOLDER
    found = {}
    for path in folder.glob("*.png"):
        match = PICTURE.fullmatch(path.name)
        assert match, path
        assert match[1] not in found, "one drawing per diagram"
        found[match[1]] = path
    return found


@pytest.mark.parametrize("parallel", [0, 2])
def test_latex_includes_every_diagram_as_a_png_in_its_output(
    make_app, project: Path, tmp_path: Path, parallel: int
) -> None:
    tex = the_output(make_app, project, tmp_path, "latex", parallel)
    out, text = tex.parent, tex.read_text(encoding="utf-8")
    names = re.findall(r"\\sphinxincludegraphics(?:\[[^\]]*\])?\{\{([^}]+)\}\.png\}", text)
    # the compare page's two diagrams and the captioned figure
    assert len(names) >= 3
    assert {PICTURE.fullmatch(f"{n}.png")[1] for n in names} == PICTURES
    for name in names:
        data = (out / f"{name}.png").read_bytes()
        width, height = png_size(data)
        assert 800 < width <= diagrampng.MAX_WIDTH and height > 800, (name, width, height)
        assert len(data) > 30_000  # a drawing, not an empty canvas
    # the directive's caption is the figure's, its markup kept
    figure = text[text.index(r"\chapter{Figure}") :]
    figure = figure[: figure.index(r"\end{figure}")]
    assert r"\sphinxincludegraphics" in figure
    assert r"\caption{Sparse experts, \sphinxstyleemphasis{latent} attention.}" in figure
    assert "[Diagram:" not in text


def test_an_unchanged_diagram_is_not_drawn_again_and_a_changed_one_replaces_its_drawing(
    make_app, project: Path, tmp_path: Path
) -> None:
    app = build_twice(make_app, project, tmp_path / "b", "latex")
    app.cleanup()
    first = drawn(app)
    assert set(first) == PICTURES
    dates = {p: p.stat().st_mtime_ns for p in first.values()}
    model = project / "models" / "tiny-gqa.yaml"
    text = model.read_text(encoding="utf-8")
    assert "vocab_size: 1000\n" in text  # the diagram names the vocabulary
    touch_later(model, text.replace("vocab_size: 1000\n", "vocab_size: 1024\n"))
    again = make_app("latex", srcdir=project, builddir=tmp_path / "b", confoverrides=BOOK)
    again.build()
    assert warning_lines(again) == []
    second = drawn(again)
    same, changed = "tiny-mla-full", "tiny-gqa-full-compared"
    assert second[same] == first[same]
    assert first[same].stat().st_mtime_ns == dates[first[same]]
    assert second[changed] != first[changed]  # the old one is gone
    tex = next(Path(again.outdir).glob("*.tex")).read_text(encoding="utf-8")
    assert second[changed].stem in tex and first[changed].stem not in tex


def in_book(page: str, src: str) -> str:
    """The name in the book of the file that ``src`` names on ``page``."""
    return str((Path("/") / Path(page).parent / src).resolve().relative_to("/"))


@pytest.mark.parametrize("parallel", [0, 2])
def test_the_epub_holds_every_picture_and_lists_it(
    make_app, project: Path, tmp_path: Path, parallel: int
) -> None:
    book = the_output(make_app, project, tmp_path, "epub", parallel)
    with zipfile.ZipFile(book) as epub:
        files = set(epub.namelist())
        opf = epub.read("content.opf").decode()
        pages = {n: epub.read(n).decode() for n in files if n.endswith(".xhtml")}
    pictures = {n for n in files if PICTURE.fullmatch(n.rpartition("/")[2])}
    # the book also holds the model pages, with Tiny GQA's own diagram
    assert {PICTURE.fullmatch(n.rpartition("/")[2])[1] for n in pictures} == {
        *PICTURES,
        "tiny-gqa-full",
    }
    for name in pictures:
        assert f'href="{name}" media-type="image/png"' in opf
    shown = 0
    for page, html in pages.items():
        for alt, src in re.findall(r'<img alt="([^"]*)"[^>]*src="([^"]+\.png)"', html):
            if PICTURE.fullmatch(src.rpartition("/")[2]):
                assert in_book(page, src) in files, (page, src)
                assert alt.startswith("Architecture of Tiny")
                shown += 1
    assert shown >= 4  # two model pages, the compare page, the figure
    assert not any("llmarch-tools" in html or "[Diagram:" in html for html in pages.values())
    # every image a page names is in the book: the gallery's thumbnails too
    for page, html in pages.items():
        for src in re.findall(r'<img [^>]*src="([^"]+)"', html):
            assert in_book(page, src) in files, (page, src)


def test_texinfo_shows_the_pictures_and_text_the_description(
    make_app, project: Path, tmp_path: Path
) -> None:
    app = build_twice(make_app, project, tmp_path / "t", "texinfo")
    out = Path(app.outdir)
    text = next(out.glob("*.texi")).read_text(encoding="utf-8")
    images = re.findall(r"@image\{([^,}]+),", text)
    assert images
    for image in images:
        assert (out / f"{image}.png").read_bytes().startswith(PNG_SIGNATURE)
    app.cleanup()
    plain = build_twice(make_app, project, tmp_path / "x", "text")
    words = "\n".join(p.read_text(encoding="utf-8") for p in Path(plain.outdir).rglob("*.txt"))
    assert "[Diagram: Architecture of Tiny MLA" in words
    assert not list(Path(plain.outdir).rglob("*.png"))


def test_the_picture_stylesheet_names_every_colour_and_the_packaged_font_first() -> None:
    for theme in ("light", "dark"):
        css = diagrampng.resolved_css(theme, 3)
        assert "var(" not in css
        palette = diagrampng.palette(theme, 3)
        assert palette["--llmarch-accent"] in css and palette["--llmarch-ink"] in css
    assert f"font-family: {raster.FONT_FAMILY}," in diagrampng.resolved_css("light", 0)


def test_the_picture_is_one_and_a_half_times_the_diagram_and_never_huge() -> None:
    assert diagrampng.png_width('<svg xmlns="x" width="800.4" height="10">') == 1201
    assert diagrampng.png_width('<svg width="9000" height="10">') == diagrampng.MAX_WIDTH


def test_every_sign_the_diagrams_use_is_drawn_not_a_missing_glyph_box() -> None:
    def drawn(sign: str, fonts: list[Path] | None = None) -> tuple[int, int, list[bytes]]:
        return png_pixels(
            raster.png(
                "<svg xmlns='http://www.w3.org/2000/svg' width='40' height='40'>"
                "<rect width='40' height='40' fill='white'/>"
                f"<text x='4' y='30' font-size='24' font-family='Noto Sans'>{sign}</text></svg>",
                40,
                fonts,
            )
        )

    missing = drawn("\U0010fffd")  # a private-use code point: no font has it
    # the panels' arrow is not in Noto Sans: it comes from the packaged fallback font
    assert [s for s in "→×·…–σ÷α²βλΣ−½" if drawn(s) == missing] == []
    noto = raster.font_files()[:1]
    assert drawn("→", noto) == drawn("\U0010fffd", noto)
    # the rest as before
    assert drawn("Gallery") == drawn("Gallery", noto)


def test_the_figures_check_of_the_site_names_models_in_latex_without_links(
    make_app, project: Path, tmp_path: Path
) -> None:
    conf = project / "conf.py"
    conf.write_text(
        conf.read_text().replace('"sphinx_llmarch"]', '"sphinx_llmarch", "sphinx_llmarch._docs"]')
    )
    (project / "check.md").write_text("# Check\n\n```{llmarch-figures-check}\n```\n")
    index = project / "index.md"
    index.write_text(index.read_text().replace("memory\n", "memory\ncheck\n"))
    tex = the_output(make_app, project, tmp_path, "latex", 0).read_text(encoding="utf-8")
    check = tex[tex.index(r"\chapter{Check}") :]
    assert "Tiny GQA" in check and "Tiny MLA" in check

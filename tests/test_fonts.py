"""The PNGs' text needs no system font: resvg is given Noto Sans from its Python package
and nothing else, and every SVG drawn to PNG names that family first."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

from sphinx_llmarch.draw import raster
from sphinx_llmarch.draw.card import card_lines, card_svg
from sphinx_llmarch.draw.poster import entry_of
from sphinx_llmarch.draw.posterkey import FONT
from sphinx_llmarch.draw.postersvg import poster_svg
from sphinx_llmarch.model.figures import compute
from sphinx_llmarch.model.loader import load_file

from .conftest import MODELS


def png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and rows (RGBA bytes) of an 8-bit RGBA PNG, as resvg writes it."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height, depth, colour = struct.unpack(">IIBB", data[16:26])
    assert (depth, colour) == (8, 6)
    idat, at = b"", 8
    while at < len(data):
        (size,), kind = struct.unpack(">I", data[at : at + 4]), data[at + 4 : at + 8]
        if kind == b"IDAT":
            idat += data[at + 8 : at + 8 + size]
        at += 12 + size
    raw, stride, rows = zlib.decompress(idat), width * 4, []
    previous = bytearray(stride)
    for y in range(height):
        kind, line = (
            raw[y * (stride + 1)],
            bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)]),
        )
        for i in range(stride):
            left = line[i - 4] if i >= 4 else 0
            up, corner = previous[i], previous[i - 4] if i >= 4 else 0
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                near = min(
                    (abs(p - left), 0, left), (abs(p - up), 1, up), (abs(p - corner), 2, corner)
                )
                line[i] = (line[i] + near[2]) & 255
        rows.append(bytes(line))
        previous = line
    return width, height, rows


def ink(data: bytes) -> int:
    """How many pixels are dark (text on a white ground)."""
    _, _, rows = png_pixels(data)
    return sum(1 for row in rows for x in range(0, len(row), 4) if row[x] < 128 and row[x + 3])


def _word(family: str) -> str:
    return (
        "<svg xmlns='http://www.w3.org/2000/svg' width='200' height='40'>"
        "<rect width='200' height='40' fill='white'/>"
        f"<text x='4' y='30' font-size='24' font-family='{family}'>Gallery</text></svg>"
    )


def test_the_font_comes_from_its_python_package() -> None:
    font, fallback = raster.font_files()
    assert font.is_file() and "fontpkg_noto_sans" in font.parts
    assert font.suffix == ".ttf" and font.name.startswith("NotoSans")
    assert fallback.is_file() and "fontpkg_inter" in fallback.parts


def test_text_is_drawn_with_the_packaged_font_and_no_system_font() -> None:
    assert ink(raster.png(_word("Noto Sans"), 200)) > 150
    # a family the machine may have (DejaVu Sans is installed here) is not looked for:
    # resvg sees the packaged font only, so a name that is not its own draws nothing
    assert ink(raster.png(_word("DejaVu Sans"), 200)) == 0
    # with no font file at all, nothing is drawn either: the system's are never loaded
    assert ink(raster.png(_word("Noto Sans"), 200, fonts=[Path("/nonexistent.ttf")])) == 0


def test_bold_is_bolder_from_the_one_variable_file() -> None:
    regular = _word("Noto Sans")
    bold = regular.replace("font-size", "font-weight='bold' font-size")
    assert ink(raster.png(bold, 200)) > 1.2 * ink(raster.png(regular, 200))


def test_the_svgs_drawn_to_png_name_the_packaged_family_first() -> None:
    assert FONT.split(",")[0] == raster.FONT_FAMILY
    model = load_file(MODELS / "gemma-3-27b.yaml").model
    assert model is not None
    figures = compute(model)
    entry = entry_of(model, figures)
    for svg in (poster_svg([entry], "light"), card_svg(entry, card_lines(model, figures))):
        assert f"font-family: {raster.FONT_FAMILY}," in svg

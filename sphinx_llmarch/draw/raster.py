"""SVG to PNG, for the poster and the social cards: resvg (a Rust wheel) with a font from
a Python package.

resvg draws text only with fonts it is given.  To get the same bytes from the same SVG on
any machine, it is given one font and no system font: Noto Sans (SIL Open Font Licence),
from the package ``fontpkg-noto-sans``, a dependency, so that ``pip install`` is all a
machine needs.  Its one variable font file holds every weight, regular and bold alike.
The SVGs drawn here name :data:`FONT_FAMILY` first in their font list.  Noto Sans lacks a
few signs the diagrams use (the arrow ``→`` of their panels): resvg takes those from
:data:`FALLBACK_FAMILY`, a second packaged font, and from no other.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from .enginecache import read_checked, write_checked

#: how the cached PNGs' names start, in the cache folder
CACHED_PREFIX = "poster-"
#: the family resvg is given, by the name its font file gives itself
FONT_FAMILY = "Noto Sans"
#: the package that holds it
FONT_PACKAGE = "fontpkg-noto-sans"
#: the font of the glyphs :data:`FONT_FAMILY` lacks (from ``fontpkg-inter``): a sans-serif
#: close to it, since resvg draws the rest of such a run of text in it too
FALLBACK_FAMILY = "Inter"


class RasterError(Exception):
    """The PNG cannot be drawn; the message says why and what to install."""


def font_files() -> list[Path]:
    """The font files resvg is given: :data:`FONT_FAMILY` from its package, then
    :data:`FALLBACK_FAMILY` (none when the first package is missing)."""
    try:
        import fontpkg
    except ImportError:
        return []
    files = []
    for family in (FONT_FAMILY, FALLBACK_FAMILY):
        try:
            files.append(Path(fontpkg.path(family)))
        except LookupError:
            if not files:
                return []
    return files


def png(
    svg: str, width: int, fonts: Sequence[Path] | None = None, background: str | None = None
) -> bytes:
    """The SVG drawn ``width`` pixels wide, as PNG bytes (on ``background``, a CSS colour,
    where given; else transparent where the SVG draws nothing)."""
    files = list(fonts) if fonts is not None else font_files()
    if not files:
        raise RasterError(
            f"no {FONT_FAMILY} font found, so the PNG would have no text: install the "
            f"package {FONT_PACKAGE} (pip install {FONT_PACKAGE}), a dependency of "
            "sphinx-llmarch"
        )
    import resvg_py

    try:
        data = resvg_py.svg_to_bytes(
            svg_string=svg,
            skip_system_fonts=True,
            font_files=[str(f) for f in files],
            width=width,
            background=background,
        )
    except ValueError as exc:
        raise RasterError(f"resvg cannot draw it: {exc}") from None
    return bytes(data)


def png_key(svg: str, width: int, fonts: Sequence[Path]) -> str:
    """A key of everything a PNG is drawn from: the SVG, the width, the font files and
    resvg's version (32 hexadecimal digits)."""
    parts = [metadata.version("resvg_py"), str(width)]
    parts += [f"{f.name}:{f.stat().st_size}:{f.stat().st_mtime_ns}" for f in fonts]
    return hashlib.sha256("\0".join([*parts, svg]).encode()).hexdigest()[:32]


def cached_path(svg: str, width: int, directory: Path | None) -> Path | None:
    """Where :func:`cached_png` keeps this PNG (None without a cache folder or a font)."""
    fonts = font_files()
    if directory is None or not fonts:
        return None
    return directory / f"{CACHED_PREFIX}{png_key(svg, width, fonts)}.png"


def cached_png(svg: str, width: int, directory: Path | None) -> tuple[bytes, Path | None]:
    """:func:`png`, kept in ``directory`` by a key of the SVG, the width, the fonts and
    resvg's version: drawing the poster takes seconds, and a build whose poster did not
    change (a clean build with the caches of an earlier one) draws it no more.  Returns
    the bytes and the cached file (None when there is no cache)."""
    path = cached_path(svg, width, directory)
    if path is None:
        return png(svg, width), None
    data = read_checked(path)
    if data is None:
        data = png(svg, width)
        write_checked(path, data)
    return data, path


def prune_cached(directory: Path, keep: Collection[Path]) -> None:
    """Delete the cached PNGs other than ``keep``: each is some megabytes, and only the
    latest poster's are likely to be asked for again."""
    for path in directory.glob(f"{CACHED_PREFIX}*.png"):
        if path not in keep:
            path.unlink(missing_ok=True)


@dataclass(frozen=True)
class Strip:
    """A horizontal strip of a picture: its first pixel row, its height in pixels and its
    SVG, whose root is the strip's size in pixels."""

    top: int
    height: int
    svg: str


def stitched_png(strips: Sequence[Strip], width: int, height: int, directory: Path | None) -> bytes:
    """A picture ``width`` × ``height`` pixels drawn strip by strip, each strip's PNG kept
    in ``directory`` as :func:`cached_png` keeps it, and put together with Pillow: a change
    to one part of a large picture draws only its strip again."""
    from PIL import Image

    picture = Image.new("RGBA", (width, height))
    for strip in strips:
        data, _ = cached_png(strip.svg, width, directory)
        with Image.open(io.BytesIO(data)) as part:
            picture.paste(part, (0, strip.top))
    if picture.getchannel("A").getextrema() == (255, 255):  # opaque: no alpha channel to store
        picture = picture.convert("RGB")
    out = io.BytesIO()
    picture.save(out, "PNG")
    return out.getvalue()


def cached_stitched(
    svg: str, strips: Sequence[Strip], width: int, height: int, directory: Path | None
) -> bytes:
    """:func:`stitched_png`, the picture kept whole in ``directory`` by its whole SVG: a
    build whose picture did not change reads it and no strip."""
    path = cached_path(svg, width, directory)
    data = read_checked(path) if path is not None else None
    if data is None:
        data = stitched_png(strips, width, height, directory)
        if path is not None:
            write_checked(path, data)
    return data

"""SVG to PNG, for the poster: resvg (a Rust wheel) with a font found on the machine.

resvg draws text only with fonts it is given.  To get the same bytes from the same SVG,
it is given one font, DejaVu Sans (free, and installed with most Linux systems: Debian's
``fonts-dejavu-core``), and no other; the poster names it first in its font list.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Collection, Sequence
from importlib import metadata
from pathlib import Path

from .enginecache import read_checked, write_checked

#: how the cached PNGs' names start, in the cache folder
CACHED_PREFIX = "poster-"
#: the font files, regular then bold
FONT_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")
#: where systems keep fonts; ``LLMARCH_FONT_DIR`` is searched first
FONT_DIRS = (
    "/usr/share/fonts",
    "/usr/local/share/fonts",
    "~/.local/share/fonts",
    "~/.fonts",
    "/Library/Fonts",
    "~/Library/Fonts",
    "C:/Windows/Fonts",
)


class RasterError(Exception):
    """The PNG cannot be drawn; the message says why and what to install."""


def find_fonts(dirs: Sequence[str] | None = None) -> list[Path]:
    """The font files, from the first folder that holds the regular one."""
    extra = os.environ.get("LLMARCH_FONT_DIR")
    places = [*([extra] if extra else []), *(dirs if dirs is not None else FONT_DIRS)]
    for place in places:
        root = Path(place).expanduser()
        if not root.is_dir():
            continue
        found = {name: sorted(root.rglob(name)) for name in FONT_FILES}
        if found[FONT_FILES[0]]:
            return [paths[0] for paths in found.values() if paths]
    return []


def png(svg: str, width: int, fonts: Sequence[Path] | None = None) -> bytes:
    """The SVG drawn ``width`` pixels wide, as PNG bytes."""
    files = list(fonts) if fonts is not None else find_fonts()
    if not files:
        raise RasterError(
            "no DejaVu Sans font found (DejaVuSans.ttf), so the PNG would have no text: "
            "install it (Debian and Ubuntu: apt-get install fonts-dejavu-core) or name its "
            "folder in LLMARCH_FONT_DIR"
        )
    import resvg_py

    try:
        data = resvg_py.svg_to_bytes(
            svg_string=svg,
            skip_system_fonts=True,
            font_files=[str(f) for f in files],
            width=width,
        )
    except ValueError as exc:
        raise RasterError(f"resvg cannot draw it: {exc}") from None
    return bytes(data)


def cached_png(svg: str, width: int, directory: Path | None) -> tuple[bytes, Path | None]:
    """:func:`png`, kept in ``directory`` by a key of the SVG, the width, the fonts and
    resvg's version: drawing the poster takes seconds, and a build whose poster did not
    change (a clean build with the caches of an earlier one) draws it no more.  Returns
    the bytes and the cached file (None when there is no cache)."""
    fonts = find_fonts()
    if directory is None or not fonts:
        return png(svg, width, fonts), None
    parts = [metadata.version("resvg_py"), str(width)]
    parts += [f"{f.name}:{f.stat().st_size}:{f.stat().st_mtime_ns}" for f in fonts]
    key = hashlib.sha256("\0".join([*parts, svg]).encode()).hexdigest()[:32]
    path = directory / f"{CACHED_PREFIX}{key}.png"
    data = read_checked(path)
    if data is None:
        data = png(svg, width, fonts)
        write_checked(path, data)
    return data, path


def prune_cached(directory: Path, keep: Collection[Path]) -> None:
    """Delete the cached PNGs other than ``keep``: each is some megabytes, and only the
    latest poster's are likely to be asked for again."""
    for path in directory.glob(f"{CACHED_PREFIX}*.png"):
        if path not in keep:
            path.unlink(missing_ok=True)

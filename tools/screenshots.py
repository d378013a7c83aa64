"""Screenshots of diagrams in light and dark mode, for looking at what the generator draws.

    python tools/screenshots.py [SLUG ...] [--out DIR] [--chromium PATH]

Renders each model's diagram exactly as the docs inline it (default: a dense model, an MoE
with MLA and a hybrid), puts it on a page in each theme and photographs the page with
headless Chromium. Needs a Chromium or Chrome executable (Debian: ``apt install chromium``).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from sphinx_llmarch.draw.compose import compose
from sphinx_llmarch.draw.engine import SvgCache
from sphinx_llmarch.draw.figure import figure_spec
from sphinx_llmarch.draw.theme import page_css
from sphinx_llmarch.model.figures import compute
from sphinx_llmarch.model.loader import load_file

REPO = Path(__file__).resolve().parent.parent
DEFAULT = ["llama-3-8b", "deepseek-v3", "qwen3-next-80b-a3b"]
BACKGROUND = {"light": "#ffffff", "dark": "#131416"}  # furo's page backgrounds
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]


def page(svg: str, theme: str) -> str:
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><style>{page_css()}'
        f"body{{margin:16px;background:{BACKGROUND[theme]}}}</style></head>"
        f'<body data-theme="{theme}"><div class="llmarch-diagram">{svg}</div></body></html>'
    )


def size_of(svg: str) -> tuple[int, int]:
    import xml.etree.ElementTree as ET

    root = ET.fromstring(svg)
    return int(float(root.get("width", 800))) + 40, int(float(root.get("height", 800))) + 40


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("slugs", nargs="*", default=DEFAULT)
    parser.add_argument("--out", type=Path, default=REPO / "_build" / "screenshots")
    parser.add_argument(
        "--chromium",
        default=shutil.which("chromium")
        or shutil.which("chromium-browser")
        or shutil.which("google-chrome"),
    )
    args = parser.parse_args()
    if not args.chromium:
        print("screenshots: no Chromium found; pass --chromium PATH", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    cache = SvgCache()
    with tempfile.TemporaryDirectory() as tmp:
        for slug in args.slugs:
            model = load_file(REPO / "models" / f"{slug}.yaml").model
            if model is None:
                print(f"screenshots: {slug}.yaml does not validate", file=sys.stderr)
                return 1
            svg = compose(figure_spec(model, compute(model)), cache.get).svg()
            width, height = size_of(svg)
            for theme in ("light", "dark"):
                html = Path(tmp) / f"{slug}-{theme}.html"
                html.write_text(page(svg, theme), encoding="utf-8")
                png = args.out / f"{slug}-{theme}.png"
                subprocess.run(
                    [
                        args.chromium,
                        *CHROMIUM_FLAGS,
                        f"--user-data-dir={tmp}/profile",
                        f"--window-size={width},{height}",
                        f"--screenshot={png}",
                        html.as_uri(),
                    ],
                    check=True,
                    capture_output=True,
                )
                print(png)
    return 0


if __name__ == "__main__":
    sys.exit(main())

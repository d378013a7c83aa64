"""Colours and the diagram stylesheet, for light and dark themes.

One semantic colour per block type (attention, linear mixers, state-space
mixers, FFN, MoE, norms, embeddings) stays the same across every model; each
family gets an accent, used for the tint of its repeated block.  All colours are
CSS custom properties on ``.llmarch-svg``, so the page's theme (furo's
``body[data-theme]``, pydata's ``html[data-theme]`` or ``prefers-color-scheme``)
switches them without touching the SVG.
"""

from __future__ import annotations

import hashlib
from functools import cache

#: the palettes: CSS custom property → colour
LIGHT: dict[str, str] = {
    "--llmarch-ink": "#1f2328",
    "--llmarch-muted": "#57606a",
    "--llmarch-line": "#3d444d",
    "--llmarch-canvas": "#ffffff",
    "--llmarch-box": "#ffffff",
    "--llmarch-attn": "#3b4252",
    "--llmarch-attn-ink": "#ffffff",
    "--llmarch-linear": "#cdeee6",
    "--llmarch-ssm": "#d5ecc2",
    "--llmarch-ffn": "#e7e9ec",
    "--llmarch-moe": "#fbe6a2",
    "--llmarch-pos": "#e3eefc",
    "--llmarch-router": "#ffffff",
    "--llmarch-shared": "#f3d9a6",
    "--llmarch-cache": "#f9d2e5",
    "--llmarch-conv": "#f6c7bd",
    "--llmarch-act": "#ffffff",
    "--llmarch-panel": "#f6f8fa",
    "--llmarch-changed": "#c2185b",
}

DARK: dict[str, str] = {
    "--llmarch-ink": "#e6edf3",
    "--llmarch-muted": "#9da7b3",
    "--llmarch-line": "#aab4bf",
    "--llmarch-canvas": "#0d1117",
    "--llmarch-box": "#1c2128",
    "--llmarch-attn": "#c9d1d9",
    "--llmarch-attn-ink": "#0d1117",
    "--llmarch-linear": "#1f4d45",
    "--llmarch-ssm": "#2f4a22",
    "--llmarch-ffn": "#2d333b",
    "--llmarch-moe": "#5c4a12",
    "--llmarch-pos": "#1c3554",
    "--llmarch-router": "#1c2128",
    "--llmarch-shared": "#4d3b10",
    "--llmarch-cache": "#4d2338",
    "--llmarch-conv": "#55291f",
    "--llmarch-act": "#1c2128",
    "--llmarch-panel": "#161b22",
    "--llmarch-changed": "#ff7ab8",
}

#: Family accents (light, dark).  Chosen for distinct hues at equal weight.
ACCENTS: tuple[tuple[str, str], ...] = (
    ("#2f81f7", "#58a6ff"),  # blue
    ("#e16f24", "#f0883e"),  # orange
    ("#bf3989", "#db61a2"),  # magenta
    ("#1a7f37", "#3fb950"),  # green
    ("#8250df", "#a371f7"),  # violet
    ("#c9510c", "#ffa657"),  # rust
    ("#0a7ea4", "#39c5cf"),  # teal
    ("#9a6700", "#d29922"),  # ochre
)


#: tint of a family's repeated block: the accent at this opacity over the background
BLOCK_TINT = 0.16
#: WCAG asks 4.5:1 for text; a margin for page backgrounds close to, not equal to, ours
TEXT_CONTRAST = 4.8


def _rgb(colour: str) -> tuple[float, float, float]:
    return tuple(int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))  # type: ignore[return-value]


def _mix(a: tuple[float, ...], b: tuple[float, ...], t: float) -> tuple[float, float, float]:
    return tuple(x * (1 - t) + y * t for x, y in zip(a, b, strict=True))  # type: ignore[return-value]


def _luminance(c: tuple[float, ...]) -> float:
    lin = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in c]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    """The WCAG contrast ratio of two colours."""
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _hex(colour: tuple[float, ...]) -> str:
    return "#" + "".join(f"{round(v * 255):02x}" for v in colour)


def blend(a: str, b: str, share: float) -> str:
    """Colour ``a`` with ``share`` of colour ``b`` mixed in (as CSS ``color-mix`` does)."""
    return _hex(_mix(_rgb(a), _rgb(b), share))


def text_accent(accent: str, canvas: str) -> str:
    """The accent, darkened (light theme) or lightened (dark theme) just enough to be read
    as text on the canvas and on the block's tint of it."""
    base, bg = _rgb(accent), _rgb(canvas)
    tint = _mix(bg, base, BLOCK_TINT)
    toward = (0.0, 0.0, 0.0) if _luminance(bg) > 0.5 else (1.0, 1.0, 1.0)
    for step in range(101):
        colour = _mix(base, toward, step / 100)
        if min(contrast(colour, bg), contrast(colour, tint)) >= TEXT_CONTRAST:
            break
    return _hex(colour)


def accent_index(family: str) -> int:
    """A stable accent for a family name (same on every machine and run)."""
    digest = hashlib.sha256(family.strip().lower().encode()).digest()
    return digest[0] % len(ACCENTS)


_RULES = """
.llmarch-svg { max-width: 100%; height: auto; }
.llmarch-svg .llmarch-canvas { fill: var(--llmarch-canvas); }
.llmarch-svg text { fill: var(--llmarch-ink); font-family: var(--llmarch-font,
  system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif); }
.llmarch-svg .edge path { stroke: var(--llmarch-line); }
.llmarch-svg .edge polygon { fill: var(--llmarch-line); stroke: var(--llmarch-line); }
path.llmarch-leader { fill: none; stroke: var(--llmarch-muted); stroke-width: 0.8;
  stroke-dasharray: 1.5 2.5; }
circle.llmarch-leader-end { fill: var(--llmarch-muted); }
.llmarch-svg .llmarch-title { fill: var(--llmarch-accent-ink); font-weight: bold; }
.llmarch-svg .llmarch-note-text { fill: var(--llmarch-muted); }
.llmarch-svg .node path, .llmarch-svg .node polygon, .llmarch-svg .node ellipse {
  fill: var(--llmarch-box); stroke: var(--llmarch-line); }
.llmarch-svg .llmarch-io path { fill: none; stroke: none; }
.llmarch-svg .llmarch-point ellipse { fill: var(--llmarch-line); }
.llmarch-svg .llmarch-attn path { fill: var(--llmarch-attn); }
.llmarch-svg .llmarch-attn text { fill: var(--llmarch-attn-ink); }
.llmarch-svg .llmarch-linear path { fill: var(--llmarch-linear); }
.llmarch-svg .llmarch-ssm path { fill: var(--llmarch-ssm); }
.llmarch-svg .llmarch-ffn path { fill: var(--llmarch-ffn); }
.llmarch-svg .llmarch-moe path { fill: var(--llmarch-moe); }
.llmarch-svg .llmarch-pos path { fill: var(--llmarch-pos); }
.llmarch-svg .llmarch-note text { fill: var(--llmarch-muted); }
.llmarch-svg .llmarch-router path { fill: var(--llmarch-router); stroke: var(--llmarch-accent);
  stroke-width: 1.5; }
.llmarch-svg .llmarch-shared path { fill: var(--llmarch-shared); }
.llmarch-svg .llmarch-cache path { fill: var(--llmarch-cache); }
.llmarch-svg .llmarch-conv path { fill: var(--llmarch-conv); }
.llmarch-svg .llmarch-act path { fill: var(--llmarch-act); }
.llmarch-svg .llmarch-norm-accent path { stroke: var(--llmarch-accent); stroke-width: 1.5; }
.llmarch-svg .llmarch-route path { stroke: var(--llmarch-muted); }
.llmarch-svg .llmarch-count text { fill: var(--llmarch-muted); font-weight: bold; }
.llmarch-svg .llmarch-macro > path { fill: none; stroke: var(--llmarch-line);
  stroke-dasharray: 3 2; }
.llmarch-svg .llmarch-macro > text { fill: var(--llmarch-ink); font-weight: bold; }
.llmarch-svg .llmarch-panel-frame { fill: var(--llmarch-panel); stroke: var(--llmarch-accent);
  stroke-width: 1.2; stroke-dasharray: 2 3; }
.llmarch-svg .llmarch-panel-title { fill: var(--llmarch-ink); font-weight: bold; }
.llmarch-svg .node.llmarch-changed path, .llmarch-svg .node.llmarch-changed polygon,
  .llmarch-svg .node.llmarch-changed ellipse { stroke: var(--llmarch-changed); stroke-width: 3; }
.llmarch-svg .cluster.llmarch-changed > path { stroke: var(--llmarch-changed); stroke-width: 2.5; }
.llmarch-svg .cluster.llmarch-changed > text { fill: var(--llmarch-changed); }
.llmarch-svg .llmarch-panel.llmarch-changed > .llmarch-panel-frame {
  stroke: var(--llmarch-changed); stroke-width: 3; stroke-dasharray: none; }
path.llmarch-connector { fill: none; stroke: var(--llmarch-accent); stroke-width: 1;
  stroke-dasharray: 2 3; }
.llmarch-svg a { text-decoration: none; }
.llmarch-svg a[href]:hover text { text-decoration: underline; }
.llmarch-svg .llmarch-block > path { fill: var(--llmarch-accent);
  fill-opacity: @BLOCK_TINT@; stroke: var(--llmarch-accent); }
.llmarch-svg .llmarch-block > text { fill: var(--llmarch-accent-ink); font-weight: bold; }
""".replace("@BLOCK_TINT@", str(BLOCK_TINT))

_CHART_RULES = """
.llmarch-chart { max-width: 100%; height: auto; display: block; margin: 1rem 0; }
.llmarch-chart text { fill: var(--llmarch-ink); font-size: 11px; font-family: var(--llmarch-font,
  system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif); }
.llmarch-chart .llmarch-axis, .llmarch-chart .llmarch-value { fill: var(--llmarch-muted); }
.llmarch-chart .llmarch-grid { stroke: var(--llmarch-muted); stroke-opacity: 0.25; }
.llmarch-chart .llmarch-stem { stroke: var(--llmarch-muted); stroke-dasharray: 2 2; }
.llmarch-chart .llmarch-dot { stroke: var(--llmarch-line); stroke-width: 0.8; }
.llmarch-chart .llmarch-dense { fill: var(--llmarch-ffn); }
.llmarch-chart .llmarch-moe { fill: var(--llmarch-moe); }
.llmarch-chart .llmarch-hybrid { fill: var(--llmarch-linear); }
.llmarch-chart .llmarch-active { fill: var(--llmarch-canvas); stroke: var(--llmarch-line); }
.llmarch-chart .llmarch-bar { fill: var(--llmarch-moe); stroke: var(--llmarch-line);
  stroke-width: 0.5; }
.llmarch-svg .llmarch-family path { stroke: var(--llmarch-accent); stroke-width: 1.5; }
.llmarch-svg .llmarch-family-edge text { fill: var(--llmarch-muted); }
"""

#: the charts and their tooltips (an HTML element beside the chart) take the palette
_CHART_ROOTS = (".llmarch-chart", ".llmarch-chart-tip")
_CHART_DARK = tuple(
    f'{root}[data-theme="dark"] {chart}' for chart in _CHART_ROOTS for root in ("body", "html")
)
#: the key to the marks of a comparison, drawn in the diagrams' colours
_KEY = ".llmarch-compare-legend"
_KEY_DARK = (f'body[data-theme="dark"] {_KEY}', f'html[data-theme="dark"] {_KEY}')

_DARK_SELECTORS = (
    ".llmarch-svg.llmarch-dark",
    'body[data-theme="dark"] .llmarch-svg',
    'html[data-theme="dark"] .llmarch-svg',
)


@cache
def diagram_css(theme: str = "light") -> str:
    """Stylesheet of a standalone diagram in one fixed theme."""
    dark = theme == "dark"
    return _block(".llmarch-svg", DARK if dark else LIGHT, dark=dark) + "\n" + _RULES


def page_css() -> str:
    """Diagram and chart styles for the docs: light by default, dark under the theme's dark
    switches (the pages' own rules are in ``static/llmarch-page.css``)."""
    roots = ", ".join((".llmarch-svg", *_CHART_ROOTS, _KEY))
    light = _block(roots, LIGHT, dark=False)
    dark = _block(", ".join(_DARK_SELECTORS + _CHART_DARK + _KEY_DARK), DARK, dark=True)
    unset = 'body:not([data-theme="light"])'
    auto = _block(", ".join(f"{unset} {r}" for r in roots.split(", ")), DARK, dark=True)
    media = f"@media (prefers-color-scheme: dark) {{\n{auto}\n}}"
    return f"{light}\n{dark}\n{media}\n{_RULES}{_CHART_RULES}"


def _block(selector: str, palette: dict[str, str], dark: bool) -> str:
    body = "\n".join(f"  {k}: {v};" for k, v in palette.items())
    accents = "\n".join(
        f"{s}.llmarch-accent-{i}, {s} .llmarch-accent-{i} {{ --llmarch-accent: {accent}; "
        f"--llmarch-accent-ink: {text_accent(accent, palette['--llmarch-canvas'])}; }}"
        for i, pair in enumerate(ACCENTS)
        for accent in (pair[1 if dark else 0],)
        for s in selector.split(", ")
    )
    return f"{selector} {{\n{body}\n}}\n{accents}"

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

LIGHT: dict[str, str] = {
    "ink": "#1f2328",
    "muted": "#57606a",
    "line": "#3d444d",
    "canvas": "#ffffff",
    "box": "#ffffff",
    "attn": "#3b4252",
    "attn-ink": "#ffffff",
    "linear": "#cdeee6",
    "ssm": "#d5ecc2",
    "ffn": "#e7e9ec",
    "moe": "#fbe6a2",
    "pos": "#e3eefc",
    "router": "#ffffff",
    "shared": "#f3d9a6",
    "cache": "#f9d2e5",
    "conv": "#f6c7bd",
    "act": "#ffffff",
    "panel": "#f6f8fa",
}

DARK: dict[str, str] = {
    "ink": "#e6edf3",
    "muted": "#9da7b3",
    "line": "#aab4bf",
    "canvas": "#0d1117",
    "box": "#1c2128",
    "attn": "#c9d1d9",
    "attn-ink": "#0d1117",
    "linear": "#1f4d45",
    "ssm": "#2f4a22",
    "ffn": "#2d333b",
    "moe": "#5c4a12",
    "pos": "#1c3554",
    "router": "#1c2128",
    "shared": "#4d3b10",
    "cache": "#4d2338",
    "conv": "#55291f",
    "act": "#1c2128",
    "panel": "#161b22",
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
.llmarch-svg .llmarch-title { fill: var(--llmarch-accent); font-weight: bold; }
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
path.llmarch-connector { fill: none; stroke: var(--llmarch-accent); stroke-width: 1;
  stroke-dasharray: 2 3; }
.llmarch-svg a { text-decoration: none; }
.llmarch-svg a[href]:hover text { text-decoration: underline; }
.llmarch-svg .llmarch-block > path { fill: var(--llmarch-accent);
  fill-opacity: 0.16; stroke: var(--llmarch-accent); }
.llmarch-svg .llmarch-block > text { fill: var(--llmarch-accent); font-weight: bold; }
"""

_PAGE_RULES = """
.llmarch-diagram { overflow-x: auto; margin: 1rem 0; }
.llmarch-diagram svg { display: block; margin: 0 auto; }
table.llmarch-facts td { vertical-align: top; }
table.llmarch-overview { display: block; overflow-x: auto; }
.llmarch-missing { border-left: 4px solid #d1242f; }
"""

_DARK_SELECTORS = (
    ".llmarch-svg.llmarch-dark",
    'body[data-theme="dark"] .llmarch-svg',
    'html[data-theme="dark"] .llmarch-svg',
)


def diagram_css(theme: str = "light") -> str:
    """Stylesheet of a standalone diagram in one fixed theme."""
    dark = theme == "dark"
    return _block(".llmarch-svg", DARK if dark else LIGHT, dark=dark) + "\n" + _RULES


def page_css() -> str:
    """Stylesheet for the docs: light by default, dark under the theme's dark switches."""
    light = _block(".llmarch-svg", LIGHT, dark=False)
    dark = _block(", ".join(_DARK_SELECTORS), DARK, dark=True)
    auto = _block('body:not([data-theme="light"]) .llmarch-svg', DARK, dark=True)
    return f"{light}\n{dark}\n@media (prefers-color-scheme: dark) {{\n{auto}\n}}\n{_RULES}{_PAGE_RULES}"


def _block(selector: str, palette: dict[str, str], dark: bool) -> str:
    body = "\n".join(f"  --llmarch-{k}: {v};" for k, v in palette.items())
    accents = "\n".join(
        f"{s}.llmarch-accent-{i} {{ --llmarch-accent: {pair[1 if dark else 0]}; }}"
        for i, pair in enumerate(ACCENTS)
        for s in selector.split(", ")
    )
    return f"{selector} {{\n{body}\n}}\n{accents}"

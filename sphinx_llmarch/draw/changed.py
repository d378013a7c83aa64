"""Which blocks of two diagrams differ, by a stable identity of each block.  Pure.

Every labelled box of a diagram's main panel, every side panel and every labelled box
inside a side panel is a *block* with an identity that does not depend on the model:
``main/attn`` (the token mixer's box), ``panel/moe`` (the MoE side panel),
``panel/mixer-mla/idx`` (a box of that panel).  A block's *signature* is a short digest of
what it shows: its label and the numbers written beside it; a panel's, of its title,
drawing and notes.  Two diagrams differ in a block when its signatures differ or only
one diagram has it.  The composer marks the blocks a comparison names (class
``llmarch-changed``, with their identity in ``data-llmarch-block``); in a *signed*
figure it writes every block's identity and signature (``data-llmarch-sig``), from which
the compare page's script marks any two diagrams the same way.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Mapping

from .figure import FigureSpec

#: the class of a marked block
CHANGED = "llmarch-changed"
MAIN = "main"

#: a node's statement in our DOT: '"name" [id="name", label="...", ...];', or a
#: cluster's 'graph [id="block", label="61 ×", ...];'
_NODE = re.compile(r'^\s*(?:"[^"]*"|graph) \[id="([^"]+)", (.*)\];$', re.MULTILINE)
_LABEL = re.compile(r'\blabel="((?:[^"\\]|\\.)*)"')


def panel_id(key: str) -> str:
    return f"panel/{key}"


def node_id(panel: str, node: str) -> str:
    """A box's identity: ``main/attn``, ``panel/moe/router``."""
    return f"{panel}/{node}"


def _labels(dot: str) -> Iterator[tuple[str, str]]:
    """(id, label) of each labelled node and cluster of a panel's DOT."""
    for match in _NODE.finditer(dot):
        if label := _LABEL.search(match[2]):
            yield match[1], label[1]


def _digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:8]


def signatures(spec: FigureSpec) -> dict[str, str]:
    """Every block of ``spec``'s diagram → its signature."""
    notes = {a.node: a.lines for a in spec.annotations}
    out = {
        node_id(MAIN, node): _digest(label, *notes.get(node, ()))
        for node, label in _labels(spec.main)
    }
    for p in spec.panels:
        out[panel_id(p.key)] = _digest(p.title, p.dot, *p.notes)
        for node, label in _labels(p.dot):
            out[node_id(panel_id(p.key), node)] = _digest(label)
    return out


def _panel_of(block: str) -> str | None:
    """The panel holding a box of a side panel (None for a panel or a main-panel box)."""
    parts = block.split("/")
    return "/".join(parts[:2]) if parts[0] != MAIN and len(parts) > 2 else None


def differing(a: Mapping[str, str], b: Mapping[str, str]) -> frozenset[str]:
    """The blocks to mark when diagrams of signatures ``a`` and ``b`` are compared: those
    whose signatures differ or that only one has; inside a panel only one diagram has,
    the panel alone (not each of its boxes)."""
    changed = {k for k in a.keys() | b.keys() if a.get(k) != b.get(k)}
    return frozenset(
        k for k in changed if (panel := _panel_of(k)) is None or (panel in a and panel in b)
    )

"""Compare two builds of the site: what a refactoring must leave unchanged.

    python tools/compare_builds.py OLD_HTML_DIR NEW_HTML_DIR [--show N]

Standalone SVG files and the export files must be byte-identical; HTML pages must be equal
after normalising whitespace (runs of whitespace become one space, whitespace between tags
and before ``/>`` goes) and the difference between two correct spellings of the same
attribute (``&quot;`` and ``&#34;``) or of an empty element.  Prints every file that
differs, with the first difference, and exits 1 if any does.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

EXACT = (".svg", ".json", ".csv", ".js")
#: files that differ from build to build by design
SKIP = {"searchindex.js", ".buildinfo", "objects.inv"}
_SPACE = re.compile(r"\s+")
_BETWEEN = re.compile(r">\s+<")
_ENTITIES = {"&#34;": "&quot;", "&#39;": "&#x27;"}


def normalise(html: str) -> str:
    text = _SPACE.sub(" ", html)
    text = _BETWEEN.sub("><", text).replace(" />", "/>").replace(" >", ">")
    for entity, same in _ENTITIES.items():
        text = text.replace(entity, same)
    return text


def first_difference(a: str, b: str, context: int = 120) -> str:
    i = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    start = max(0, i - context)
    return f"  old: …{a[start : i + context]!r}\n  new: …{b[start : i + context]!r}"


def compare(old: Path, new: Path, show: int) -> int:
    names = {p.relative_to(old) for p in old.rglob("*") if p.is_file()}
    names |= {p.relative_to(new) for p in new.rglob("*") if p.is_file()}
    differ = 0
    for name in sorted(names):
        if name.name in SKIP or name.parts[0] == "_sources":
            continue
        a, b = old / name, new / name
        if not a.exists() or not b.exists():
            print(f"{name}: only in {'new' if b.exists() else 'old'}")
            differ += 1
            continue
        if name.suffix in EXACT:
            same = a.read_bytes() == b.read_bytes()
            x, y = a.read_text(errors="replace"), b.read_text(errors="replace")
        elif name.suffix == ".html":
            x, y = normalise(a.read_text()), normalise(b.read_text())
            same = x == y
        else:
            continue
        if not same:
            differ += 1
            if differ <= show:
                print(f"{name}: differs\n{first_difference(x, y)}")
            else:
                print(f"{name}: differs")
    print(f"{differ} file(s) differ", file=sys.stderr)
    return 1 if differ else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    parser.add_argument("--show", type=int, default=10, help="print this many differences")
    args = parser.parse_args()
    return compare(args.old, args.new, args.show)


if __name__ == "__main__":
    sys.exit(main())

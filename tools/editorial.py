"""Editorial coverage: which models no article discusses yet.

A report, not a test: adding a model is one file, and writing about it comes later. Run it
with ``nox -s editorial``; ``--strict`` exits 1 when a model is missing somewhere, for a
release checklist.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ARTICLES = REPO / "docs" / "articles"
#: the long-form article that aims to discuss every model with a diagram or comparison
COMPARISON = "big-comparison"

_ROLE = re.compile(r"\{llmarch:(?:model|fact)\}`(?:[^`<]*<)?([\w.\-]+?)(?:\.[a-z_]+)?>?`")
_DIRECTIVE = re.compile(r"^```\{llmarch(?:-compare)?\}\s+(.+)$", re.MULTILINE)


def linked(source: str) -> set[str]:
    """Slugs an article links by a role or shows with a directive."""
    return set(_ROLE.findall(source)) | shown(source)


def shown(source: str) -> set[str]:
    """Slugs an article shows with a diagram or a comparison."""
    found: set[str] = set()
    for match in _DIRECTIVE.finditer(source):
        found.update(match.group(1).split())
    return found


@dataclass(frozen=True)
class Report:
    unlinked: list[str]
    not_in_comparison: list[str]
    not_shown_in_comparison: list[str]

    @property
    def complete(self) -> bool:
        return not (self.unlinked or self.not_in_comparison or self.not_shown_in_comparison)


def report(models: Path, articles: Path) -> Report:
    slugs = sorted(p.stem for p in models.glob("*.yaml"))
    sources = {p.stem: p.read_text(encoding="utf-8") for p in articles.glob("*.md")}
    anywhere = set().union(*(linked(s) for s in sources.values())) if sources else set()
    comparison = sources.get(COMPARISON, "")
    return Report(
        unlinked=[s for s in slugs if s not in anywhere],
        not_in_comparison=[s for s in slugs if s not in linked(comparison)],
        not_shown_in_comparison=[s for s in slugs if s not in shown(comparison)],
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=Path, default=REPO / "models")
    parser.add_argument("--articles", type=Path, default=ARTICLES)
    parser.add_argument("--strict", action="store_true", help="exit 1 if anything is missing")
    args = parser.parse_args(argv)
    found = report(args.models, args.articles)
    for title, slugs in (
        ("linked from no article", found.unlinked),
        (f"not named in {COMPARISON}", found.not_in_comparison),
        (f"without a diagram or comparison in {COMPARISON}", found.not_shown_in_comparison),
    ):
        print(f"{len(slugs)} model(s) {title}" + (":" if slugs else "."))
        for slug in slugs:
            print(f"  {slug}")
    return 1 if args.strict and not found.complete else 0


if __name__ == "__main__":
    sys.exit(main())

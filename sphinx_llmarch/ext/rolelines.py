"""The line of a role itself, for warnings.

docutils and MyST both hand a role the first line of its paragraph, so a warning about a
role on the fourth line of a paragraph would point three lines too high. The role's own
text is looked up in its source from that line on; where it cannot be found (a source that
is not a file, text changed by a substitution) the paragraph's line stands.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from sphinx.util.docutils import SphinxRole

#: how far below the paragraph's first line a role is looked for
_SEARCH = 400


@lru_cache(maxsize=8)
def _lines(path: Path, mtime_ns: int) -> tuple[str, ...]:
    """A source's lines, read once for all the roles of a page (the time keys a change)."""
    return tuple(path.read_text(encoding="utf-8").splitlines())


def role_line(role: SphinxRole) -> int:
    """The source line holding the role's text (its first line, if it spans several)."""
    source, line = role.get_source_info()
    if not source or line is None:
        return line or 0
    text = role.text.split("\n", 1)[0]
    # as written in rST, and in MyST (which hands the role the rST spelling)
    forms = (role.rawtext.split("\n", 1)[0], f"{{{role.name}}}`{text}")
    try:
        path = Path(source)
        lines = _lines(path, path.stat().st_mtime_ns)
    except (OSError, UnicodeDecodeError):
        return line
    for number in range(max(line - 1, 0), min(len(lines), line - 1 + _SEARCH)):
        if any(form in lines[number] for form in forms):
            return number + 1
    return line


class LocatedRole(SphinxRole):
    """A role whose warnings name its own line."""

    def get_location(self) -> str:
        source, _ = self.get_source_info()
        return f"{source}:{role_line(self)}"

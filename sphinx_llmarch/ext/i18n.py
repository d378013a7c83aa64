"""The extension's words in the reader's language, through Sphinx's locale machinery.

Every label the extension writes (fact-table rows, table headers, the gallery's controls)
is a message of one catalogue domain, ``sphinx_llmarch``, apart from the project's own
documents. A project translates them like its pages: ``sphinx-build -b gettext`` writes
``sphinx_llmarch.pot`` beside the pages' templates, and a
``<locale_dirs>/<language>/LC_MESSAGES/sphinx_llmarch.po`` is compiled and used when the
project builds with that ``language``. The pure layers stay in English; words are
translated where they become nodes or HTML.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import write_po
from sphinx import locale
from sphinx.util.i18n import CatalogRepository

from ..describe.rows import LABELS
from ..mechanisms.words import ENGLISH, Language

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

CATALOG = "sphinx_llmarch"
_ = locale.get_translation(CATALOG)
_HERE = Path(__file__).parent
#: where messages are marked: ``_("…")`` in Python, ``{{ _("…") }}`` in the templates
_SOURCES = {"**.py": "python", "templates/**.html": "jinja2"}
#: the pure layers, whose words are drawn in the diagrams and written in the tables
_PURE = ("mechanisms", "model", "describe", "draw")
#: how they mark a message: ``N_("…")``; in a mechanism, a sketched box's label and a
#: sketch's title are messages too
_MARKS: dict[str, tuple[int, ...] | None] = {"N_": None, "ngettext": (1, 2)}
_SKETCH_MARKS = {**_MARKS, "box": (2,), "Sketch": (2,)}


def N_(text: str) -> str:  # noqa: N802 - the name gettext tools look for
    """Marks a message that is translated later, where it is shown (with :func:`label`)."""
    return text


def label(text: str) -> str:
    """A word of the pure layers' vocabularies (a row label), or a template's message, in
    the reader's language (Jinja fills a message's ``%(name)s`` values afterwards)."""
    return str(_(text))


def words_of(config: Config) -> Language:
    """The language the diagrams and memory tables are drawn in: the build's, through the
    catalogue (English, with no look-up, where the build is in English)."""
    code = config.language or ""
    return ENGLISH if code in ("", "en") else Language(code, label, plural)


def plural(singular: str, several: str, n: int) -> str:
    if locale.is_translator_registered(CATALOG):
        return locale.get_translator(CATALOG).ngettext(singular, several, n)
    return singular if n == 1 else several


def messages() -> dict[str | tuple[str, str], list[str]]:
    """Every message of the catalogue (a plural as its two forms), with its places."""
    found: dict[str | tuple[str, str], list[str]] = {}
    options = {"templates/**.html": {"extensions": "jinja2.ext.i18n"}}
    for path, line, message, _comments, _context in extract_from_dir(
        _HERE, method_map=list(_SOURCES.items()), options_map=options
    ):
        key = message if isinstance(message, str) else (message[0], message[1])
        found.setdefault(key, []).append(f"sphinx_llmarch/ext/{path}:{line}")
    for name, text in LABELS.items():
        found.setdefault(text, []).append(f"describe/rows.py LABELS[{name!r}]")
    for pure, place in _pure_messages():
        found.setdefault(pure, []).append(place)
    return found


def _pure_messages() -> Iterable[tuple[str | tuple[str, str], str]]:
    """The messages the pure layers mark, with their places.  Babel says on standard
    error that it skips each f-string given as a sketch's label (a label with values,
    which stays as it is drawn); it is not told."""
    for layer in _PURE:
        with contextlib.redirect_stderr(io.StringIO()):
            found = list(
                extract_from_dir(
                    _HERE.parent / layer,
                    method_map=[("**.py", "python")],
                    keywords=_SKETCH_MARKS if layer == "mechanisms" else _MARKS,
                )
            )
        for path, line, message, _comments, _context in found:
            text = message if isinstance(message, str) else (message[0], message[1])
            if all(text):
                yield text, f"sphinx_llmarch/{layer}/{path}:{line}"


def template() -> bytes:
    """The catalogue's template (``.pot``), as gettext tools read it."""
    catalog = Catalog(project="sphinx-llmarch", domain=CATALOG)
    for text, places in sorted(messages().items(), key=lambda item: str(item[0])):
        catalog.add(text, locations=[(place, 0) for place in places])
    out = io.BytesIO()
    write_po(out, catalog, omit_header=False, include_lineno=False, sort_output=True)
    return out.getvalue()


def _project_dirs(app: Sphinx, config: Config) -> Iterable[Path]:
    """The project's locale folders holding this catalogue, each compiled if it changed."""
    repo = CatalogRepository(
        app.srcdir, config.locale_dirs, config.language, config.source_encoding
    )
    for catalog in repo.catalogs:
        if catalog.domain == CATALOG:
            if catalog.is_outdated():
                catalog.write_mo(config.language, config.gettext_allow_fuzzy_translations)
            yield catalog.base_dir.parent.parent


def load_catalogues(app: Sphinx, config: Config) -> None:
    locale.init(list(_project_dirs(app, config)), config.language, CATALOG)


def write_template(app: Sphinx, exception: Exception | None) -> None:
    """The gettext builder's output gains the extension's template beside the pages'."""
    if exception is None and app.builder.name == "gettext":
        Path(app.outdir, f"{CATALOG}.pot").write_bytes(template())


def setup_i18n(app: Sphinx) -> None:
    app.connect("config-inited", load_catalogues)
    app.connect("build-finished", write_template)

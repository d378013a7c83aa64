"""The extension's labels go through Sphinx's locale machinery, in their own catalogue."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from sphinx_llmarch.describe.rows import LABELS
from sphinx_llmarch.ext.html import OVERVIEW
from sphinx_llmarch.ext.i18n import CATALOG, messages

from .conftest import warning_lines

GERMAN = {
    "Parameters": "Parameterzahl",
    "Layer mix": "Schichtfolge",
    "Vocabulary": "Wortschatz",
    "Model": "Modell",
    "Released": "Veröffentlicht",
}

PAGE = """# Seite

```{llmarch} tiny-gqa
```

```{llmarch-models}
```
"""


def _po(words: dict[str, str]) -> str:
    entries = "".join(f'\nmsgid "{en}"\nmsgstr "{de}"\n' for en, de in words.items())
    return 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n' + entries


@pytest.fixture
def project(rootdir: Path, tmp_path: Path) -> Path:
    src = tmp_path / "src"
    (src / "models").mkdir(parents=True)
    shutil.copy(rootdir / "test-gallery" / "models" / "tiny-gqa.yaml", src / "models")
    (src / "conf.py").write_text(
        'extensions = ["myst_parser", "sphinx_llmarch"]\nlocale_dirs = ["locale"]\n'
    )
    (src / "index.md").write_text(PAGE)
    messages_dir = src / "locale" / "de" / "LC_MESSAGES"
    messages_dir.mkdir(parents=True)
    (messages_dir / f"{CATALOG}.po").write_text(_po(GERMAN), encoding="utf-8")
    return src


def in_german(make_app, project: Path, tmp_path: Path):
    app = make_app(
        "html",
        srcdir=project,
        builddir=tmp_path / "de",
        freshenv=True,
        confoverrides={"language": "de"},
    )
    app.build()
    return app


def test_a_german_catalogue_translates_the_labels(make_app, project: Path, tmp_path) -> None:
    app = in_german(make_app, project, tmp_path)
    assert warning_lines(app) == []
    page = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    for german in GERMAN.values():
        assert german in page
    assert ">Parameters<" not in page and ">Layer mix<" not in page
    # the catalogue was compiled where Sphinx compiles a project's catalogues
    assert (project / "locale" / "de" / "LC_MESSAGES" / f"{CATALOG}.mo").is_file()


def test_without_the_language_the_labels_stay_english(make_app, project: Path, tmp_path) -> None:
    app = make_app("html", srcdir=project, builddir=tmp_path / "en", freshenv=True)
    app.build()
    page = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    assert ">Parameters<" in page and "Parameterzahl" not in page


def test_the_gettext_builder_writes_the_extensions_catalogue(
    make_app, project: Path, tmp_path
) -> None:
    app = make_app("gettext", srcdir=project, builddir=tmp_path / "pot", freshenv=True)
    app.build()
    assert warning_lines(app) == []
    with (Path(app.outdir) / f"{CATALOG}.pot").open("rb") as file:
        template = read_po(file)
    ids = {message.id for message in template if message.id}
    assert set(LABELS.values()) | {text for _, text in OVERVIEW} <= ids
    # the page's own catalogue holds the page's words, not the extension's
    page = (Path(app.outdir) / "index.pot").read_text(encoding="utf-8")
    assert "Vocabulary" not in page


def test_every_marked_message_is_in_the_catalogue() -> None:
    found = messages()
    assert all(places for places in found.values())
    assert "Total parameters" in found


def test_the_gallery_speaks_the_catalogues_language(make_app, project: Path, tmp_path) -> None:
    words = {
        "Compare as": "Vergleichen als",
        "Clear": "Leeren",
        "%(num)d model": "%(num)d Modell",
        "Licence: %(licence)s": "Lizenz: %(licence)s",
    }
    po = project / "locale" / "de" / "LC_MESSAGES" / f"{CATALOG}.po"
    plural = (
        '\nmsgid "%(num)d model"\nmsgid_plural "%(num)d models"\n'
        'msgstr[0] "%(num)d Modell"\nmsgstr[1] "%(num)d Modelle"\n'
    )
    header = '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n'
    singles = {k: v for k, v in words.items() if k != "%(num)d model"}
    po.write_text(
        _po(singles).replace('charset=UTF-8\\n"\n', 'charset=UTF-8\\n"\n' + header, 1) + plural
    )
    (project / "gallery.md").write_text("# Galerie\n\n```{llmarch-gallery}\n:compare: index\n```\n")
    index = project / "index.md"
    index.write_text(index.read_text() + "\n```{toctree}\ngallery\n```\n")
    app = in_german(make_app, project, tmp_path)
    page = (Path(app.outdir) / "gallery.html").read_text(encoding="utf-8")
    assert "1 Modell</p>" in page and "Vergleichen als" in page and ">Leeren<" in page
    assert "Lizenz: " in page and "Compare as" not in page
    found = messages()
    assert {"Compare as", "Clear", "Diagram of %(name)s"} <= set(found)
    assert ("%(num)d model", "%(num)d models") in found

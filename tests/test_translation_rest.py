"""The poster, the family tree, the compare page's data and the diagrams' text
descriptions speak the build's language too; English stays as it was."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest

from sphinx_llmarch.draw import charts
from sphinx_llmarch.draw.figure import figure_spec
from sphinx_llmarch.draw.poster import entries_from
from sphinx_llmarch.draw.posterkey import LEGEND, header
from sphinx_llmarch.draw.postersvg import poster_svg
from sphinx_llmarch.ext.export import DATA_SCRIPT
from sphinx_llmarch.ext.i18n import CATALOG
from sphinx_llmarch.mechanisms.words import N_, Language
from sphinx_llmarch.model.figures import compute
from sphinx_llmarch.model.loader import load_file
from sphinx_llmarch.model.store import ModelStore

from .conftest import MODELS
from .test_translation import _po, in_german, project  # noqa: F401 - a fixture

#: the poster's, the family tree's, the compare page's and the description's words
REST = {
    "Every model to scale": "Alle Modelle maßstabsgetreu",
    "10 layers high": "10 Schichten hoch",
    "Mixture of experts": "Expertenmischung",
    "%(size)s computed": "%(size)s berechnet",
    "%(size)s parameters": "%(size)s Parameter",
    "Family tree": "Stammbaum",
    "Layers": "Schichten",
    "{} layers": "{} Schichten",
    "– means the model has none.": "– heißt: das Modell hat keine.",
    "Attention: %(attention)s. Feed-forward: %(ffn)s. ": (
        "Aufmerksamkeit: %(attention)s. Vorwärtsnetz: %(ffn)s. "
    ),
}
PAGE = """# Seite

```{llmarch} tiny-gqa
```

```{llmarch-poster}
```

```{llmarch-chart} family-tree
```
"""
#: the poster of every bundled model in English, light: its SHA-256 before its words
#: became messages (a change to the poster's drawing changes this on purpose: last when
#: the key and each line of models became a group, for drawing the PNG in strips; the
#: same elements as before, with the same attributes, grouped by line)
ENGLISH_POSTER = "e81d5d23e98949acc3193600dc13519ca27b707380638b5dc29f336a3ec35c3e"


@pytest.fixture
def site(project: Path, rootdir: Path) -> Path:  # noqa: F811 - the fixture imported above
    shutil.copy(rootdir / "test-gallery" / "models" / "tiny-mla.yaml", project / "models")
    (project / "index.md").write_text(PAGE)
    po = project / "locale" / "de" / "LC_MESSAGES" / f"{CATALOG}.po"
    po.write_text(_po(REST), encoding="utf-8")
    return project


def _data(outdir: Path) -> dict[str, object]:
    text = (outdir / DATA_SCRIPT).read_text(encoding="utf-8")
    found = re.search(r"=\s*(\{.*\})\s*;?\s*$", text, re.DOTALL)
    assert found is not None
    data: dict[str, object] = json.loads(found[1])
    return data


def test_a_german_build_speaks_german_everywhere(make_app, site: Path, tmp_path: Path) -> None:
    app = in_german(make_app, site, tmp_path)
    outdir = Path(app.outdir)
    page = (outdir / "index.html").read_text(encoding="utf-8")
    poster = (outdir / "llmarch-poster-light.svg").read_text(encoding="utf-8")
    for text in (page, poster):
        assert ">Alle Modelle maßstabsgetreu</" in text and ">10 Schichten hoch</" in text
        assert ">Expertenmischung</" in text and " berechnet Parameter</text>" in text
        assert "Every model to scale" not in text and "Mixture of experts" not in text
    assert re.search(r"<title[^>]*>Stammbaum</title>", page)
    # the diagram's text description, its names and figures kept
    assert re.search(r"Aufmerksamkeit: [^<]*GQA[^<]*\. Vorwärtsnetz: ", page)
    assert "Attention: " not in page
    data = _data(outdir)
    assert data["fields"]["layers"] == "Schichten"  # type: ignore[index]
    assert data["none_note"] == "– heißt: das Modell hat keine."
    assert ["layers", "swap", "{} Schichten"] in data["aspect_kinds"]  # type: ignore[operator]


def test_the_english_build_stays_english(make_app, site: Path, tmp_path: Path) -> None:
    app = make_app("html", srcdir=site, builddir=tmp_path / "en", freshenv=True)
    app.build()
    outdir = Path(app.outdir)
    page = (outdir / "index.html").read_text(encoding="utf-8")
    poster = (outdir / "llmarch-poster-light.svg").read_text(encoding="utf-8")
    assert ">Every model to scale</" in poster and ">Every model to scale</" in page
    assert re.search(r"<title[^>]*>Family tree</title>", page)
    assert "Attention: " in page and not any(v in page + poster for v in REST.values())
    data = _data(outdir)
    assert data["fields"]["layers"] == "Layers"  # type: ignore[index]
    assert ["layers", "swap", "{} layers"] in data["aspect_kinds"]  # type: ignore[operator]


def test_the_english_poster_is_byte_for_byte_as_before() -> None:
    store = ModelStore(MODELS)
    entries = entries_from(store, [path.stem for path in MODELS.glob("*.yaml")])
    digest = hashlib.sha256(poster_svg(entries, "light").encode()).hexdigest()
    assert digest == ENGLISH_POSTER


def _german(words: dict[str, str]) -> Language:
    return Language("de", lambda text: words.get(text, text))


def test_the_poster_in_a_language_says_its_years_counts_and_tooltips(rootdir: Path) -> None:
    store = ModelStore(rootdir / "test-gallery" / "models")
    words = {
        "%(name)s: %(mix)s; %(count)s layers, hidden size %(hidden)s; %(size)s": (
            "%(name)s: %(mix)s; %(count)s Schichten, Breite %(hidden)s; %(size)s"
        ),
        "%(size)s computed": "%(size)s berechnet",
    }
    svg = poster_svg(entries_from(store, ["tiny-gqa", "tiny-mla"]), "light", words=_german(words))
    assert re.search(r"<title>Tiny[^<]*Schichten, Breite [\d,.]+; [^<]* berechnet</title>", svg)


def test_the_family_trees_more_is_said_in_the_language() -> None:
    lines = [f"change {i}" for i in range(charts.EDGE_LINES + 3)]
    german = _german({"… %(count)s more": "… %(count)s weitere"})
    assert charts.edge_label(lines, german).endswith("… 4 weitere")
    assert charts.edge_label(lines).endswith("… 4 more")


def test_a_description_is_said_in_the_language(rootdir: Path) -> None:
    model = load_file(rootdir / "test-gallery" / "models" / "tiny-gqa.yaml").model
    assert model is not None
    english = figure_spec(model, compute(model)).description
    total = N_("%(total)s parameters in total, %(active)s active per token; ")
    words = {total: "%(total)s Parameter insgesamt, %(active)s aktiv je Token; "}
    german = figure_spec(model, compute(model), words=_german(words)).description
    assert "parameters in total" in english and "Parameter insgesamt" in german
    back = german.replace(" Parameter insgesamt, ", " parameters in total, ")
    assert back.replace(" aktiv je Token; ", " active per token; ") == english


def test_a_longer_legend_word_moves_the_second_column_clear_of_it() -> None:
    long = "Lokale Aufmerksamkeit (gleitendes Fenster oder Abschnitte, je nach Modell)"
    german = _german({"Local attention (sliding window or chunks)": long})

    def second_column(words: Language) -> float:
        keys = [e for e in header(3, words) if e.get("class") == "lp-key" and e.text]
        first = next(e for e in keys if e.text in (long, LEGEND[1][1]))
        second = next(e for e in keys if e.text == LEGEND[3][1])
        return float(second.get("x", 0)) - float(first.get("x", 0))

    assert second_column(Language()) == 460
    assert second_column(german) > len(long) * 0.58 * 16

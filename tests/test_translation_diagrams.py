"""The words inside the diagrams and the memory tables go through the extension's catalogue
too, and a figure drawn in one language is never reused in another."""

from __future__ import annotations

import copy
import pickle
import re
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from sphinx_llmarch.describe.records import summary_of
from sphinx_llmarch.draw import charts
from sphinx_llmarch.draw.figure import FigureSpec, figure_spec
from sphinx_llmarch.draw.memorychart import memory_chart
from sphinx_llmarch.ext.docimages import stem_of
from sphinx_llmarch.ext.i18n import CATALOG, messages
from sphinx_llmarch.mechanisms.words import Joined, Language, Phrase
from sphinx_llmarch.model.figures import compute
from sphinx_llmarch.model.loader import load_file

from .conftest import MODELS, warning_lines
from .test_translation import GERMAN, _po, in_german, project  # noqa: F401 - a fixture

#: words of tiny-gqa's diagram and memory table, and their German
DIAGRAM = {
    "Tokenized text": "Tokenisierter Text",
    "Token embedding": "Token-Einbettung",
    "Linear output layer": "Lineare Ausgabeschicht",
    "Grouped-query attention": "Gruppierte Abfrage-Attention",
    "Feed forward": "Vorwärtsnetz",
    "%(count)s ×": "%(count)s-mal",
    "vocabulary %(size)s": "Wortschatz %(size)s",
    "context %(count)s tokens": "Kontext %(count)s Token",
    "Memory": "Speicherbedarf",
    "Total with weights": "Gesamt mit Gewichten",
    "%(short)s (%(count)s tokens)": "%(short)s (%(count)s Token)",
}
MODEL_PAGE = "models/tiny-gqa.html"


def _inline_svg(page: str) -> str:
    found = re.search(r"<svg\b.*?</svg>", page, re.DOTALL)
    assert found is not None
    return found[0]


@pytest.fixture
def catalogue(project: Path) -> Path:  # noqa: F811 - the fixture imported above
    po = project / "locale" / "de" / "LC_MESSAGES" / f"{CATALOG}.po"
    po.write_text(_po(GERMAN | DIAGRAM), encoding="utf-8")
    return project


def test_a_german_build_draws_german_words(make_app, catalogue: Path, tmp_path: Path) -> None:
    app = in_german(make_app, catalogue, tmp_path)
    assert warning_lines(app) == []
    svg = _inline_svg((Path(app.outdir) / "index.html").read_text(encoding="utf-8"))
    for german in ("Tokenisierter Text", "Token-Einbettung", "Lineare Ausgabeschicht"):
        assert f">{german}</text>" in svg
    assert "Gruppierte Abfrage-Attention" in svg and "Vorwärtsnetz" in svg
    assert re.search(r">\d+-mal</text>", svg)  # the block's repeat count, its number kept
    assert "Wortschatz " in svg and "Token</text>" in svg
    assert "Tokenized text" not in svg and "Grouped-query attention" not in svg
    page = (Path(app.outdir) / MODEL_PAGE).read_text(encoding="utf-8")
    assert "Gesamt mit Gewichten" in page and ">Speicherbedarf<" in page
    assert re.search(r"\d+k \([\d,.]+ Token\)", page)
    assert "Total with weights" not in page


def test_the_english_build_of_the_same_source_stays_english(
    make_app, catalogue: Path, tmp_path: Path
) -> None:
    app = make_app("html", srcdir=catalogue, builddir=tmp_path / "en", freshenv=True)
    app.build()
    svg = _inline_svg((Path(app.outdir) / "index.html").read_text(encoding="utf-8"))
    assert ">Tokenized text</text>" in svg and "Grouped-query attention" in svg
    assert not any(german in svg for german in DIAGRAM.values() if "%" not in german)
    page = (Path(app.outdir) / MODEL_PAGE).read_text(encoding="utf-8")
    assert "Total with weights" in page and "Gesamt mit Gewichten" not in page


def test_switching_language_never_reuses_the_other_languages_figure(
    make_app, catalogue: Path, tmp_path: Path
) -> None:
    """One output and doctree folder, German then English then German: each build draws
    its own language, and the figure cache keeps one figure per language."""
    figures = tmp_path / "de" / "doctrees" / "llmarch-svg" / "figures"
    in_german(make_app, catalogue, tmp_path)
    german = set(figures.glob("*.svg"))
    assert german
    english = make_app("html", srcdir=catalogue, builddir=tmp_path / "de")
    english.build()
    svg = _inline_svg((Path(english.outdir) / "index.html").read_text(encoding="utf-8"))
    assert ">Tokenized text</text>" in svg and "Tokenisierter" not in svg
    standalone = Path(english.outdir) / "_images" / "llmarch" / "tiny-gqa-full-light.svg"
    assert "Tokenized text" in standalone.read_text(encoding="utf-8")
    assert set(figures.glob("*.svg")) > german  # English figures beside the German ones
    again = make_app(
        "html", srcdir=catalogue, builddir=tmp_path / "de", confoverrides={"language": "de"}
    )
    again.build()
    assert "Tokenisierter Text" in (Path(again.outdir) / "index.html").read_text(encoding="utf-8")
    assert "Tokenisierter Text" in standalone.read_text(encoding="utf-8")


def test_the_language_is_part_of_the_figures_key(rootdir: Path) -> None:
    """Even where no word of a diagram has a translation, its German figure is not the
    English one."""
    model = load_file(rootdir / "test-gallery" / "models" / "tiny-gqa.yaml").model
    assert model is not None
    figures = compute(model)
    english = figure_spec(model, figures)
    untranslated = figure_spec(model, figures, words=Language("de", lambda text: text))
    assert english.main == untranslated.main and english.key() != untranslated.key()
    assert english.language == "" and untranslated.language == "de"
    # the pictures of PDF and EPUB output are kept apart by language too
    assert stem_of(english) == "tiny-gqa-full" and stem_of(untranslated) == "tiny-gqa-full-de"


def test_the_catalogue_holds_the_diagrams_words(make_app, catalogue: Path, tmp_path) -> None:
    found = messages()
    # a mechanism's name, a sketched box, a side panel's title, a template with its values
    for message in (
        "Grouped-query attention",
        "Linear (Q, K, V)",
        "MoE layer",
        "Layer schedule",
        "%(count)s ×",
        "Total with weights",
    ):
        assert message in found, message
    assert any(place.startswith("sphinx_llmarch/mechanisms/") for place in found["MoE layer"])
    # a sketch's node names and a panel's anchor are never taken for its words
    assert not {"attn", "ffn", "block", "in", "out", "router", "sdpa", "qkv"} & set(found)
    app = make_app("gettext", srcdir=catalogue, builddir=tmp_path / "pot", freshenv=True)
    app.build()
    assert warning_lines(app) == []
    with (Path(app.outdir) / f"{CATALOG}.pot").open("rb") as file:
        template = {message.id: message for message in read_po(file) if message.id}
    assert {"Grouped-query attention", "Layer schedule", "Tokenized text"} <= set(template)
    assert any("panels.py" in place for place, _ in template["Layer schedule"].locations)


def test_the_memory_chart_titles_its_axis_in_the_language(rootdir: Path) -> None:
    model = load_file(rootdir / "test-gallery" / "models" / "tiny-gqa.yaml").model
    assert model is not None
    summaries = {model.slug: summary_of(model, compute(model))}
    german = {"Context (tokens, logarithmic)": "Kontext (Token, logarithmisch)"}
    words = Language("de", lambda text: german.get(text, text))
    svg = memory_chart(summaries, [model.slug], words=words)
    assert ">Kontext (Token, logarithmisch)</text>" in svg
    assert ">Context (tokens, logarithmic)</text>" in memory_chart(summaries, [model.slug])
    assert "Context (tokens, logarithmic)" in messages()


def test_a_phrase_is_english_text_said_again_in_the_language() -> None:
    """Words put together from a message and values (a mechanism's name inside a longer
    one, its heads) read as before in English and are said anew in another language."""
    inner = Phrase("grouped-query attention")
    title = Phrase("Sliding-window %(base)s", base=inner)
    notes = Joined(", ", [Phrase("attention sinks"), "QKV biases"])
    assert title == "Sliding-window grouped-query attention"
    assert notes == "attention sinks, QKV biases"
    german = {
        "Sliding-window %(base)s": "%(base)s mit gleitendem Fenster",
        "grouped-query attention": "Gruppenabfrage-Attention",
        "attention sinks": "Attention-Senken",
    }
    words = Language("de", lambda text: german.get(text, text))
    assert words.label(title) == "Gruppenabfrage-Attention mit gleitendem Fenster"
    assert words.label(notes) == "Attention-Senken, QKV biases"
    # kept in pickled doctrees and copied into specs, they remember what they are made of
    for again in (pickle.loads(pickle.dumps(title)), copy.deepcopy(title)):
        assert words.label(again) == words.label(title) and again == title
    assert words.label(pickle.loads(pickle.dumps(notes))) == words.label(notes)
    assert {"Sliding-window %(base)s", "grouped-query attention"} <= set(messages())


MLA_GERMAN = {
    "%(heads)s heads, head dim %(dim)s": "%(heads)s Köpfe, Kopfbreite %(dim)s",
    "Attention\n(%(heads)s heads)": "Attention\n(%(heads)s Köpfe)",
    "Linear (down)\n→ %(size)s": "Linear (abwärts)\n→ %(size)s",
    "KV latent %(size)s\n(cached)": "KV-Latent %(size)s\n(im Cache)",
    "MoE layer": "MoE-Schicht",
    "Expert %(number)s": "Experte %(number)s",
    "%(active)s of %(experts)s routed experts per token": "%(active)s von %(experts)s Experten je Token",
    "%(kind)s: %(experts)s experts, %(active)s active": "%(kind)s: %(experts)s Experten, %(active)s aktiv",
    "Feed forward (%(act)s)": "Vorwärtsnetz (%(act)s)",
    "Each expert: feed forward (%(act)s)": "Jeder Experte: Vorwärtsnetz (%(act)s)",
    "%(size)s (each expert)": "%(size)s (je Experte)",
}


def test_mla_and_moe_words_are_said_in_the_language(rootdir: Path) -> None:
    """Words with a model's numbers in them (heads, widths, expert counts) are said in the
    language with the numbers kept; what has no translation stays as it was."""
    model = load_file(rootdir / "test-gallery" / "models" / "tiny-mla.yaml").model
    assert model is not None
    figures = compute(model)
    words = Language("de", lambda text: MLA_GERMAN.get(text, text))
    german, english = figure_spec(model, figures, words=words), figure_spec(model, figures)
    notes = {line for a in german.annotations for line in a.lines}
    assert "4 Köpfe, Kopfbreite 32+16" in notes
    assert any(line.endswith(": MoE: 8 Experten, 2 aktiv + 1 shared") for line in notes)
    panels = {p.key: p for p in german.panels}
    mla = next(p for key, p in panels.items() if key.startswith("mixer-mla"))
    assert 'label="Attention\\n(4 Köpfe)"' in mla.dot and "KV-Latent 32" in mla.dot
    assert 'label="Linear (abwärts)\\n→ 64"' in mla.dot
    assert panels["moe"].title == "MoE-Schicht" and 'label="Experte 8"' in panels["moe"].dot
    assert "2 von 8 Experten je Token" in panels["moe"].notes
    titles = {p.title for p in german.panels}
    assert "Vorwärtsnetz (SwiGLU)" in titles
    assert any("(je Experte)" in note for p in german.panels for note in p.notes)
    # the same figure in English, word for word as before
    english_notes = {line for a in english.annotations for line in a.lines}
    assert "4 heads, head dim 32+16" in english_notes
    assert {p.title for p in english.panels} >= {"MoE layer", "Feed forward (SwiGLU)"}
    found = messages()
    assert set(MLA_GERMAN) <= set(found), set(MLA_GERMAN) - set(found)


def test_a_comparison_says_its_key_and_summary_in_the_language(
    make_app, catalogue: Path, rootdir: Path, tmp_path: Path
) -> None:
    shutil.copy(rootdir / "test-gallery" / "models" / "tiny-mla.yaml", catalogue / "models")
    (catalogue / "compare.md").write_text(
        "# Vergleich\n\n```{llmarch-compare} tiny-gqa tiny-mla\n```\n"
    )
    index = catalogue / "index.md"
    index.write_text(index.read_text() + "\n```{toctree}\ncompare\n```\n")
    po = catalogue / "locale" / "de" / "LC_MESSAGES" / f"{CATALOG}.po"
    header = '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n'
    outlined = (
        "Outlined: the boxes and side panels that differ between the diagrams "
        "(another mechanism, other sizes, or in one model only)."
    )
    text = _po(GERMAN | DIAGRAM | {outlined: "Umrandet: was sich unterscheidet."})
    po.write_text(
        text.replace('charset=UTF-8\\n"\n', 'charset=UTF-8\\n"\n' + header, 1)
        + '\nmsgid "%(num)d architectural difference: %(list)s"\n'
        'msgid_plural "%(num)d architectural differences: %(list)s"\n'
        'msgstr[0] "%(num)d Unterschied im Aufbau: %(list)s"\n'
        'msgstr[1] "%(num)d Unterschiede im Aufbau: %(list)s"\n',
        encoding="utf-8",
    )
    app = in_german(make_app, catalogue, tmp_path)
    assert warning_lines(app) == []
    page = (Path(app.outdir) / "compare.html").read_text(encoding="utf-8")
    assert re.search(r"<p>\d+ Unterschiede im Aufbau: ", page)
    assert "Umrandet: was sich unterscheidet." in page and "Outlined:" not in page
    assert page.count(">Tokenisierter Text</text>") == 2  # both diagrams in German


def test_the_charts_title_their_axes_in_the_language(rootdir: Path) -> None:
    summaries = []
    for slug in ("tiny-gqa", "tiny-mla"):
        model = load_file(rootdir / "test-gallery" / "models" / f"{slug}.yaml").model
        assert model is not None
        summaries.append(summary_of(model, compute(model)))
    german = {
        "Release date": "Veröffentlichung",
        "Mixture of experts": "Expertenmischung",
        "KV cache per token, bf16 (linear scale)": "KV-Cache je Token, bf16 (linear)",
        "Share of parameters active per token (linear scale)": "Aktiver Anteil (linear)",
    }
    words = Language("de", lambda text: german.get(text, text))
    timeline = charts.timeline(summaries, words=words)
    assert ">Veröffentlichung</text>" in timeline and ">Expertenmischung</text>" in timeline
    assert ">KV-Cache je Token, bf16 (linear)</text>" in charts.kv_cache(summaries, words=words)
    assert ">Aktiver Anteil (linear)</text>" in charts.active_share(summaries, words=words)
    assert ">Release date</text>" in charts.timeline(summaries)
    assert set(german) <= set(messages())


#: what a diagram writes that is a name, not a word to translate
NAMES = re.compile(r"RMSNorm|LayerNorm|PolyNorm|QK-norm|Softplus")
_DOT_LABEL = re.compile(r'\b(?:label|taillabel)="((?:[^"\\]|\\.)*)"')


def _drawn_lines(spec: FigureSpec) -> list[str]:
    texts = [spec.title, *spec.footer, *(line for a in spec.annotations for line in a.lines)]
    for dot in [spec.main, *(p.dot for p in spec.panels)]:
        texts += [label.replace("\\n", "\n") for label in _DOT_LABEL.findall(dot)]
    texts += [text for p in spec.panels for text in (p.title, *p.notes)]
    return [line for text in texts for line in text.split("\n")]


@pytest.fixture(scope="module")
def known() -> set[str]:
    return {message for message in messages() if isinstance(message, str)}


@pytest.mark.parametrize("path", sorted(MODELS.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_word_of_a_diagram_is_a_message(path: Path, known: set[str]) -> None:
    """Drawn with a translator that marks every message it is asked for, no word of any
    model's diagram is left over but names: a mechanism whose words are not messages
    (an f-string where a phrase should be) fails here."""
    marked = Language("xx", lambda text: "¤" if text in known else text)
    model = load_file(path).model
    if model is None:
        pytest.skip("not a valid model")
    spec = figure_spec(model, compute(model), words=marked)
    for line in _drawn_lines(spec):
        left = NAMES.sub("", line.replace(model.spec.name, "").replace("¤", ""))
        assert not re.search(r"[a-z]{3,}", left), line

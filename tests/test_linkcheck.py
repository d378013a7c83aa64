"""Links that last: ``nox -s linkcheck`` runs Sphinx's linkcheck builder, and the builder
finds every source URL of every model file (offline here: every link is ignored, so no
request is made, yet each is reported)."""

from __future__ import annotations

import ast
import json
import pickle
import re
from collections.abc import Iterator
from pathlib import Path

import yaml
from docutils import nodes

from sphinx_llmarch.ext.facttable import expand_tables

from .conftest import MODELS, REPO, TESTS, warning_lines

GALLERY = TESTS / "roots" / "test-gallery"


def urls(value: object) -> Iterator[str]:
    """Every URL among the values of a model file."""
    if isinstance(value, str) and re.match(r"https?://", value):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from urls(item)
    elif isinstance(value, list):
        for item in value:
            yield from urls(item)


def model_urls(folder: Path) -> dict[str, set[str]]:
    return {p.stem: set(urls(yaml.safe_load(p.read_text()))) for p in sorted(folder.glob("*.yaml"))}


def test_the_nox_session_runs_the_linkcheck_builder() -> None:
    tree = ast.parse((REPO / "noxfile.py").read_text())
    (session,) = [f for f in tree.body if isinstance(f, ast.FunctionDef) and f.name == "linkcheck"]
    assert any("session" in ast.unparse(d) for d in session.decorator_list)
    runs = [
        [ast.literal_eval(a) for a in call.args if isinstance(a, ast.Constant)]
        for call in ast.walk(session)
        if isinstance(call, ast.Call) and ast.unparse(call.func) == "session.run"
    ]
    assert len(runs) == 1 and runs[0][:3] == ["sphinx-build", "-b", "linkcheck"]
    assert "." in runs[0]  # the whole site, from the repository's root


def test_the_builder_finds_every_source_of_the_model_files(make_app, tmp_path: Path) -> None:
    app = make_app(
        "linkcheck",
        srcdir=GALLERY,
        builddir=tmp_path,
        freshenv=True,
        confoverrides={"linkcheck_ignore": [r"https?://", r"models\.json"]},
    )
    app.build()
    assert warning_lines(app) == []
    lines = (Path(app.outdir) / "output.json").read_text().splitlines()
    found = [json.loads(line) for line in lines]
    assert {r["status"] for r in found} == {"ignored"}  # nothing was fetched
    for slug, wanted in model_urls(GALLERY / "models").items():
        reported = {r["uri"] for r in found if r["filename"] == f"models/{slug}.yaml"}
        assert wanted and reported == wanted, slug


def test_every_model_page_links_its_sources(site: Path) -> None:
    """On the real site, each model page's doctree holds every URL of its file as a
    reference once its held tables join it (as they do before the linkcheck builder
    collects the links)."""
    doctrees = site.parent / "doctrees" / "models"
    for slug, wanted in model_urls(MODELS).items():
        with (doctrees / f"{slug}.doctree").open("rb") as f:
            tree = pickle.load(f)
        expand_tables(tree)
        refs = {n.get("refuri") for n in tree.findall(nodes.reference)}
        assert wanted and wanted <= refs, (slug, wanted - refs)

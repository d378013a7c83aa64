"""Every model file is a page: a source parser for ``models/<slug>.yaml``.

Registering ``.yaml`` as a source suffix makes Sphinx discover, read, rebuild
and remove model pages like any other document, with no generated files in the
source tree (which would make sphinx-autobuild loop).  The page shows the
diagram, the fact table and the recorded notes; a broken file gives located
warnings and a placeholder page, and the rest of the build goes on.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx.parsers import Parser

from .directives import domain_of, model_store, model_view, placeholder
from .loader import load_text
from .store import figures_of
from .tables import summary_of
from .warnings import warn


class ModelPageParser(Parser):
    """Parse a model YAML file into the model's page."""

    supported = ("llmarch-model",)

    def parse(self, inputstring: str, document: nodes.document) -> None:
        env = document.settings.env
        docname = env.docname
        path = Path(env.doc2path(docname)).resolve()
        source = str(path)
        store = model_store(env)
        # model pages are reached from the gallery and the overview, not the sidebar
        env.metadata[docname]["orphan"] = True
        if path.parent != store.directory:
            warn(
                f"{path.name} is a .yaml source outside llmarch_models_dir ({store.directory}); "
                "exclude it with exclude_patterns",
                "config",
                (docname, None),
            )
            return
        result = load_text(inputstring, path, source)
        section = nodes.section(ids=[f"llmarch-page-{path.stem}"], names=[path.stem])
        section.source, section.line = source, 1
        document += section
        if result.model is None:
            for p in result.problems:
                warn(
                    f"{p.field}: {p.message}" if p.field else p.message,
                    p.subtype,
                    f"{source}:{p.line}",
                )
            section += nodes.title("", path.stem)
            section += placeholder(
                f"{path.name} has {len(result.problems)} problem(s)",
                [str(p).removeprefix(source + ":").lstrip() for p in result.problems],
            )
            return
        model = result.model
        spec = model.spec
        section += nodes.title("", spec.name)
        domain_of(env).note_page(
            spec.slug, docname, spec.name, summary_of(model, figures_of(model))
        )
        if spec.editorial and spec.editorial.summary:
            section += nodes.paragraph("", spec.editorial.summary, classes=["llmarch-summary"])
        section += model_view(model, anchor=f"llmarch-{spec.slug}", source=source, line=1)
        if spec.notes:
            notes = nodes.section(ids=[f"llmarch-notes-{spec.slug}"], names=["notes"])
            notes += nodes.title("", "Notes on the sources")
            items = nodes.bullet_list()
            for note in spec.notes:
                para = nodes.paragraph()
                if note.field:
                    para += nodes.literal("", note.field)
                    para += nodes.Text(": ")
                para += nodes.Text(note.text + " ")
                if note.source:
                    para += nodes.reference("", "(source)", refuri=note.source)
                items += nodes.list_item("", para)
            notes += items
            section += notes

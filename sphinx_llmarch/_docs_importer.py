"""Reference directives about the importer: what it assumes per model type, and the config
keys it treats as carrying no architecture. Both tables are read from the code, so the
docs cannot drift from what ``llmarch import`` does."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from ._docs import table
from .importer.families import FAMILY, Family
from .importer.keys import CONSTANT_FACTORS, GROUPS, IRRELEVANT_WHEN, ROPE_CURVE

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata


class FamiliesReference(SphinxDirective):
    """``.. llmarch-families::`` — what the importer assumes per model type."""

    def run(self) -> list[nodes.Node]:
        defaults = Family()
        rows: list[list[list[nodes.Node]]] = []
        for name, family in sorted(FAMILY.items()):
            facts = [
                f"{field.name.replace('_', ' ')}: {getattr(family, field.name)}"
                for field in dataclasses.fields(Family)
                if getattr(family, field.name) != getattr(defaults, field.name)
            ]
            rows.append(
                [[nodes.literal(name, name)], [nodes.Text("; ".join(facts) or "the defaults")]]
            )
        intro = nodes.paragraph(
            "",
            "Defaults: "
            + "; ".join(
                f"{f.name.replace('_', ' ')}: {getattr(defaults, f.name)}"
                for f in dataclasses.fields(Family)
            ),
        )
        return [
            intro,
            table(["model_type", "What its code does beyond the config"], rows, [25, 75]),
        ]


class IrrelevantKeysReference(SphinxDirective):
    """``.. llmarch-irrelevant-keys::`` — the config keys an import treats as no architecture."""

    def run(self) -> list[nodes.Node]:
        rows: list[list[list[nodes.Node]]] = [
            [[nodes.strong(g.title, g.title)], [nodes.Text(g.why)], _literals(g.keys)]
            for g in GROUPS
        ]
        for key, (when, _) in IRRELEVANT_WHEN.items():
            rows.append([[nodes.literal(key, key)], [nodes.Text(f"Irrelevant when {when}.")], []])
        rows.append(
            [
                [nodes.strong("RoPE scaling curve", "RoPE scaling curve")],
                [
                    nodes.Text(
                        "Constants inside rope_scaling / rope_parameters that shape a scaling's "
                        "curve; the model file records its kind, factor and original context."
                    )
                ],
                _literals(ROPE_CURVE),
            ]
        )
        rows.append(
            [
                [nodes.strong("Constant factors", "Constant factors")],
                [
                    nodes.Text(
                        "Fixed scalars with no weights (muP multipliers, logit and attention "
                        "scales, soft-caps): read, and recorded in the imported file's notes."
                    )
                ],
                _literals(CONSTANT_FACTORS),
            ]
        )
        return [table(["Group", "Why it is no architecture", "Keys"], rows, [18, 37, 45])]


def _literals(keys: Iterable[str]) -> list[nodes.Node]:
    """``a, b, c`` as code, sorted."""
    out: list[nodes.Node] = []
    for i, key in enumerate(sorted(keys)):
        out += [nodes.Text(", ")] if i else []
        out.append(nodes.literal(key, key))
    return out


def setup(app: Sphinx) -> ExtensionMetadata:
    app.add_directive("llmarch-families", FamiliesReference)
    app.add_directive("llmarch-irrelevant-keys", IrrelevantKeysReference)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

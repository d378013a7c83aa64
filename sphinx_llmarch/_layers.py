"""The package's layers: what each holds and which layers it may import.

One table serves the contributor's guide (which draws it) and the tests (which check
every import against it).  Pure data.
"""

from __future__ import annotations

from dataclasses import dataclass

ROOT = "sphinx_llmarch"


@dataclass(frozen=True)
class Layer:
    #: where it lives, from the package's folder
    place: str
    #: what it holds, in a few words
    holds: str
    #: the layers it may import
    imports: tuple[str, ...]
    #: importing it loads neither Sphinx nor docutils
    pure: bool = True


LAYERS: dict[str, Layer] = {
    "mechanisms": Layer(
        "mechanisms/",
        "one module per token mixer, feed-forward kind, position scheme, residual stream and "
        "model-wide feature; "
        "the registry",
        (),
    ),
    "model": Layer(
        "model/",
        "the model file: schema, YAML reading, loading, layer stack, figures",
        ("mechanisms",),
    ),
    "describe": Layer(
        "describe/",
        "wording: layer mixes, rows of facts, named facts, concepts, export records",
        ("model", "mechanisms"),
    ),
    "draw": Layer(
        "draw/",
        "diagrams: DOT, side panels, Graphviz, composition into SVG, theme, charts, poster",
        ("describe", "model", "mechanisms"),
    ),
    "importer": Layer(
        "importer/",
        "config.json → model file: model types, layer builders, YAML",
        ("mechanisms",),
    ),
    "ext": Layer(
        "ext/",
        "the Sphinx extension: directives, domain and roles, nodes, pages, export",
        ("draw", "describe", "model", "mechanisms"),
        pure=False,
    ),
    "cli": Layer(
        "cli.py",
        "the llmarch command: validate, stats, memory, diagram, poster, import, schema",
        ("package", "importer", "draw", "describe", "model", "mechanisms"),
    ),
    "package": Layer(
        "__init__.py",
        "the extension's entry point, setup(); imports ext only when called",
        ("ext",),
    ),
    "docs": Layer(
        "_docs.py",
        "this site's reference pages, generated from the code",
        ("ext", "cli", "importer", "draw", "describe", "model", "mechanisms"),
        pure=False,
    ),
}


def layer_of(module: str) -> str:
    """The layer of a module of the package, by its dotted name."""
    parts = module.split(".")
    if parts == [ROOT]:
        return "package"
    if parts[1] in ("cli", "__main__") or parts[1].startswith("cli_"):
        return "cli"
    if parts[1].startswith("_docs") or parts[1] == "_layers":
        return "docs"
    return parts[1]

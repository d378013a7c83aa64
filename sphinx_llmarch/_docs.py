"""Directives that generate this project's reference pages from the code itself.

Enabled in the project's ``conf.py`` as ``sphinx_llmarch._docs``; not part of the
public extension.  The schema, configuration, warning and CLI references are
rendered from :func:`.model.schema.json_schema`, :data:`.ext.extension.CONFIG`,
:data:`.ext.warnings.SUBTYPES` and the argument parser, so they cannot drift.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.errors import NoUri
from sphinx.transforms import SphinxTransformer
from sphinx.util.docutils import SphinxDirective, new_document

from ._layers import LAYERS
from .cli import build_parser
from .describe import fmt
from .describe.facts import FACTS
from .draw.compose import ComposeError, inline_graph
from .draw.dotwriter import box_graph
from .draw.engine import RenderError
from .draw.text import text_inches, wrap
from .ext.aggregates import Page, add_kind, aggregate_node
from .ext.extension import CONFIG
from .ext.facttable import plain_table
from .ext.state import state_of
from .ext.warnings import SUBTYPES
from .model.schema import json_schema

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata


def table(headers: list[str], rows: list[list[list[nodes.Node]]], widths: list[int]) -> nodes.table:
    """A plain table of text and inline nodes, for every builder."""
    return plain_table(headers, rows, widths, ["llmarch-reference"])


def _rst_inline(text: str) -> list[nodes.Node]:
    """Docstrings use ``code``: turn those spans into literals, the rest into text."""
    out: list[nodes.Node] = []
    for i, part in enumerate(text.split("``")):
        if part:
            out.append(nodes.literal(part, part) if i % 2 else nodes.Text(part))
    return out


class SchemaReference(SphinxDirective):
    """``.. llmarch-schema::`` — every object of the model file with its fields."""

    def run(self) -> list[nodes.Node]:
        schema = json_schema()
        defs: dict[str, Any] = schema.get("$defs", {})
        out: list[nodes.Node] = []
        order = ["ModelSpec", *sorted(defs)]
        for name in order:
            obj = schema if name == "ModelSpec" else defs[name]
            if "properties" not in obj:
                continue
            section = nodes.section(
                ids=[f"schema-{name.lower()}"], names=[f"schema-{name.lower()}"]
            )
            title = "The model file" if name == "ModelSpec" else name
            section += nodes.title("", title)
            if obj.get("description"):
                section += nodes.paragraph(
                    "", "", *_rst_inline(" ".join(obj["description"].split()))
                )
            required = set(obj.get("required", []))
            rows: list[list[list[nodes.Node]]] = []
            for field, prop in obj["properties"].items():
                need = (
                    "required"
                    if field in required
                    else f"default {json.dumps(prop.get('default'))}"
                )
                rows.append(
                    [
                        [nodes.literal(field, field)],
                        self._type(prop),
                        [nodes.Text(need)],
                        _rst_inline(prop.get("description", "")),
                    ]
                )
            section += table(["Field", "Type", "Required", "Meaning"], rows, [16, 30, 14, 40])
            out.append(section)
        return out

    def _type(self, prop: dict[str, Any]) -> list[nodes.Node]:
        if "$ref" in prop:
            target = prop["$ref"].rsplit("/", 1)[-1]
            ref = nodes.reference("", target, refid=f"schema-{target.lower()}")
            return [ref]
        for key in ("anyOf", "oneOf"):
            if key in prop:
                out: list[nodes.Node] = []
                for i, option in enumerate(prop[key]):
                    if i:
                        out.append(nodes.Text(" or "))
                    out.extend(self._type(option))
                return out
        if "enum" in prop:
            return [nodes.Text(" | ".join(json.dumps(v) for v in prop["enum"]))]
        if "const" in prop:
            return [nodes.Text(json.dumps(prop["const"]))]
        kind = prop.get("type", "any")
        if kind == "array":
            return [nodes.Text("list of "), *self._type(prop.get("items", {}))]
        if kind == "object" and isinstance(prop.get("additionalProperties"), dict):
            return [nodes.Text("mapping of name → "), *self._type(prop["additionalProperties"])]
        text = {
            "integer": "integer",
            "number": "number",
            "string": "text",
            "boolean": "true/false",
            "null": "null",
        }.get(kind, kind)
        bounds = []
        if "exclusiveMinimum" in prop:
            bounds.append(f"> {prop['exclusiveMinimum']}")
        if "minimum" in prop:
            bounds.append(f"≥ {prop['minimum']}")
        if "maximum" in prop:
            bounds.append(f"≤ {prop['maximum']}")
        if prop.get("format") == "date":
            text = "date (YYYY-MM-DD)"
        return [nodes.Text(text + (" " + ", ".join(bounds) if bounds else ""))]


class ConfigReference(SphinxDirective):
    """``.. llmarch-config::`` — the configuration values."""

    def run(self) -> list[nodes.Node]:
        rows: list[list[list[nodes.Node]]] = [
            [
                [nodes.literal(name, name)],
                [nodes.literal(repr(value.default), repr(value.default))],
                _rst_inline(value.doc),
            ]
            for name, value in CONFIG.items()
        ]
        return [table(["Name", "Default", "Meaning"], rows, [25, 15, 60])]


class WarningsReference(SphinxDirective):
    """``.. llmarch-warnings::`` — every warning subtype, its cause and its fix."""

    def run(self) -> list[nodes.Node]:
        rows: list[list[list[nodes.Node]]] = [
            [
                [nodes.literal(f"llmarch.{name}", f"llmarch.{name}")],
                _rst_inline(cause),
                _rst_inline(fix),
            ]
            for name, (cause, fix) in SUBTYPES.items()
        ]
        return [table(["Type", "Raised when", "How to fix it"], rows, [18, 42, 40])]


class CliReference(SphinxDirective):
    """``.. llmarch-cli::`` — the help text of the command and each subcommand."""

    def run(self) -> list[nodes.Node]:
        parser = build_parser()
        out: list[nodes.Node] = [nodes.literal_block("", parser.format_help())]
        for action in parser._subparsers._group_actions if parser._subparsers else []:
            for name, sub in getattr(action, "choices", {}).items():
                section = nodes.section(ids=[f"cli-{name}"], names=[f"cli-{name}"])
                section += nodes.title("", f"llmarch {name}")
                section += nodes.literal_block("", sub.format_help())
                out.append(section)
        return out


class FiguresCheck(SphinxDirective):
    """``.. llmarch-figures-check::`` — computed against official figures, for every model.

    Filled from the summaries the environment holds once every page is read
    (:func:`figures_check`), so the page does not depend on every model file.
    """

    def run(self) -> list[nodes.Node]:
        return aggregate_node(self, "figures-check")


def figures_check(p: Page, node: nodes.Element, arg: str) -> list[nodes.Node]:
    """The table of :class:`FiguresCheck`: one row per model page."""
    rows: list[list[list[nodes.Node]]] = []
    builder = p.app.builder
    for slug, s in p.summaries.items():
        total, active = s["official_total"], s["official_active"]
        xref = addnodes.pending_xref(
            "", refdomain="llmarch", reftype="model", reftarget=slug, refexplicit=False
        )
        contnode = nodes.inline(slug, slug)
        try:
            ref = p.domain.resolve_xref(
                p.app.env, p.docname, builder, "model", slug, xref, contnode
            )
        except NoUri:  # LaTeX and Texinfo hold no model page: the name alone
            ref = None
        deviation = f"{s['total_params'] / total - 1:+.1%}" if total else "–"
        rows.append(
            [
                [ref or contnode],
                [nodes.Text(fmt.params(s["total_params"]))],
                [nodes.Text(fmt.params(total) if total else "–")],
                [nodes.Text(deviation)],
                [nodes.Text(fmt.params(s["active_params"]))],
                [nodes.Text(fmt.params(active) if active else "–")],
                [nodes.Text(fmt.bytes_iec(s["kv_cache_bytes_per_token"]))],
            ]
        )
    headers = ["Model", "Total", "Official", "Deviation", "Active", "Official", "KV / token"]
    return _post_transformed(p, [table(headers, rows, [22, 12, 12, 11, 12, 12, 14])])


def _post_transformed(p: Page, new: list[nodes.Node]) -> list[nodes.Node]:
    """``new`` as if it had been read with its page: filled in once the page's own
    post-transforms have run, it gets them here (a theme's wrapper letting wide tables
    scroll, for one)."""
    doc = new_document(p.docname)
    doc.settings.env = p.app.env
    doc.extend(new)
    transformer = SphinxTransformer(doc)
    transformer.set_environment(p.app.env)
    transformer.add_transforms(p.app.registry.get_post_transforms())
    transformer.apply_transforms()
    return list(doc.children)


def _direct(layers: dict[str, tuple[str, ...]]) -> dict[str, list[str]]:
    """The imports each layer needs drawn: those no path through another layer implies."""

    def reach(start: str) -> set[str]:
        seen: set[str] = set()
        todo = list(layers[start])
        while todo:
            layer = todo.pop()
            if layer not in seen:
                seen.add(layer)
                todo.extend(layers[layer])
        return seen

    return {
        name: [t for t in targets if not any(t in reach(o) for o in targets if o != t)]
        for name, targets in layers.items()
    }


def layers_dot() -> str:
    """The layers as a graph, top (what users call) to bottom (what everything builds on)."""
    g = box_graph("layers", "TB", nodesep=0.3, arrowsize=0.6, margin="0.12,0.06")
    for name, layer in LAYERS.items():
        css = "llmarch-linear" if layer.pure else "llmarch-moe"
        lines = [layer.place, *wrap(layer.holds, 34)]
        width = round(text_inches(lines, 11) + 0.4, 2)
        g.node(name, id=name, label="\n".join(lines), width=width, **{"class": css})
    for name, targets in _direct({n: layer.imports for n, layer in LAYERS.items()}).items():
        for target in targets:
            g.edge(name, target)
    return str(g)


class LayersMap(SphinxDirective):
    """``.. llmarch-layers::`` — the package's layers, drawn from the table the tests check."""

    def run(self) -> list[nodes.Node]:
        out: list[nodes.Node] = []
        try:
            raw = state_of(self.env).renderer.cache.get(layers_dot())
            svg = inline_graph(
                raw,
                "llmarch-layers",
                "The layers of sphinx_llmarch",
                "Each layer imports only the layers below it that an arrow reaches.",
            )
            out.append(nodes.raw("", f'<div class="llmarch-diagram">{svg}</div>', format="html"))
        except (RenderError, ComposeError) as exc:
            out.append(nodes.paragraph("", f"[the layers could not be drawn: {exc}]"))
        rows: list[list[list[nodes.Node]]] = [
            [
                [nodes.literal(layer.place, layer.place)],
                [nodes.Text(layer.holds)],
                [nodes.Text(", ".join(layer.imports) or "nothing of the package")],
                [nodes.Text("no" if layer.pure else "yes")],
            ]
            for layer in LAYERS.values()
        ]
        headers = ["Where", "What it holds", "May import", "Loads Sphinx"]
        out.append(table(headers, rows, [16, 46, 26, 12]))
        return out


class FactsReference(SphinxDirective):
    """``.. llmarch-facts::`` — the named facts of the ``llmarch:fact`` role."""

    def run(self) -> list[nodes.Node]:
        store = state_of(self.env).store
        example = store.load("deepseek-v3").model
        rows: list[list[list[nodes.Node]]] = []
        for name, fact in FACTS.items():
            value = fact.compute(example, store.figures(example)) if example else ""
            rows.append(
                [[nodes.literal(name, name)], [nodes.Text(fact.meaning)], [nodes.Text(value)]]
            )
        return [table(["Name", "Meaning", "deepseek-v3"], rows, [25, 50, 25])]


def setup(app: Sphinx) -> ExtensionMetadata:
    app.add_directive("llmarch-schema", SchemaReference)
    app.add_directive("llmarch-config", ConfigReference)
    app.add_directive("llmarch-warnings", WarningsReference)
    app.add_directive("llmarch-cli", CliReference)
    app.add_directive("llmarch-figures-check", FiguresCheck)
    add_kind("figures-check", figures_check)
    app.add_directive("llmarch-layers", LayersMap)
    app.add_directive("llmarch-facts", FactsReference)
    return {"version": "0", "parallel_read_safe": True, "parallel_write_safe": True}

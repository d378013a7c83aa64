"""Directives that generate this project's reference pages from the code itself.

Enabled in the project's ``conf.py`` as ``sphinx_llmarch._docs``; not part of the
public extension.  The schema, configuration, warning and CLI references are
rendered from :func:`.model.schema.json_schema`, :data:`.ext.extension.CONFIG`,
:data:`.ext.warnings.SUBTYPES` and the argument parser, so they cannot drift.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.util.docutils import SphinxDirective

from .cli import build_parser
from .describe import fmt
from .describe.facts import FACTS
from .ext.extension import CONFIG
from .ext.state import state_of
from .ext.warnings import SUBTYPES
from .importer.families import FAMILY, Family
from .model.schema import json_schema

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata


def _table(
    headers: list[str], rows: list[list[list[nodes.Node]]], widths: list[int]
) -> nodes.table:
    table = nodes.table(classes=["llmarch-reference"])
    group = nodes.tgroup(cols=len(headers))
    table += group
    for width in widths:
        group += nodes.colspec(colwidth=width)
    head = nodes.thead()
    row = nodes.row()
    for text in headers:
        row += nodes.entry("", nodes.paragraph("", text))
    head += row
    group += head
    body = nodes.tbody()
    for cells in rows:
        row = nodes.row()
        for cell in cells:
            row += nodes.entry("", nodes.paragraph("", "", *cell))
        body += row
    group += body
    return table


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
            section += _table(["Field", "Type", "Required", "Meaning"], rows, [16, 30, 14, 40])
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
        return [_table(["Name", "Default", "Meaning"], rows, [25, 15, 60])]


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
        return [_table(["Type", "Raised when", "How to fix it"], rows, [18, 42, 40])]


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
            _table(["model_type", "What its code does beyond the config"], rows, [25, 75]),
        ]


class FiguresCheck(SphinxDirective):
    """``.. llmarch-figures-check::`` — computed against official figures, for every model."""

    def run(self) -> list[nodes.Node]:
        store = state_of(self.env).store
        rows: list[list[list[nodes.Node]]] = []
        for result in store.load_all():
            model = result.model
            if model is None:
                continue
            self.env.note_dependency(str(model.path))
            f = store.figures(model)
            official = model.spec.official_params
            total = official.total if official else None
            active = official.active if official else None
            ref = addnodes.pending_xref(
                "", refdomain="llmarch", reftype="model", reftarget=model.slug, refexplicit=False
            )
            ref += nodes.inline(model.slug, model.slug)
            deviation = f"{f.total_params / total - 1:+.1%}" if total else "–"
            rows.append(
                [
                    [ref],
                    [nodes.Text(fmt.params(f.total_params))],
                    [nodes.Text(fmt.params(total) if total else "–")],
                    [nodes.Text(deviation)],
                    [nodes.Text(fmt.params(f.active_params))],
                    [nodes.Text(fmt.params(active) if active else "–")],
                    [nodes.Text(fmt.bytes_iec(f.kv_cache_bytes_per_token))],
                ]
            )
        return [
            _table(
                ["Model", "Total", "Official", "Deviation", "Active", "Official", "KV / token"],
                rows,
                [22, 12, 12, 11, 12, 12, 14],
            )
        ]


GOALS = {
    "linear_ratio_1000_100": ("clean build at 1,000 models ÷ at 100 models", "≤ 11", 11.0),
    "vs_baseline": (
        "clean build at 400 models ÷ 400 bare pages out of the navigation",
        "≤ 1.5",
        1.5,
    ),
    "parallel_speedup": ("serial ÷ -j 2 clean build at 400 models", "≥ 1.4", -1.4),
    "edit_s": ("rebuild after editing one model of the real site (s)", "< 3", 3.0),
    "noop_s": ("no-op rebuild of the real site (s)", "< 2", 2.0),
    "page_growth": ("model page HTML at 1,000 models ÷ at 39", "≤ 1.05", 1.05),
}


class BenchResults(SphinxDirective):
    """``.. llmarch-bench-results::`` — the latest ``bench/results.json`` as tables."""

    def run(self) -> list[nodes.Node]:
        path = Path(self.env.srcdir) / "bench" / "results.json"
        if path.is_file():
            # Sphinx counts a missing dependency as changed: noted only when it exists
            self.env.note_dependency(str(path))
        try:
            results = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return [nodes.paragraph("", "No benchmark results yet: run nox -s bench.")]
        m = results["machine"]
        out: list[nodes.Node] = [
            nodes.paragraph(
                "",
                (
                    f"Measured on {m['date']} on {m['cpus']} CPUs ({m['processor']}, {m['platform']}), "
                    f"Python {m['python']}."
                ),
            )
        ]
        columns = results["columns"]
        # two tables, times and then sizes, each narrow enough for the page
        split = next((i for i, (key, _, _) in enumerate(columns) if key.startswith("peak")), None)
        groups = [columns[:split], [columns[0], *columns[split:]]] if split else [columns]
        for group in groups:
            rows: list[list[list[nodes.Node]]] = [
                [[nodes.Text(fmt.format(row[key]) if key in row else "–")] for key, _, fmt in group]
                for row in results["rows"]
            ]
            out.append(_table([label for _, label, _ in group], rows, [6] * len(group)))
        out += _goals(results["goals"])
        items = nodes.bullet_list()
        for text in _bench_facts(results):
            items += nodes.list_item("", nodes.paragraph("", text))
        out.append(items)
        return out


def _goals(goals: dict[str, float]) -> list[nodes.Node]:
    """The table of goals met and not met."""
    rows: list[list[list[nodes.Node]]] = []
    for key, (what, target, bound) in GOALS.items():
        value = goals.get(key)
        if value is None:
            continue
        met = value <= bound if bound > 0 else value >= -bound
        rows.append(
            [
                [nodes.Text(what)],
                [nodes.Text(target)],
                [nodes.Text(f"{value:.2f}")],
                [nodes.Text("met" if met else "not met")],
            ]
        )
    return [_table(["Goal", "Target", "Measured", ""], rows, [50, 12, 12, 10])] if rows else []


def _bench_facts(results: dict[str, Any]) -> list[str]:
    b, d, p = results["baseline"], results["diagrams"], results["profile"]
    facts = [
        (
            f"Baseline: {b['pages']} bare MyST pages, out of the navigation, with furo: "
            f"{b['seconds']:.1f} s."
        ),
        (
            f"Loading the Graphviz engine: {d['engine_load_s']:.2f} s once per build; one "
            f"diagram: {d['diagram_cold_ms']:.1f} ms drawn, {d['diagram_cached_ms']:.1f} ms "
            "with its panels cached."
        ),
        (
            f"Profile of a clean serial build with {p['profile_models']} models: "
            f"{p['own_share']:.0%} of the time in sphinx_llmarch (including the Graphviz runs "
            f"it makes, {p['graphviz_share']:.0%}), {p['search_share']:.0%} in Sphinx's "
            f"search indexing, {p['navigation_share']:.0%} in furo's navigation tree, the "
            "rest in Sphinx, docutils and MyST reading and writing pages."
        ),
    ]
    edited = results["rows"][0].get("edit_docs")
    if edited:
        facts.append(
            f"Pages re-read after editing llama-3-8b.yaml in the real site: {', '.join(edited)}."
        )
    return facts


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
        return [_table(["Name", "Meaning", "deepseek-v3"], rows, [25, 50, 25])]


def setup(app: Sphinx) -> ExtensionMetadata:
    app.add_directive("llmarch-schema", SchemaReference)
    app.add_directive("llmarch-config", ConfigReference)
    app.add_directive("llmarch-warnings", WarningsReference)
    app.add_directive("llmarch-cli", CliReference)
    app.add_directive("llmarch-families", FamiliesReference)
    app.add_directive("llmarch-figures-check", FiguresCheck)
    app.add_directive("llmarch-bench-results", BenchResults)
    app.add_directive("llmarch-facts", FactsReference)
    return {"version": "0", "parallel_read_safe": True, "parallel_write_safe": True}

"""The Performance page's tables, from the benchmark's latest ``bench/results.json``.

Enabled in the project's ``conf.py`` as ``sphinx_llmarch._docs_bench``; not part of the
public extension.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from ._docs import table as _table

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata

GOALS = {
    "linear_ratio_1000_100": ("clean build at 1,000 models ÷ at 100 models", "≤ 11", 11.0),
    "vs_baseline": (
        "clean build at 400 models ÷ 400 bare pages out of the navigation",
        "≤ 3",
        3.0,
    ),
    "warm_vs_baseline": (
        "clean build (-E) at 400 models with the caches kept ÷ 400 bare pages",
        "≤ 2",
        2.0,
    ),
    "parallel_speedup": ("serial ÷ -j 2 clean build at 400 models", "≥ 1.4", -1.4),
    "edit_at_baseline_s": ("rebuild after editing one model, at 400 models (s)", "< 1.5", 1.5),
    "noop_at_baseline_s": ("no-op rebuild at 400 models (s)", "< 0.5", 0.5),
    "edit_s": ("rebuild after editing one model of the real site (s)", "< 3", 3.0),
    "noop_s": ("no-op rebuild of the real site (s)", "< 2", 2.0),
    "page_growth": ("model page HTML at the largest size ÷ in the real site", "≤ 1.05", 1.05),
}


class BenchResults(SphinxDirective):
    """``.. llmarch-bench-results::`` — the latest ``bench/results.json`` as tables."""

    def run(self) -> list[nodes.Node]:
        # beside conf.py (the repository root), not in the source folder
        path = Path(self.config.llmarch_bench_results)
        if path.is_file():
            # Sphinx counts a missing dependency as changed: noted only when it exists
            self.env.note_dependency(str(path))
        try:
            results = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return [nodes.paragraph("", "No benchmark results yet: run nox -s bench.")]
        m = results["machine"]
        note = f" {m['note']}" if m.get("note") else ""
        out: list[nodes.Node] = [
            nodes.paragraph(
                "",
                (
                    f"Measured on {m['date']} on {m['cpus']} CPUs ({m['processor']}, {m['platform']}), "
                    f"Python {m['python']}.{note}"
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
    noop = f"; a no-op rebuild of them {b['noop_seconds']:.2f} s" if "noop_seconds" in b else ""
    facts = [
        (
            f"Baseline: {b['pages']} bare MyST pages, out of the navigation, with furo: "
            f"{b['seconds']:.1f} s{noop}."
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
    at = {row["models"]: row for row in results["rows"]}.get(b["pages"])
    if at and "edit_read_s" in at:
        facts.append(
            f"At {b['pages']} models: garbage collection took {at['gc_share']:.0%} of the "
            f"clean build; peak memory {at['peak_mib_j1']:.0f} MiB. Editing one model took "
            f"{at['edit']:.2f} s: {at['edit_startup_s']:.2f} s starting (imports, "
            f"configuration, loading the environment), {at['edit_read_s']:.2f} s reading "
            f"{at['edit_read']} pages, {at['edit_write_s']:.2f} s writing {at['edit_written']} "
            "pages, the search index and the export."
            + (
                f" Changing what no view of every model shows (a comment in the file): "
                f"{at['edit_quiet']:.2f} s, {at['edit_quiet_written']} pages written."
                if "edit_quiet" in at
                else ""
            )
        )
    edited = results["rows"][0].get("edit_docs")
    if edited:
        facts.append(
            f"Pages re-read after editing llama-3-8b.yaml in the real site: {', '.join(edited)}."
        )
    return facts


def setup(app: Sphinx) -> ExtensionMetadata:
    app.add_directive("llmarch-bench-results", BenchResults)
    app.add_config_value(
        "llmarch_bench_results", str(Path(app.confdir, "bench", "results.json")), "env", str
    )
    return {"version": "0", "parallel_read_safe": True, "parallel_write_safe": True}

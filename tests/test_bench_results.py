"""The Performance page's facts under the benchmark's tables, from its results file."""

from __future__ import annotations

from typing import Any

from sphinx_llmarch._docs_bench import _bench_facts


def _results(**baseline: float) -> dict[str, Any]:
    return {
        "baseline": {"pages": 400, "seconds": 10.53, **baseline},
        "diagrams": {"engine_load_s": 0.01, "diagram_cold_ms": 9.0, "diagram_cached_ms": 1.0},
        "profile": {
            "profile_models": 400,
            "own_share": 0.4,
            "graphviz_share": 0.05,
            "search_share": 0.1,
            "navigation_share": 0.05,
        },
        "rows": [{"models": 89}],
    }


def test_the_baseline_states_its_no_op_rebuild_where_the_run_measured_it() -> None:
    facts = _bench_facts(_results(noop_seconds=0.964))
    assert facts[0] == (
        "Baseline: 400 bare MyST pages, out of the navigation, with furo: 10.5 s; "
        "a no-op rebuild of them 0.96 s."
    )


def test_results_of_earlier_runs_still_show() -> None:
    facts = _bench_facts(_results())
    assert facts[0] == "Baseline: 400 bare MyST pages, out of the navigation, with furo: 10.5 s."

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


_AT_400 = {
    "models": 400,
    "gc_share": 0.02,
    "peak_mib_j1": 474.0,
    "edit": 7.2,
    "edit_startup_s": 0.9,
    "edit_read_s": 1.5,
    "edit_read": 6,
    "edit_write_s": 4.8,
    "edit_written": 20,
}


def test_an_edit_no_view_shows_is_stated_where_the_run_measured_it() -> None:
    results = _results()
    results["rows"].append({**_AT_400, "edit_quiet": 2.51, "edit_quiet_written": 9})
    fact = _bench_facts(results)[-1]
    assert fact.startswith("At 400 models: garbage collection took 2% of the clean build")
    assert fact.endswith(
        "Changing what no view of every model shows (a comment in the file): 2.51 s, "
        "9 pages written."
    )
    results["rows"][-1] = _AT_400
    assert "no view" not in _bench_facts(results)[-1]

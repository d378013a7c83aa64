"""Run one sphinx-build and report its wall time and peak memory as JSON on stdout.

    python run_build.py [--profile FILE] SRCDIR OUTDIR [sphinx-build arguments ...]

With ``--profile`` the build runs under cProfile and the statistics go to FILE.
"""

from __future__ import annotations

import cProfile
import json
import resource
import sys
import time

from sphinx.cmd.build import build_main


def main() -> int:
    argv = sys.argv[1:]
    profile = None
    if argv[0] == "--profile":
        profile, argv = argv[1], argv[2:]
    src, out, *extra = argv
    args = ["-b", "html", "-q", "-d", f"{out}/../doctrees", *extra, src, out]
    start = time.perf_counter()
    if profile:
        profiler = cProfile.Profile()
        code = profiler.runcall(build_main, args)
        profiler.dump_stats(profile)
    else:
        code = build_main(args)
    elapsed = time.perf_counter() - start
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({"code": code, "seconds": elapsed, "peak_kib": max(own, children)}))
    return code


if __name__ == "__main__":
    sys.exit(main())

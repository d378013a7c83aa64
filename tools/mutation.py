"""Mutation score of the modules that compute figures, facts, stacks, loading and import.

Run as ``nox -s mutation`` (or ``python tools/mutation.py`` in an environment with mutmut).
mutmut copies the package into ``mutants/``, writes every mutant of the modules listed under
``[tool.mutmut] only_mutate`` in pyproject.toml, and runs, for each mutant, the tests of
``pytest_add_cli_args_test_selection`` that call the mutated function.

Running every mutant takes hours on two cores, so this samples: every mutant of a module with
at most ``--sample`` of them, else ``--sample`` drawn at random with a fixed seed (the same
sample each run of the same code). It prints, per module, how many sampled mutants the tests
killed and lists the survivors; ``mutmut show NAME`` prints one as a diff.

    python tools/mutation.py [--sample 40] [--seed 19] [--jobs 2]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tomllib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUTANTS = ROOT / "mutants"
#: mutmut's exit codes of a mutant's test run that mean a test caught it
KILLED = {1, 3, 24, -24, 36, 152, 255}
#: ... and those that mean it was not caught (no test calls the function counts as not caught)
NOT_CAUGHT = {0: "survived", 5: "no tests", 33: "no tests", None: "not run"}
#: in the mechanism modules, only what the figures and the importer use is measured: the
#: methods that count weights, cache and state, and from_config (not wording or panels)
MECHANISM_SCOPE = re.compile(
    r"ǁ(params|state_values|cache_values_per_token|cache_parts|span|norms|qk_norm_params"
    r"|gate_params)__mutmut_|\.x_from_config__mutmut_"
)


def modules() -> list[str]:
    """The dotted names of the modules to mutate, from pyproject.toml."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    files = config["tool"]["mutmut"]["only_mutate"]
    return [f.removesuffix(".py").replace("/", ".") for f in files]


def mutmut(*args: str, jobs: int) -> None:
    env = dict(os.environ)
    # the tests run inside mutants/: point them at the reference configs beside the project
    reference = ROOT.parent / "shared" / "reference"
    env.setdefault("LLMARCH_REFERENCE_CONFIGS", str(reference / "configs"))
    env.setdefault("LLMARCH_REFERENCE_CONFIGS_WAVE2", str(reference / "configs-wave2"))
    command = [sys.executable, "-m", "mutmut", "run", "--max-children", str(jobs), *args]
    subprocess.run(command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def results(module: str) -> dict[str, int | None]:
    meta = MUTANTS / (module.replace(".", "/") + ".py.meta")
    data = json.loads(meta.read_text(encoding="utf-8"))
    return dict(data["exit_code_by_key"])


#: functions that build closures when their module is imported (the named facts): mutmut picks
#: a mutant after the import, so no mutant of theirs is ever active. They are left out of the
#: sample; applied by hand, each is caught (docs/reliability.md)
AT_IMPORT = re.compile(r"\.x__(moe_fact|official|layers_where|mixer_fact)__mutmut_")


def in_scope(module: str, name: str) -> bool:
    if AT_IMPORT.search(name):
        return False
    return ".mechanisms." not in module or MECHANISM_SCOPE.search(name) is not None


def sample(names: list[str], size: int, seed: int) -> list[str]:
    if len(names) <= size:
        return sorted(names)
    return sorted(random.Random(seed).sample(sorted(names), size))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sample", type=int, default=40, help="mutants per module")
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--jobs", type=int, default=2, help="tests run in parallel")
    args = parser.parse_args()

    names = modules()
    # the first run writes every mutant and records which tests call which function; it
    # tests the mutants of the last module listed (a small one), as it must test something
    mutmut(f"{names[-1]}.*", jobs=args.jobs)
    chosen = {
        m: sample([n for n in results(m) if in_scope(m, n)], args.sample, args.seed) for m in names
    }
    mutmut(*[n for m in names for n in chosen[m]], jobs=args.jobs)

    failing = False
    print(f"{'module':45} {'killed':>7} {'sampled':>8} {'of':>6} {'score':>6}")
    for m in names:
        codes = results(m)
        outcome = Counter(codes[n] in KILLED for n in chosen[m])
        score = outcome[True] / len(chosen[m])
        failing |= score < 0.9
        scope = sum(in_scope(m, n) for n in codes)
        print(f"{m:45} {outcome[True]:7} {len(chosen[m]):8} {scope:6} {score:6.0%}")
    for m in names:
        codes = results(m)
        for n in chosen[m]:
            if codes[n] not in KILLED:
                print(f"  {NOT_CAUGHT.get(codes[n], str(codes[n]))}: {n}")
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())

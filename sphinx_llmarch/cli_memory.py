"""``llmarch memory``: the weights, KV cache and state a model needs at one setting."""

from __future__ import annotations

import argparse
import json

from .describe import fmt
from .model.figures import compute
from .model.loader import LoadedModel
from .model.memory import (
    PRECISIONS,
    Coefficients,
    MemoryInputError,
    crossover,
    memory,
    parse_context,
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    names = ", ".join(PRECISIONS)
    p.add_argument("model", help="a slug of models/, a model YAML file, or a config.json")
    p.add_argument("--context", required=True, help="tokens per sequence: 131072, 128k or 1m")
    p.add_argument("--batch", type=int, default=1, help="sequences held at once (default 1)")
    p.add_argument("--weights", default="bf16", help=f"weight precision ({names})")
    p.add_argument("--kv", default="bf16", help="KV cache precision (default bf16)")
    p.add_argument(
        "--state",
        help="precision of fixed states (default: the one the model declares, else the cache's)",
    )
    p.add_argument("--json", action="store_true", help="machine-readable output")


def report(model: LoadedModel, args: argparse.Namespace) -> tuple[int, list[str]]:
    """(exit status, lines to print) for ``llmarch memory``; bad input gives status 2."""
    figures = compute(model)
    maximum = model.spec.context.native
    c = Coefficients.of(figures, maximum=maximum, state=model.spec.architecture.state_precision)
    state = args.state or c.state_precision
    try:
        context = parse_context(str(args.context))
        result = memory(
            c,
            context=context,
            batch=args.batch,
            weights=args.weights,
            kv=args.kv,
            state=state,
        )
        overtakes = crossover(c, batch=args.batch, weights=args.weights, kv=args.kv)
    except MemoryInputError as exc:
        return 2, [f"llmarch: {exc}"]
    warning = (
        [f"warning: {context:,} tokens exceed the model's maximum context of {maximum:,}"]
        if result.beyond_maximum
        else []
    )
    if args.json:
        data = {"slug": model.slug, **result.as_dict(), "kv_overtakes_weights_at": overtakes}
        return 0, [json.dumps(data, indent=2), *warning]
    rows = [
        ("model", f"{model.spec.name} ({model.slug})"),
        (
            "setting",
            f"{context:,} tokens × {args.batch}, weights {args.weights}, cache {args.kv}"
            + (f", state {state}" if figures.state_values and state else ""),
        ),
        ("weights", fmt.bytes_iec(result.weights_bytes)),
        ("KV cache", fmt.bytes_iec(result.kv_cache_bytes)),
        ("fixed state", fmt.bytes_iec(result.state_bytes)),
        ("total", fmt.bytes_iec(result.total_bytes)),
        (
            "accelerators",
            ", ".join(f"{n} × {name}" for name, n in result.accelerators())
            + " (10% of each kept free)",
        ),
        (
            "cache > weights",
            f"from {overtakes:,} tokens" if overtakes else "not within the maximum context",
        ),
    ]
    width = max(len(k) for k, _ in rows)
    return 0, [f"{k.ljust(width)}  {v}" for k, v in rows] + warning

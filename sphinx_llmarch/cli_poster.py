"""``llmarch poster``: every model drawn to one scale, as an SVG or PNG file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .draw.poster import SUFFIXES, entry_of
from .draw.posterpng import poster_file
from .draw.raster import RasterError
from .model.store import ModelStore

#: exit codes: written, models with problems or no PNG possible, unusable arguments
OK, FAILED, UNUSABLE = 0, 1, 2


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("-o", "--output", required=True, help="the file to write: .svg or .png")
    p.add_argument(
        "--theme", choices=("light", "dark"), default="light", help="colours (default: light)"
    )
    p.add_argument("--models", default="models", help="folder of model files (default: models)")


def run(args: argparse.Namespace) -> int:
    out = Path(args.output)
    suffix = out.suffix.lower()
    if suffix not in SUFFIXES:
        return _fail(f"{out}: write the poster as {' or '.join(SUFFIXES)}", UNUSABLE)
    store = ModelStore(Path(args.models))
    if not store.slugs():
        return _fail(f"{args.models}: no model files (*.yaml) there", UNUSABLE)
    results = list(store.load_all())
    problems = [p for r in results for p in r.problems if p.subtype != "draft"]
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems or any(r.model is None for r in results):
        bad = sum(1 for r in results if not r.ok or r.problems)
        return _fail(f"{bad} model file(s) with problems: nothing written", FAILED)
    entries = [entry_of(r.model, store.figures(r.model)) for r in results if r.model]
    try:
        data = poster_file(entries, args.theme, suffix)
    except RasterError as exc:
        return _fail(f"{out}: {exc}", FAILED)
    try:
        out.write_bytes(data)
    except OSError as exc:
        return _fail(f"{out}: cannot write the file: {exc.strerror or exc}", FAILED)
    # the PNG's width, from its header
    size = f", {int.from_bytes(data[16:20], 'big'):,} pixels wide" if suffix == ".png" else ""
    print(f"llmarch: wrote {out} ({len(entries)} models{size})", file=sys.stderr)
    return OK


def _fail(message: str, status: int) -> int:
    print(f"llmarch: {message}", file=sys.stderr)
    return status

"""The ``llmarch`` command line: validate, stats, diagram, import and schema."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .describe import fmt
from .describe.labels import decoder_type, layer_mix, layer_mix_text
from .draw.engine import WASM, RenderError
from .importer.assemble import Imported, import_config, slug_from
from .model.figures import compute
from .model.loader import LoadResult, Problem, load_file, load_text

DEFAULT_DIR = Path("models")


def _files(paths: Sequence[str]) -> list[Path]:
    out: list[Path] = []
    for raw in paths or [str(DEFAULT_DIR)]:
        path = Path(raw)
        out.extend(sorted(path.glob("*.yaml")) if path.is_dir() else [path])
    return out


def cmd_validate(args: argparse.Namespace) -> int:
    files = _files(args.paths)
    if not files:
        print("llmarch: no model files found", file=sys.stderr)
        return 2
    results = [load_file(f) for f in files]
    problems = [p for r in results for p in r.problems]
    slugs = {r.model.slug for r in results if r.model}
    for r in results:
        m = r.model
        if m and m.spec.based_on and m.spec.based_on not in slugs and len(files) > 1:
            problems.append(
                Problem(
                    str(m.path),
                    1,
                    "based_on",
                    f"'{m.spec.based_on}' is not among the checked models",
                    "consistency",
                )
            )
    for p in problems:
        print(p)
    bad = sum(1 for r in results if not r.ok)
    print(f"{len(files)} file(s) checked, {bad} with problems", file=sys.stderr)
    return 1 if problems else 0


def _load_one(path: str) -> LoadResult:
    """A model file, or a config.json imported on the fly."""
    if path.endswith(".json"):
        imported = _import(Path(path), None)
        if imported is None:
            return LoadResult(None, ())
        result = load_text(imported.text, Path(f"{imported.slug}.yaml"), path)
    else:
        result = load_file(path)
    for p in result.problems:
        print(p, file=sys.stderr)
    return result


def _import(path: Path, slug: str | None) -> Imported | None:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        print(f"llmarch: {path}: cannot read the config: {exc}", file=sys.stderr)
        return None
    if not isinstance(raw, dict):
        print(f"llmarch: {path}: a config.json holds a JSON object", file=sys.stderr)
        return None
    name = slug or slug_from(path.parent.name if path.name == "config.json" else path.stem)
    try:
        imported = import_config(raw, name)
    except (KeyError, TypeError, ValueError) as exc:
        print(f"llmarch: {path}: cannot import this config ({exc!r})", file=sys.stderr)
        return None
    for key in imported.unknown:
        print(f"llmarch: {path}: key '{key}' not understood; left out", file=sys.stderr)
    return imported


def cmd_import(args: argparse.Namespace) -> int:
    path = Path(args.config)
    imported = _import(path, args.slug)
    if imported is None:
        return 1
    check = load_text(imported.text, Path(f"{imported.slug}.yaml"), f"{imported.slug}.yaml")
    for p in check.problems:  # the importer's output must always validate
        print(f"llmarch: the imported file is not valid: {p}", file=sys.stderr)
    if args.output in (None, "-"):
        sys.stdout.write(imported.text)
    else:
        Path(args.output).write_text(imported.text, encoding="utf-8")
    return 0 if check.ok else 1


def cmd_stats(args: argparse.Namespace) -> int:
    result = _load_one(args.path)
    if result.model is None:
        return 1
    model = result.model
    figures = compute(model)
    data: dict[str, object] = {"slug": model.slug, **figures.as_dict()}
    if args.context:
        data["context"] = args.context
        data["kv_cache_bytes_at_context"] = figures.kv_cache_bytes(args.context)
    official = model.spec.official_params
    data["official_total_params"] = official.total if official else None
    data["official_active_params"] = official.active if official else None
    if args.json:
        print(json.dumps(data, indent=2))
        return 0
    arch = model.spec.architecture
    rows = [
        ("model", f"{model.spec.name} ({model.slug})"),
        ("decoder type", decoder_type(arch, model.layers)),
        ("layer mix", layer_mix_text(layer_mix(model))),
        ("total parameters", f"{fmt.params(figures.total_params)} ({figures.total_params:,})"),
        (
            "active parameters",
            (
                f"{fmt.params(figures.active_params)} ({figures.active_params:,}, "
                f"{fmt.percent(figures.active_share)})"
            ),
        ),
        (
            "official",
            " / ".join(fmt.params(n) for n in (official.total, official.active) if n)
            if official
            else "unknown",
        ),
        ("MTP parameters", fmt.params(figures.mtp_params) if figures.mtp_params else "none"),
        ("KV cache / token", f"{fmt.bytes_iec(figures.kv_cache_bytes_per_token)} (bf16)"),
        ("linear/SSM state", fmt.bytes_iec(figures.linear_state_bytes)),
    ]
    if args.context:
        rows.append(
            (f"KV cache at {args.context:,}", fmt.bytes_iec(figures.kv_cache_bytes(args.context)))
        )
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"{key.ljust(width)}  {value}")
    return 0


def cmd_diagram(args: argparse.Namespace) -> int:
    from .draw.compose import ComposeError, compose
    from .draw.engine import SvgCache, standalone_svg
    from .draw.figure import figure_spec
    from .draw.theme import diagram_css

    result = _load_one(args.path)
    if result.model is None:
        return 1
    spec = figure_spec(result.model, compute(result.model), args.variant)
    if args.dot:
        text = spec.main
    else:
        try:
            inline = compose(spec, SvgCache(args.graphviz).get).svg()
        except (RenderError, ComposeError) as exc:
            print(f"llmarch: {args.path}: cannot draw the diagram: {exc}", file=sys.stderr)
            return 1
        text = standalone_svg(inline, diagram_css(args.theme))
    if args.output in (None, "-"):
        sys.stdout.write(text)
    else:
        Path(args.output).write_text(text, encoding="utf-8")
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from .model.schema import json_schema

    text = json.dumps(json_schema(), indent=2) + "\n"
    if args.output in (None, "-"):
        sys.stdout.write(text)
    else:
        Path(args.output).write_text(text, encoding="utf-8")
    return 0


def _formatter(prog: str) -> argparse.HelpFormatter:
    # a fixed width: the docs embed this help text, which must not depend on the terminal
    return argparse.HelpFormatter(prog, width=88)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="llmarch", description=__doc__, formatter_class=_formatter
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    def command(name: str, text: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, help=text, description=text, formatter_class=_formatter)

    p = command("validate", "Check model files; print file:line: message for each problem.")
    p.add_argument("paths", nargs="*", help="files or folders (default: models/)")
    p.set_defaults(func=cmd_validate)

    p = command("stats", "Print the computed figures of one model.")
    p.add_argument("path", help="a model YAML file, or a config.json for a quick count")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--context", type=int, default=0, help="also the KV cache at this length")
    p.set_defaults(func=cmd_stats)

    p = command("diagram", "Write the model's diagram as a standalone SVG file.")
    p.add_argument("path", help="a model YAML file")
    p.add_argument("-o", "--output", help="output file (default: standard output)")
    p.add_argument("--theme", choices=("light", "dark"), default="light")
    p.add_argument("--variant", choices=("full", "thumb"), default="full")
    p.add_argument("--graphviz", default=WASM, help="'wasm' (default) or a dot executable")
    p.add_argument("--dot", action="store_true", help="print the main panel's DOT text instead")
    p.set_defaults(func=cmd_diagram)

    p = command("import", "Write a model file from a Hugging Face config.json.")
    p.add_argument("config", help="a config.json")
    p.add_argument("--slug", help="slug (default: from the folder or file name)")
    p.add_argument("-o", "--output", help="output file (default: standard output)")
    p.set_defaults(func=cmd_import)

    p = command("schema", "Print the JSON Schema of model files, for editors and validators.")
    p.add_argument("-o", "--output", help="output file (default: standard output)")
    p.set_defaults(func=cmd_schema)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except BrokenPipeError:  # e.g. piped into `head`
        return 0

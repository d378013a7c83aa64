"""The ``llmarch`` command line: validate, stats, memory, diagram, poster, import and schema."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__, cli_memory, cli_poster
from .cli_project import models_dir
from .describe import fmt
from .describe.labels import decoder_type, layer_mix, layer_mix_text
from .draw.engine import WASM, RenderError
from .importer.assemble import Imported, import_config, slug_from
from .importer.config import ConfigError
from .model.figures import compute
from .model.loader import LoadedModel, LoadResult, Problem, load_file, load_text
from .model.schema import DraftKey
from .model.store import ModelStore, bundled_dir


def _files(paths: Sequence[str]) -> list[Path]:
    """The model files named, or those of the project's models folder; a missing default
    folder is unusable input."""
    if not paths:
        folder, why = models_dir()
        if not folder.is_dir():
            raise UnusableInputError(
                f"no models folder at {folder} ({why}); name model files or folders, or run "
                "this in a Sphinx project whose conf.py sets llmarch_models_dir"
            )
        return sorted(folder.glob("*.yaml"))
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        out.extend(sorted(path.glob("*.yaml")) if path.is_dir() else [path])
    return out


def cmd_validate(args: argparse.Namespace) -> int:
    if args.sources:
        return _sources()
    try:
        files = _files(args.paths)
    except UnusableInputError as exc:
        print(f"llmarch: {exc}", file=sys.stderr)
        return UNUSABLE
    if not files:
        print("llmarch: no model files found", file=sys.stderr)
        return UNUSABLE
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


def _sources() -> int:
    """Every model a Sphinx project here can use, with where its file comes from."""
    folder, why = models_dir()
    store = ModelStore(folder, bundled=bundled_dir())
    bundled = set(store.bundled_slugs())
    print(f"llmarch: the project's models: {folder} ({why})", file=sys.stderr)
    for slug in store.slugs():
        origin = store.origin(slug)
        note = " (replaces the bundled file)" if origin == "project" and slug in bundled else ""
        print(f"{slug}  {origin}{note}  {store.path(slug)}")
    return OK


#: exit codes: success, refused or invalid (keys listed), unusable input
OK, REFUSED, UNUSABLE = 0, 1, 2
#: real config.json files are well under 100 kB (the largest quantised ones ~90 kB)
MAX_CONFIG_BYTES = 4 << 20


class UnusableInputError(Exception):
    """The input cannot be used at all; the message says why."""


def _load_one(path: str, draft: bool = False) -> LoadResult:
    """A model file, or a config.json imported on the fly (refused if keys are unresolved)."""
    if path.endswith(".json"):
        imported = _import(Path(path), None, draft)
        if imported.unresolved and not draft:
            _refusal(path, imported)
            return LoadResult(None, ())
        result = load_text(imported.text, Path(f"{imported.slug}.yaml"), path)
    else:
        result = load_file(path)
    for p in result.problems:
        print(p, file=sys.stderr)
    return result


def _read_config(path: Path) -> object:
    try:
        size = path.stat().st_size
        if size > MAX_CONFIG_BYTES:
            raise UnusableInputError(
                f"the file has {size:,} bytes; a config.json has well under "
                f"{MAX_CONFIG_BYTES >> 20} MiB"
            )
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise UnusableInputError(f"cannot read the file: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise UnusableInputError(f"not UTF-8 text (byte {exc.start})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise UnusableInputError(
            f"not JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
        ) from None
    except RecursionError:
        raise UnusableInputError("not a config: its JSON is nested too deeply to read") from None


def _import(path: Path, slug: str | None, draft: bool) -> Imported:
    raw = _read_config(path)
    if not isinstance(raw, dict):
        raise UnusableInputError("a config.json holds a JSON object at the top")
    name = slug or slug_from(path.parent.name if path.name == "config.json" else path.stem)
    try:
        return import_config(raw, name, draft=draft)
    except ConfigError as exc:
        raise UnusableInputError(str(exc)) from None
    except RecursionError:
        raise UnusableInputError("not a config: its values are nested too deeply") from None


def _refusal(path: str, imported: Imported) -> None:
    count = len(imported.unresolved)
    print(
        f"llmarch: {path}: cannot represent {count} key{'s' if count != 1 else ''} of this "
        "config, so the model would be wrong:",
        file=sys.stderr,
    )
    for u in imported.unresolved:
        print(f"  {u.key} = {u.value_text()}  ({u.reason})", file=sys.stderr)
    print(
        "llmarch: nothing written. --draft writes the file anyway, with these keys listed "
        "for a person to resolve.",
        file=sys.stderr,
    )


def _summary(model: LoadedModel, draft: Sequence[DraftKey]) -> list[str]:
    """One screen to hold against the model card."""
    figures = compute(model)
    arch = model.spec.architecture
    lines = [
        f"decoder type      {decoder_type(arch, model.layers)}",
        f"layer mix         {layer_mix_text(layer_mix(model))}",
        f"parameters        {fmt.params(figures.total_params)} total"
        + (
            f", {fmt.params(figures.active_params)} active ({fmt.percent(figures.active_share)})"
            if figures.active_params != figures.total_params
            else ", all active per token"
        ),
        f"KV cache / token  {fmt.bytes_iec(figures.kv_cache_bytes_per_token)} (bf16)"
        + (
            f"; fixed state {fmt.bytes_iec(figures.linear_state_bytes)}"
            if figures.linear_state_bytes
            else ""
        ),
    ]
    lines += [f"unconfirmed       {u}" for u in model.spec.unconfirmed]
    lines += [f"DRAFT             {d.key} = {d.value} ({d.reason})" for d in draft]
    return lines


def cmd_import(args: argparse.Namespace) -> int:
    path = Path(args.config)
    imported = _import(path, args.slug, args.draft)
    if imported.unresolved and not args.draft:
        _refusal(args.config, imported)
        return REFUSED
    check = load_text(imported.text, Path(f"{imported.slug}.yaml"), f"{imported.slug}.yaml")
    invalid = [p for p in check.problems if p.subtype != "draft"]
    for p in invalid:  # the importer's output must always validate
        print(f"llmarch: the imported file is not valid: {p}", file=sys.stderr)
    if args.output in (None, "-"):
        sys.stdout.write(imported.text)
    else:
        Path(args.output).write_text(imported.text, encoding="utf-8")
    if check.model is not None:
        print(f"llmarch: imported {args.config} as '{imported.slug}':", file=sys.stderr)
        for line in _summary(check.model, check.model.spec.draft):
            print(f"  {line}", file=sys.stderr)
    return REFUSED if invalid or imported.unresolved else OK


def cmd_stats(args: argparse.Namespace) -> int:
    result = _load_one(args.path, args.draft)
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


def cmd_memory(args: argparse.Namespace) -> int:
    path = args.model
    folder, _ = models_dir()
    found = ModelStore(folder, bundled=bundled_dir()).path(path)
    if not path.endswith((".json", ".yaml")) and found.is_file():
        path = str(found)  # a slug: the project's model, else the bundled one
    result = _load_one(path)
    if result.model is None:
        return 1
    status, lines = cli_memory.report(result.model, args)
    for line in lines:
        print(line, file=sys.stderr if line.startswith(("llmarch:", "warning:")) else sys.stdout)
    return status


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


SOURCES_HELP = (
    "list every model a project here can use and where its file comes from: its own folder "
    "or the models bundled with the package (nothing is checked)"
)


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
    p.add_argument("--sources", action="store_true", help=SOURCES_HELP)
    p.set_defaults(func=cmd_validate)

    p = command("stats", "Print the computed figures of one model.")
    p.add_argument("path", help="a model YAML file, or a config.json for a quick count")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--context", type=int, default=0, help="also the KV cache at this length")
    p.add_argument(
        "--draft",
        action="store_true",
        help="for a config.json with keys the import cannot represent: count anyway",
    )
    p.set_defaults(func=cmd_stats)

    p = command("memory", "Memory for weights, KV cache and state at a context and batch.")
    cli_memory.add_arguments(p)
    p.set_defaults(func=cmd_memory)

    p = command("diagram", "Write the model's diagram as a standalone SVG file.")
    p.add_argument("path", help="a model YAML file")
    p.add_argument("-o", "--output", help="output file (default: standard output)")
    p.add_argument("--theme", choices=("light", "dark"), default="light")
    p.add_argument("--variant", choices=("full", "thumb"), default="full")
    p.add_argument("--graphviz", default=WASM, help="'wasm' (default) or a dot executable")
    p.add_argument("--dot", action="store_true", help="print the main panel's DOT text instead")
    p.set_defaults(func=cmd_diagram)

    p = command("poster", "Draw every model to one scale, as an SVG or PNG poster.")
    cli_poster.add_arguments(p)
    p.set_defaults(func=cli_poster.run)

    p = command("import", "Write a model file from a Hugging Face config.json.")
    p.add_argument("config", help="a config.json")
    p.add_argument("--slug", help="slug (default: from the folder or file name)")
    p.add_argument("-o", "--output", help="output file (default: standard output)")
    p.add_argument(
        "--draft",
        action="store_true",
        help="write the file even if keys cannot be represented, listing them under 'draft'",
    )
    p.set_defaults(func=cmd_import)

    p = command("schema", "Print the JSON Schema of model files, for editors and validators.")
    p.add_argument("-o", "--output", help="output file (default: standard output)")
    p.set_defaults(func=cmd_schema)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except UnusableInputError as exc:
        where = getattr(args, "config", None) or getattr(args, "path", "")
        print(f"llmarch: {where}: {exc}", file=sys.stderr)
        return UNUSABLE
    except BrokenPipeError:  # e.g. piped into `head`
        return 0

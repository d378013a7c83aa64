"""Load a model file: YAML → validated :class:`LoadedModel`, or located problems.

Every problem names the file, the line and the field path, so that both the CLI
(``file:line: message``) and the Sphinx build (a warning located in the YAML
file) can point an editor at it.  Nothing here raises on bad input.
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

from ..mechanisms import REGISTRY, Stack
from ..mechanisms.registry import BASES
from .schema import ModelSpec
from .stack import LayerSpec, ScheduleError, context, expand, parse_spec, unused_names
from .yamlread import Path as DataPath
from .yamlread import YamlDocument, read_yaml

Subtype = Literal["yaml", "schema", "consistency", "draft"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a model file."""

    file: str
    line: int
    field: str
    message: str
    subtype: Subtype

    def __str__(self) -> str:
        where = f"{self.field}: " if self.field else ""
        return f"{self.file}:{self.line}: {where}{self.message}"


@dataclass(frozen=True)
class LoadedModel:
    """A validated model together with what the rest of the package derives from first."""

    spec: ModelSpec
    path: Path
    layers: tuple[LayerSpec, ...]

    @property
    def slug(self) -> str:
        return self.spec.slug

    @cached_property
    def stack(self) -> Stack:
        """What its mechanisms may ask of the model around them."""
        return context(self.spec.architecture, self.layers)


@dataclass(frozen=True)
class LoadResult:
    model: LoadedModel | None
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return self.model is not None


def dotted(path: Iterable[str | int]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def load_file(path: Path | str, display: str | None = None) -> LoadResult:
    """Load ``path``; ``display`` is the file name used in messages (default: the path)."""
    path = Path(path)
    name = display or str(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            return LoadResult(None, (_too_large(name),))
        data = path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        return LoadResult(None, (Problem(name, 1, "", f"cannot read the file: {reason}", "yaml"),))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        message = f"not valid UTF-8: byte 0x{data[exc.start]:02x} cannot be decoded"
        return LoadResult(None, (Problem(name, line, "", message, "yaml"),))
    return load_text(text, path, name)


#: real model files are a few KiB; a larger one is a mistake, or an attempt to exhaust memory
MAX_BYTES = 1 << 20


def _too_large(display: str) -> Problem:
    return Problem(display, 1, "", f"the file is larger than {MAX_BYTES >> 20} MiB", "yaml")


def load_text(text: str, path: Path, display: str) -> LoadResult:
    if len(text) > MAX_BYTES:
        return LoadResult(None, (_too_large(display),))
    doc = read_yaml(text.removeprefix("\ufeff"))
    problems = [Problem(display, i.line, dotted(i.path), i.message, "yaml") for i in doc.issues]
    if doc.data is None and problems:
        return LoadResult(None, tuple(problems))
    if not isinstance(doc.data, dict):
        problems.append(
            Problem(display, 1, "", "a model file must be a mapping of fields", "schema")
        )
        return LoadResult(None, tuple(problems))
    try:
        spec = ModelSpec.model_validate(doc.data)
    except ValidationError as exc:
        # a refused value is already reported; its schema error would only repeat it
        refused = {dotted(i.path) for i in doc.issues}
        problems.extend(p for p in _schema_problems(exc, doc, display) if p.field not in refused)
        return LoadResult(None, tuple(_unique(problems)))
    layers, more = _consistency(spec, path, doc, display)
    problems.extend(more)
    if problems:
        return LoadResult(None, tuple(_unique(problems)))
    # a draft is a valid model that is not finished: it loads, with its one warning
    return LoadResult(LoadedModel(spec, path, tuple(layers)), _draft(spec, doc, display))


def _draft(spec: ModelSpec, doc: YamlDocument, display: str) -> tuple[Problem, ...]:
    if not spec.draft:
        return ()
    keys = ", ".join(d.key for d in spec.draft)
    count = len(spec.draft)
    message = (
        f"unfinished draft: {count} config key{'s' if count != 1 else ''} not represented "
        f"({keys}); resolve each and delete the list"
    )
    return (Problem(display, doc.line_of(("draft",)), "draft", message, "draft"),)


def _unique(problems: Sequence[Problem]) -> list[Problem]:
    seen: set[tuple[int, str, str]] = set()
    out = []
    for p in sorted(problems, key=lambda p: p.line):
        key = (p.line, p.field, p.message)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


# --------------------------------------------------------------------------- schema errors


_MISSING = object()


def _child(value: Any, part: str | int) -> Any:
    """``value[part]`` for a mapping key or a list index, else ``_MISSING``."""
    if isinstance(value, dict):
        return value.get(part, _MISSING) if isinstance(part, str) else _MISSING
    if isinstance(value, list) and isinstance(part, int) and 0 <= part < len(value):
        return value[part]
    return _MISSING


def _value_at(data: Any, path: DataPath) -> Any:
    for part in path:
        data = _child(data, part)
    return data


def _data_path(loc: Sequence[str | int], data: Any, keep_last: bool) -> DataPath:
    """Drop the parts of a pydantic ``loc`` that are union tags, not keys of the data."""
    out: list[str | int] = []
    cur = data
    for i, part in enumerate(loc):
        child = _child(cur, part)
        if child is not _MISSING:
            cur = child
            out.append(part)
        elif keep_last and i == len(loc) - 1:
            out.append(part)
    return tuple(out)


def _schema_problems(exc: ValidationError, doc: YamlDocument, display: str) -> list[Problem]:
    problems = []
    for err in exc.errors(include_url=False):
        loc = err["loc"]
        kind = err["type"]
        path = _data_path(loc, doc.data, keep_last=kind in ("missing", "extra_forbidden"))
        if kind == "union_tag_invalid":  # point at the 'kind' key rather than its mapping
            tag = str(err.get("ctx", {}).get("discriminator", "")).strip("'")
            if _child(_value_at(doc.data, path), tag) is not _MISSING:
                path = (*path, tag)
        line = doc.line_of(path)
        field = dotted(path)
        if kind == "union_tag_invalid":
            ctx = err.get("ctx", {})
            key = str(ctx.get("discriminator", "kind")).strip("'")
            expected = str(ctx.get("expected_tags", "")).replace("'", "")
            message = f"unknown {key} '{ctx.get('tag')}'; expected one of: {expected}"
        elif kind == "missing":
            message = f"missing required field '{path[-1]}'"
            field = dotted(path[:-1])
        elif kind == "extra_forbidden":
            message = f"unknown field '{path[-1]}'" + _suggest(str(path[-1]), loc[:-1], doc.data)
        else:
            message = str(err["msg"]).removeprefix("Value error, ")
            if kind not in ("value_error", "assertion_error") and not isinstance(
                err["input"], dict | list
            ):
                message += f" (got {err['input']!r})"
        problems.append(Problem(display, line, field, message, "schema"))
    return problems


def _suggest(name: str, loc: Sequence[str | int], data: Any) -> str:
    cls = _class_at(loc, data)
    if cls is None:
        return ""
    fields = list(cls.model_fields)
    close = difflib.get_close_matches(name, fields, n=1)
    if close:
        return f"; did you mean '{close[0]}'?"
    if owners := _kinds_with(cls, name):
        kind = _value_at(data, tuple(loc)).get("kind")
        return f"; a field of kind {', '.join(repr(k) for k in owners)}, not of '{kind}'"
    return "; expected one of: " + ", ".join(sorted(fields))


def _kinds_with(cls: type[BaseModel], name: str) -> list[str]:
    """The other kinds of a dispatched class's base that have a field ``name``."""
    base = next((b for b in _DISPATCHED if issubclass(cls, b)), None)
    if base is None:
        return []
    return [k for k in REGISTRY.kinds(base) if name in REGISTRY.lookup(base, k).model_fields]


#: fields whose class depends on the value's ``kind`` (see ``mechanisms.registry``)
_DISPATCHED = BASES


def _class_at(loc: Sequence[str | int], data: Any) -> type[BaseModel] | None:
    """The schema class reached by following ``loc`` from ModelSpec through ``data``."""
    current: Any = ModelSpec
    for part in loc:
        current, data = _step(_resolve(current, data), part), _child(data, part)
        if current is None:
            return None
    current = _resolve(current, data)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return current
    return None


def _resolve(tp: Any, data: Any) -> Any:
    """The class behind a field type: optional values unwrapped, and the registered class
    for the value's ``kind`` where the schema dispatches on it."""
    while typing.get_origin(tp) is typing.Annotated:
        tp = typing.get_args(tp)[0]
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        models = [m for m in typing.get_args(tp) if m is not type(None)]
        tp = _resolve(models[0], data) if len(models) == 1 else None
    if isinstance(tp, type) and issubclass(tp, _DISPATCHED) and isinstance(data, dict):
        kind = data.get("kind")
        base = next(b for b in _DISPATCHED if issubclass(tp, b))
        return REGISTRY.lookup(base, kind) if kind in REGISTRY.kinds(base) else None
    return tp


def _step(tp: Any, part: str | int) -> Any:
    origin = typing.get_origin(tp)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        info = tp.model_fields.get(str(part))
        return info.annotation if info else None
    if origin in (list, tuple):
        return typing.get_args(tp)[0]
    if origin is dict:
        return typing.get_args(tp)[1]
    return None


# --------------------------------------------------------------------------- consistency


def _consistency(
    spec: ModelSpec, path: Path, doc: YamlDocument, display: str
) -> tuple[list[LayerSpec], list[Problem]]:
    problems: list[Problem] = []

    def add(where: DataPath, message: str) -> None:
        problems.append(Problem(display, doc.line_of(where), dotted(where), message, "consistency"))

    if spec.slug != path.stem:
        add(("slug",), f"slug '{spec.slug}' must match the file name '{path.stem}'")
    arch = spec.architecture
    for name in sorted(set(arch.mixers) & set(arch.ffns)):
        add(("architecture", "ffns", name), f"'{name}' names both a mixer and an FFN")

    errors: list[ScheduleError] = []
    layers = expand(arch.layers.schedule, list(arch.mixers), list(arch.ffns), errors=errors)
    for error in errors:
        add(error.path, error.message)
    if not errors and len(layers) != arch.layers.count:
        add(
            ("architecture", "layers", "count"),
            f"the schedule has {len(layers)} layers but count is {arch.layers.count}",
        )
    mtp_layers: list[LayerSpec] = []
    if arch.mtp and arch.mtp.pattern:
        for i, text in enumerate(arch.mtp.pattern):
            try:
                mtp_layers.append(parse_spec(text, list(arch.mixers), list(arch.ffns)))
            except ValueError as exc:
                add(("architecture", "mtp", "pattern", i), str(exc))
    if not errors:  # a layer type of the MTP modules only is used too
        for section, name in unused_names(arch, [*layers, *mtp_layers]):
            add(("architecture", section, name), f"'{name}' is not used by any layer")
    if arch.state_precision and not any(m.state_values() for m in arch.mixers.values()):
        add(("architecture", "state_precision"), "no layer of this model keeps a fixed state")
    for i, note in enumerate(spec.notes):
        if note.field and not _resolves(doc.data, note.field):
            add(("notes", i, "field"), f"'{note.field}' is not a field of this file")
    for i, field in enumerate(spec.unconfirmed):
        if problem := _unconfirmed_problem(spec, field):
            add(("unconfirmed", i), problem)
    return layers, problems


def _unconfirmed_problem(spec: ModelSpec, field: str) -> str | None:
    """Why ``field`` cannot be listed as unconfirmed: not a schema field here, or set."""
    *parents, last = field.split(".")
    current: Any = spec
    for part in parents:
        if isinstance(current, dict) and part in current:
            current = current[part]
        elif isinstance(current, BaseModel) and part in type(current).model_fields:
            current = getattr(current, part)
        else:
            return f"'{field}' does not lead to a field of this file"
    if not isinstance(current, BaseModel) or last not in type(current).model_fields:
        return f"'{field}' is not a field of the schema"
    if last in current.model_fields_set:
        return f"'{field}' has a value in this file; an unconfirmed field is left out"
    return None


def _resolves(data: Any, dotted_path: str) -> bool:
    cur = data
    for part in dotted_path.replace("[", ".").replace("]", "").split("."):
        cur = _child(cur, int(part) if part.isdigit() else part)
        if cur is _MISSING:
            return False
    return True

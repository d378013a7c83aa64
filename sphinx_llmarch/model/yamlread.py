"""Read YAML safely, keeping the line of every key and item.

PyYAML composes the document into a node graph (which runs no code); we then
build plain Python values ourselves, so that

* only the standard tags are accepted (``!!python/...`` and custom tags are refused),
* plain scalars follow YAML 1.2's core schema (``1e-06`` is a float, ``no`` is a
  string, dates stay strings for the validator to parse),
* duplicate keys are reported instead of silently overwritten,
* every path into the document maps to the line it starts on.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

try:  # libyaml's composer is several times faster; fall back when it is missing.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

Path = tuple[str | int, ...]

_STD = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_STD + t for t in ("str", "int", "float", "bool", "null", "timestamp", "binary")}
_MAX_NODES = 100_000  # aliases can expand exponentially ("billion laughs")
_MAX_DEPTH = 50  # and can refer to themselves

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?[0-9][0-9_]*$")
_INT_OCT = re.compile(r"^0o[0-7]+$")
_INT_HEX = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?$")
_INF = re.compile(r"^[-+]?\.(?:inf|Inf|INF)$")
_NAN = re.compile(r"^\.(?:nan|NaN|NAN)$")


@dataclass(frozen=True)
class YamlIssue:
    line: int
    path: Path
    message: str


@dataclass
class YamlDocument:
    """The values of one YAML document and the line of each path in it."""

    data: Any = None
    lines: dict[Path, int] = field(default_factory=dict)
    issues: list[YamlIssue] = field(default_factory=list)

    def line_of(self, path: Path) -> int:
        """Line of ``path``, or of its nearest ancestor present in the document."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(path[:end])
            if line is not None:
                return line
        return 1


def resolve_plain(text: str) -> Any:
    """Resolve an untagged plain scalar by YAML 1.2's core schema (underscores allowed)."""
    if _NULL.match(text):
        return None
    if text in _BOOL:
        return _BOOL[text]
    if _INT.match(text):
        return int(text.replace("_", ""))
    if _INT_OCT.match(text):
        return int(text, 0)
    if _INT_HEX.match(text):
        return int(text, 0)
    if _FLOAT.match(text) and any(c.isdigit() for c in text):
        return float(text.replace("_", ""))
    if _INF.match(text):
        return -math.inf if text.startswith("-") else math.inf
    if _NAN.match(text):
        return math.nan
    return text


class _Builder:
    def __init__(self, doc: YamlDocument) -> None:
        self.doc = doc
        self.count = 0

    def build(self, node: yaml.Node, path: Path) -> Any:
        self.count += 1
        if self.count > _MAX_NODES or len(path) > _MAX_DEPTH:
            raise _TooLargeError
        line = node.start_mark.line + 1
        self.doc.lines.setdefault(path, line)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _STD + "seq":
                self._bad_tag(node, path)
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        return self._scalar(node, path)

    def _mapping(self, node: yaml.MappingNode, path: Path) -> dict[str, Any]:
        if node.tag != _STD + "map":
            self._bad_tag(node, path)
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                self.doc.issues.append(YamlIssue(key_line, path, "keys must be plain strings"))
                continue
            key = key_node.value
            if key == "<<":
                self.doc.issues.append(
                    YamlIssue(key_line, path, "merge keys ('<<') are not supported")
                )
                continue
            if key in result:
                first = self.doc.lines.get((*path, key), key_line)
                self.doc.issues.append(
                    YamlIssue(
                        key_line, (*path, key), f"duplicate key '{key}' (first on line {first})"
                    )
                )
                continue
            self.doc.lines[(*path, key)] = key_line
            result[key] = self.build(value_node, (*path, key))
        return result

    def _scalar(self, node: yaml.ScalarNode, path: Path) -> Any:
        if node.tag not in _SCALAR_TAGS:
            self._bad_tag(node, path)
            return None
        if not node.style:  # plain (None or "" by loader): typed by the YAML 1.2 core rules
            return resolve_plain(node.value)
        return node.value  # quoted or block scalars are strings

    def _bad_tag(self, node: yaml.Node, path: Path) -> None:
        tag = node.tag.replace(_STD, "!!")
        self.doc.issues.append(
            YamlIssue(node.start_mark.line + 1, path, f"unsupported YAML tag '{tag}' refused")
        )


class _TooLargeError(Exception):
    pass


def read_yaml(text: str) -> YamlDocument:
    """Parse ``text``; syntax errors and refused constructs land in ``issues``."""
    doc = YamlDocument()
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        message = " ".join(p for p in (exc.context, exc.problem) if p) or "invalid YAML"
        lines = text.splitlines()
        if mark and mark.line < len(lines) and "\t" in lines[mark.line]:
            message += " (a tab: YAML indents with spaces only)"
        doc.issues.append(YamlIssue(line, (), f"YAML syntax error: {message}"))
        return doc
    except yaml.YAMLError as exc:
        doc.issues.append(YamlIssue(1, (), f"YAML error: {exc}"))
        return doc
    if root is None:
        doc.issues.append(YamlIssue(1, (), "the file is empty"))
        return doc
    try:
        doc.data = _Builder(doc).build(root, ())
    except _TooLargeError:
        doc.data = None
        doc.issues.append(
            YamlIssue(1, (), "the document is too large or too deeply nested (recursive alias?)")
        )
    return doc

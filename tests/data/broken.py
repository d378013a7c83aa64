"""A corpus of broken model files, made from one good file by small edits.

Each case is a slug, the bytes of its file and the problems a reader must be told about
(``line: field: message [subtype]``). Kept as edits of one good file, so every case
differs from a valid model in exactly the way its name says.
"""

from __future__ import annotations

import itertools
from pathlib import Path

from sphinx_llmarch.mechanisms import REGISTRY, Mixer

ROOTS = Path(__file__).parent.parent / "roots"
GOOD = ROOTS / "test-bad" / "models" / "good.yaml"  # dense, grouped-query attention
GOOD_MOE = ROOTS / "test-gallery" / "models" / "tiny-mla.yaml"  # MLA and a mixture of experts


def _good(slug: str, base: Path = GOOD) -> str:
    text = base.read_text(encoding="utf-8")
    return text.replace(f"slug: {base.stem}", f"slug: {slug}").replace("based_on: tiny-gqa\n", "")


def _edit(slug: str, old: str, new: str, base: Path = GOOD) -> bytes:
    text = _good(slug, base)
    assert old in text, old
    return text.replace(old, new, 1).encode("utf-8")


def _cases() -> dict[str, bytes]:
    # "billion laughs": each alias list repeats the previous one ten times
    names = "abcdefghi"
    alias_bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{new}: &{new} [{', '.join(['*' + old] * 10)}]\n" for old, new in itertools.pairwise(names)
    )
    return {
        "tabs": _edit("tabs", "  hidden_size: 256", "\thidden_size: 256"),
        "a-list": b"- slug: a-list\n- name: A list\n",
        "empty": b"",
        "bad-utf8": _edit("bad-utf8", "name: Tiny GQA", "name: Tiny @ GQA").replace(b"@", b"\xff"),
        "wrong-type": _edit("wrong-type", "  hidden_size: 256", "  hidden_size: 256.5"),
        "negative": _edit("negative", "  vocab_size: 1000", "  vocab_size: -1000"),
        "absurd-depth": _edit(
            "absurd-depth",
            "count: 4\n    schedule:\n      - repeat: 4",
            "count: 1000000000\n    schedule:\n      - repeat: 1000000000",
        ),
        "missing-name": _edit("missing-name", "name: Tiny GQA\n", ""),
        "unknown-field": _edit("unknown-field", "  vocab_size: 1000", "  vocab_sise: 1000"),
        "bad-schedule": _edit("bad-schedule", "count: 4", "count: 5"),
        "unknown-kind": _edit("unknown-kind", "kind: gqa", "kind: gqa2"),
        "moe-active": _edit("moe-active", "active: 2", "active: 9", GOOD_MOE),
        "duplicate-slug": _edit("duplicate-slug", "slug: duplicate-slug", "slug: good"),
        "alias-bomb": _good("alias-bomb").encode("utf-8") + alias_bomb.encode("utf-8"),
        "python-tag": _edit(
            "python-tag", "name: Tiny GQA", "name: !!python/object/apply:os.system [echo hi]"
        ),
        "huge": _good("huge").encode("utf-8") + b"# padding\n" * 600_000,
        "draft": (_good("draft") + _DRAFT).encode("utf-8"),
    }


#: what ``llmarch import --draft`` appends for keys it could not represent
_DRAFT = """draft:
  - key: compress_ratios
    value: "[0, 0, 4, 128]"
    reason: not understood
  - key: hc_mult
    value: "4"
    reason: not understood
"""


def write_corpus(folder: Path) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    for slug, data in _cases().items():
        (folder / f"{slug}.yaml").write_bytes(data)
    return sorted(_cases())


_LIMIT = "Input should be less than or equal to 10000 (got 1000000000)"

#: slug -> the problems reported: (line, field, message, warning subtype)
EXPECTED: dict[str, list[tuple[int, str, str, str]]] = {
    "a-list": [(1, "", "a model file must be a mapping of fields", "schema")],
    "absurd-depth": [
        (41, "architecture.layers.count", _LIMIT, "schema"),
        (43, "architecture.layers.schedule[0].repeat", _LIMIT, "schema"),
    ],
    "alias-bomb": [
        (1, "", "the document is too large or too deeply nested (recursive alias?)", "yaml")
    ],
    "bad-schedule": [
        (41, "architecture.layers.count", "the schedule has 4 layers but count is 5", "consistency")
    ],
    "bad-utf8": [(4, "", "not valid UTF-8: byte 0xff cannot be decoded", "yaml")],
    "duplicate-slug": [
        (3, "slug", "slug 'good' must match the file name 'duplicate-slug'", "consistency")
    ],
    "draft": [
        (
            len(_good("draft").splitlines()) + 1,
            "draft",
            (
                "unfinished draft: 2 config keys not represented (compress_ratios, hc_mult); "
                "resolve each and delete the list"
            ),
            "draft",
        )
    ],
    "empty": [(1, "", "the file is empty", "yaml")],
    "huge": [(1, "", "the file is larger than 1 MiB", "yaml")],
    "missing-name": [(2, "", "missing required field 'name'", "schema")],
    "moe-active": [(41, "architecture.ffns.moe", "active (9) exceeds experts (8)", "schema")],
    "negative": [
        (20, "architecture.vocab_size", "Input should be greater than 0 (got -1000)", "schema")
    ],
    "python-tag": [
        (4, "name", "unsupported YAML tag '!!python/object/apply:os.system' refused", "yaml")
    ],
    "tabs": [
        (
            19,
            "",
            (
                "YAML syntax error: while scanning for the next token found character that cannot "
                "start any token (a tab: YAML indents with spaces only)"
            ),
            "yaml",
        )
    ],
    "unknown-field": [
        (18, "architecture", "missing required field 'vocab_size'", "schema"),
        (
            20,
            "architecture.vocab_sise",
            "unknown field 'vocab_sise'; did you mean 'vocab_size'?",
            "schema",
        ),
    ],
    "unknown-kind": [
        (
            28,
            "architecture.mixers.attn.kind",
            # every registered mixer kind, in registration order
            "unknown kind 'gqa2'; expected one of: " + ", ".join(REGISTRY.kinds(Mixer)),
            "schema",
        )
    ],
    "wrong-type": [
        (19, "architecture.hidden_size", "Input should be a valid integer (got 256.5)", "schema")
    ],
}


def message(field: str, text: str) -> str:
    return f"{field}: {text}" if field else text

"""The loader's messages, word for word: what a reader of a warning is told, and where.

``test_loader.py`` covers the kinds of bad input; these pin the exact text, line and kind
(subtype) of the messages that a wrong word or an off-by-one line would spoil unnoticed.
"""

from __future__ import annotations

from pathlib import Path

from sphinx_llmarch.model.loader import MAX_BYTES, Problem, load_file, load_text

from .conftest import TESTS

TINY = (TESTS / "roots" / "test-basic" / "models" / "tiny-gqa.yaml").read_text()


def problems(text: str) -> tuple[Problem, ...]:
    return load_text(text, Path("/m/tiny-gqa.yaml"), "tiny-gqa.yaml").problems


def test_a_file_that_cannot_be_read(tmp_path: Path) -> None:
    result = load_file(tmp_path / "absent.yaml", "absent.yaml")
    message = "cannot read the file: No such file or directory"
    assert result.problems == (Problem("absent.yaml", 1, "", message, "yaml"),)
    assert result.model is None


def test_bytes_that_are_not_utf_8_are_located_by_line(tmp_path: Path) -> None:
    path = tmp_path / "tiny-gqa.yaml"
    path.write_bytes(b"schema_version: 1\nslug: tiny-gqa\nname: Tiny \xff\n")
    [problem] = load_file(path, "tiny-gqa.yaml").problems
    message = "not valid UTF-8: byte 0xff cannot be decoded"
    assert problem == Problem("tiny-gqa.yaml", 3, "", message, "yaml")


def test_a_file_too_large(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"#" * (MAX_BYTES + 1))
    message = "the file is larger than 1 MiB"
    assert load_file(path, "big.yaml").problems == (Problem("big.yaml", 1, "", message, "yaml"),)
    assert str(load_file(path, "big.yaml").problems[0]) == f"big.yaml:1: {message}"


def draft(*keys: str) -> str:
    rows = "".join(f"  - key: {k}\n    value: '1'\n    reason: not understood\n" for k in keys)
    return TINY + "draft:\n" + rows


def test_a_draft_loads_with_one_warning_naming_its_keys() -> None:
    result = load_text(draft("a_key"), Path("/m/tiny-gqa.yaml"), "tiny-gqa.yaml")
    assert result.model is not None
    message = (
        "unfinished draft: 1 config key not represented (a_key); resolve each and delete the list"
    )
    assert result.problems == (Problem("tiny-gqa.yaml", 45, "draft", message, "draft"),)
    [problem] = load_text(draft("a", "b"), Path("/m/tiny-gqa.yaml"), "tiny-gqa.yaml").problems
    assert problem.message.startswith("unfinished draft: 2 config keys not represented (a, b)")


def test_a_misspelt_field_of_an_optional_section_gets_a_suggestion() -> None:
    text = TINY.replace("  basis: stated", "  basys: stated")
    messages = [p.message for p in problems(text)]
    assert "unknown field 'basys'; did you mean 'basis'?" in messages


def test_problems_are_sorted_by_line_and_given_once() -> None:
    text = TINY.replace("slug: tiny-gqa", "slug: other").replace("      kv_heads: 2", "")
    found = problems(text)
    assert [p.line for p in found] == sorted(p.line for p in found)
    assert len(set(found)) == len(found)

"""The llmarch command line."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from sphinx_llmarch.cli import main

from .conftest import MODELS, TESTS

BAD = TESTS / "roots" / "test-bad" / "models"


def test_validate_all_models(capsys, monkeypatch) -> None:
    monkeypatch.chdir(MODELS.parent)
    assert main(["validate"]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "0 with problems" in captured.err


def test_validate_reports_file_and_line(capsys) -> None:
    assert main(["validate", str(BAD / "wrong-type.yaml"), str(BAD / "unknown-field.yaml")]) == 1
    assert capsys.readouterr().out.splitlines() == [
        (
            f"{BAD}/wrong-type.yaml:29: architecture.mixers.attn.heads: Input should be a valid "
            "integer (got 'eight')"
        ),
        f"{BAD}/unknown-field.yaml:18: architecture: missing required field 'hidden_size'",
        (
            f"{BAD}/unknown-field.yaml:19: architecture.hiden_size: unknown field 'hiden_size'; "
            "did you mean 'hidden_size'?"
        ),
    ]


def test_validate_a_folder_never_raises(capsys) -> None:
    assert main(["validate", str(BAD)]) == 1
    out = capsys.readouterr().out
    assert "Traceback" not in out
    assert len(out.splitlines()) == 7  # one per problem: six broken files, one has two


def test_validate_missing_file(capsys) -> None:
    assert main(["validate", "no/such/file.yaml"]) == 1
    assert capsys.readouterr().out.startswith("no/such/file.yaml:1: cannot read the file")


@pytest.mark.parametrize("slug", ["gpt2-xl", "llama-3-8b", "deepseek-v3"])
def test_stats_json(capsys, slug: str) -> None:
    assert main(["stats", str(MODELS / f"{slug}.yaml"), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    for key in ("total_params", "active_params", "kv_cache_bytes_per_token"):
        assert isinstance(data[key], int)
    assert data["slug"] == slug


def test_stats_text_with_context(capsys) -> None:
    assert main(["stats", str(MODELS / "deepseek-v3.yaml"), "--context", "131072"]) == 0
    out = capsys.readouterr().out
    assert "671B (671,026,419,200)" in out
    assert "KV cache at 131,072  8.58 GiB" in out


def test_stats_of_a_broken_file(capsys) -> None:
    assert main(["stats", str(BAD / "wrong-type.yaml")]) == 1
    assert "wrong-type.yaml:29:" in capsys.readouterr().err


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_diagram_standalone_file(tmp_path: Path, theme: str) -> None:
    out = tmp_path / "d.svg"
    assert (
        main(["diagram", str(MODELS / "deepseek-v3.yaml"), "-o", str(out), "--theme", theme]) == 0
    )
    root = ET.fromstring(out.read_text(encoding="utf-8"))
    style = root.find("{http://www.w3.org/2000/svg}style")
    assert style is not None and style.text
    assert ("#0d1117" in style.text) == (theme == "dark")  # the dark canvas colour


def test_diagram_with_a_missing_dot_fails_cleanly(capsys, tmp_path: Path) -> None:
    code = main(
        [
            "diagram",
            str(MODELS / "gpt2-xl.yaml"),
            "-o",
            str(tmp_path / "x.svg"),
            "--graphviz",
            "no-such-dot-binary",
        ]
    )
    assert code == 1
    assert "Graphviz executable 'no-such-dot-binary' not found" in capsys.readouterr().err


def test_module_entry_point(tmp_path: Path) -> None:
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-m", "sphinx_llmarch", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert proc.stdout.startswith("llmarch ")


def test_schema_command(capsys) -> None:
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["title"] == "LLM architecture model file"
    assert "architecture" in schema["required"]


def test_validate_finds_the_models_a_sphinx_project_names(tmp_path, monkeypatch, capsys) -> None:
    project = tmp_path / "site"
    (project / "data").mkdir(parents=True)
    shutil.copy(MODELS / "llama-3-8b.yaml", project / "data")
    (project / "conf.py").write_text(
        'extensions = ["sphinx_llmarch"]\nllmarch_models_dir = "data"\n'
    )
    monkeypatch.chdir(project)
    assert main(["validate"]) == 0
    assert "1 file(s) checked, 0 with problems" in capsys.readouterr().err
    assert main(["memory", "llama-3-8b", "--context", "4k", "--json"]) == 0  # a slug of it
    empty = tmp_path / "elsewhere"
    empty.mkdir()
    monkeypatch.chdir(empty)
    assert main(["validate"]) == 2
    assert capsys.readouterr().err.strip() == (
        f"llmarch: no models folder at {empty / 'models'} (the default 'models'); name model "
        "files or folders, or run this in a Sphinx project whose conf.py sets llmarch_models_dir"
    )

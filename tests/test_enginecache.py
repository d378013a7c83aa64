"""The compiled Graphviz engine kept on disk: loaded by the next process, never when damaged."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from sphinx_llmarch.draw import enginecache

ROOT = Path(__file__).resolve().parent.parent

#: renders one graph in a fresh process, counting how often wasmtime compiles the module
SCRIPT = """
import json, sys
from pathlib import Path
import wasmtime
compiled = []
original = wasmtime.Module.from_file.__func__
def counting(cls, engine, path):
    compiled.append(path)
    return original(cls, engine, path)
wasmtime.Module.from_file = classmethod(counting)
from sphinx_llmarch.draw.engine import render_raw
svg = render_raw("digraph { a -> b }", "wasm", Path(sys.argv[1]))
print(json.dumps({"compiled": len(compiled), "svg": svg}))
"""


def _render_in_new_process(directory: Path) -> dict[str, object]:
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(directory)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    result: dict[str, object] = json.loads(proc.stdout.splitlines()[-1])
    return result


def test_second_process_loads_the_compiled_engine(tmp_path: Path) -> None:
    first = _render_in_new_process(tmp_path)
    assert first["compiled"] == 1
    files = list(tmp_path.glob("graphviz-*.cwasm"))
    assert [f.name for f in files] == [enginecache.compiled_path(tmp_path).name]
    second = _render_in_new_process(tmp_path)
    assert second["compiled"] == 0
    assert second["svg"] == first["svg"]
    assert "<svg" in str(second["svg"])
    assert not list(tmp_path.glob("*.tmp"))


def test_damaged_file_is_compiled_again_and_replaced(tmp_path: Path) -> None:
    _render_in_new_process(tmp_path)
    path = enginecache.compiled_path(tmp_path)
    good = path.read_bytes()
    damaged = bytearray(good)
    damaged[len(damaged) // 2] ^= 0xFF
    for bad in (bytes(damaged), good[: len(good) // 3], b"not a compiled engine"):
        path.write_bytes(bad)
        result = _render_in_new_process(tmp_path)
        assert result["compiled"] == 1
        assert "<svg" in str(result["svg"])
        assert path.read_bytes() == good

"""The memory calculator and chart in a real browser, against ``llmarch memory --json``.

The page's script evaluates coefficients written by the Python implementation; these
tests set the same inputs in the page and on the command line and ask for identical
integers. Skipped like the other browser tests where there is no Chromium.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from sphinx_llmarch.cli import main

from . import test_browser
from .conftest import MODELS
from .test_browser import Watched

# the browser tests' fixtures, shared
browser, tab = test_browser.browser, test_browser.tab

#: (model, context, batch, weights, KV cache, state or "" for the default): one model with
#: windows, one with latent attention, one hybrid whose config declares an fp32 state
SETTINGS = [
    ("gemma-3-27b", "100000", 2, "bf16", "fp8", ""),
    ("deepseek-v3", "1m", 1, "int4", "bf16", ""),
    ("nemotron-3-nano-30b-a3b", "32k", 8, "fp8", "fp16", ""),
    ("nemotron-3-nano-30b-a3b", "48k", 3, "bf16", "bf16", "bf16"),
]
KEYS = {"weights": "weights_bytes", "kv": "kv_cache_bytes", "total": "total_bytes"}


def cli(capsys: Any, slug: str, context: str, batch: int, weights: str, kv: str, state: str):
    args = ["memory", slug, "--context", context, "--batch", str(batch)]
    args += ["--weights", weights, "--kv", kv, "--json"] + (["--state", state] if state else [])
    assert main(args) == 0
    captured = capsys.readouterr()
    return json.loads(captured.out), captured.err


def set_inputs(page: Any, context: str, batch: int, weights: str, kv: str, state: str) -> None:
    page.fill("input[name=context]", context)
    page.fill("input[name=batch]", str(batch))
    page.select_option("select[name=weights]", weights)
    page.select_option("select[name=kv]", kv)
    if page.locator("select[name=state]").count():
        page.select_option("select[name=state]", state)


def shown(page: Any, slug: str) -> dict[str, Any]:
    """The integers one model's result carries, by the CLI's names."""
    box = page.locator(f'.llmarch-calc-result[data-slug="{slug}"]')
    found = {
        name: int(box.locator(f'dd[data-key="{key}"]').get_attribute("data-bytes"))
        for key, name in {**KEYS, "state": "state_bytes"}.items()
        if box.locator(f'dd[data-key="{key}"]').count()
    }
    found.setdefault("state_bytes", 0)
    crossing = box.locator('dd[data-key="crossover"]').get_attribute("data-tokens")
    found["kv_overtakes_weights_at"] = int(crossing) if crossing else None
    found["accelerators"] = box.locator('dd[data-key="accelerators"]').inner_text()
    found["warned"] = box.locator(".llmarch-calc-warning").count() == 1
    return found


def expected(data: dict[str, Any], err: str) -> dict[str, Any]:
    out = {k: data[k] for k in (*KEYS.values(), "state_bytes", "kv_overtakes_weights_at")}
    out["accelerators"] = ", ".join(f"{n} × {size}" for size, n in data["accelerators"].items())
    out["warned"] = "exceed the model's maximum context" in err
    return out


def _same(page_values: dict[str, Any], cli_values: dict[str, Any]) -> None:
    accelerators = page_values.pop("accelerators")
    wanted = cli_values.pop("accelerators")
    assert accelerators.startswith(wanted + " (10% of each kept free)")
    assert page_values == cli_values


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: f"{s[0]}-{s[1]}")
def test_the_page_calculator_gives_the_cli_s_numbers(
    tab: Watched, site: Path, capsys: Any, setting: tuple[str, str, int, str, str, str]
) -> None:
    slug, *inputs = setting
    page = tab.open(site, f"models/{slug}.html")
    set_inputs(page, *inputs)  # type: ignore[arg-type]
    data, err = cli(capsys, slug, *inputs)  # type: ignore[arg-type]
    _same(shown(page, slug), expected(data, err))
    assert tab.problems == []


def test_the_compare_page_computes_both_models_at_the_same_setting(
    tab: Watched, site: Path, capsys: Any
) -> None:
    a, b = "deepseek-v3", "qwen3-next-80b-a3b"
    page = tab.open(site, f"compare.html?a={a}&b={b}")
    inputs = ("256k", 4, "fp8", "fp8", "")
    set_inputs(page, *inputs)
    for slug in (a, b):
        _same(shown(page, slug), expected(*cli(capsys, slug, *inputs)))
    assert tab.problems == []


def test_beyond_the_maximum_the_page_warns_and_still_computes(tab: Watched, site: Path) -> None:
    page = tab.open(site, "models/llama-3-8b.html")
    page.fill("input[name=context]", "1m")
    warning = page.inner_text(".llmarch-calc-warning")
    assert warning.startswith("1,048,576 tokens exceed Llama 3 8B's native context of 8,192")
    kv = page.get_attribute('dd[data-key="kv"]', "data-bytes")
    assert int(kv) == 32 * 2 * 8 * 128 * 1048576 * 2


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("context", "lots", "The context must be a positive whole number of tokens"),
        ("context", "0", "The context must be a positive whole number of tokens"),
        ("context", "1.3", "The context must be a positive whole number of tokens"),
        ("batch", "0", "The batch must be a whole number of sequences, 1 or more."),
        ("batch", "-2", "The batch must be a whole number of sequences, 1 or more."),
    ],
)
def test_bad_input_gets_a_message_and_no_numbers(
    tab: Watched, site: Path, field: str, value: str, message: str
) -> None:
    page = tab.open(site, "models/gemma-3-27b.html")
    page.fill(f"input[name={field}]", value)
    assert page.inner_text(".llmarch-calc-message").startswith(message)
    assert page.locator(".llmarch-calc-result dd").count() == 0
    assert "NaN" not in page.inner_text(".llmarch-memory")


def test_the_slider_runs_from_1k_to_the_model_s_maximum(tab: Watched, site: Path) -> None:
    page = tab.open(site, "models/gemma-3-27b.html")
    slider = page.locator("input[name=slider]")
    slider.fill(slider.get_attribute("max"))
    assert page.input_value("input[name=context]") == "128k"
    slider.fill("0")
    assert page.input_value("input[name=context]") == "1k"
    assert "ctx=1k" in page.url


def test_the_chart_shows_the_chosen_models_and_takes_more(tab: Watched, site: Path) -> None:
    page = tab.open(site, "memory.html")
    lines = page.locator("g.llmarch-series")
    # one line per model that the chart's axis reaches (every model with more than 64 tokens)
    assert lines.count() == len(list(MODELS.glob("*.yaml")))
    visible = page.locator("g.llmarch-series:not(.llmarch-off)")
    assert visible.count() == 8
    page.select_option("select[name=model]", "llama-3-8b")
    page.click("text=Add to the chart")
    assert "At most 8 models at once" in page.inner_text(".llmarch-memory-chart")
    page.click("button[aria-label='Remove Gemma 3 27B from the chart']")
    page.click("text=Add to the chart")
    assert visible.count() == 8
    assert (
        page.locator('g.llmarch-series[data-slug="llama-3-8b"]')
        .get_attribute("class")
        .startswith("llmarch-series llmarch-series-")
    )
    assert page.locator('g.llmarch-series[data-slug="gemma-3-27b"].llmarch-off').count() == 1
    assert "llama-3-8b" in page.url and "gemma-3-27b" not in page.url.split("models=")[1]
    page.reload()
    assert page.locator('g.llmarch-series[data-slug="gemma-3-27b"].llmarch-off').count() == 1
    assert tab.problems == []

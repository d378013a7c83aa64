"""Final logit soft-capping (``mechanisms/softcap.py``): Gemma 4's cap and Muse Glimmer's.

Gemma 4 31B's config.json gives ``final_logit_softcapping: 30.0``; Muse Glimmer 30B's gives
20.0 with ``output_multiplier: 0.19611613513818404`` applied to the logits first.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from sphinx_llmarch.describe.concepts import all_concepts, concepts_of
from sphinx_llmarch.draw.mainpanel import main_panel
from sphinx_llmarch.importer.config import HFConfig
from sphinx_llmarch.mechanisms import softcap
from sphinx_llmarch.mechanisms.softcap import LogitSoftcap
from sphinx_llmarch.model.figures import compute
from sphinx_llmarch.model.loader import LoadedModel, load_text

from .conftest import REPO

#: a plain model of the gallery, with and without a soft-cap after its output layer
MODEL = (REPO / "models" / "llama-3-8b.yaml").read_text(encoding="utf-8")


def _load(extra: str = "") -> LoadedModel:
    text = MODEL.replace("\narchitecture:\n", "\narchitecture:\n" + extra)
    result = load_text(text, Path("/m/llama-3-8b.yaml"), "llama-3-8b.yaml")
    assert result.problems == ()
    assert result.model is not None
    return result.model


CAPPED = "  logit_softcap: {cap: 30.0}\n"


def test_it_adds_no_weights_and_no_cache() -> None:
    plain, capped = compute(_load()), compute(_load(CAPPED))
    assert capped == plain
    h = 4096  # Llama 3 8B: 32 layers of GQA 32/8 x 128 and a SwiGLU MLP of 14,336
    layer = h * (4096 + 1024 + 1024) + 4096 * h + 3 * h * 14336 + 2 * h
    assert capped.total_params == 2 * 128256 * h + h + 32 * layer


def test_what_it_does_to_a_logit() -> None:
    gemma = LogitSoftcap(cap=30.0)
    assert gemma.apply(45.0) == pytest.approx(30 * math.tanh(1.5))  # 27.15
    assert gemma.apply(3.0) == pytest.approx(2.99, abs=0.01)  # small logits barely move
    assert gemma.apply(120.0) < 30 and gemma.apply(-120.0) > -30  # never past the cap
    muse = LogitSoftcap(cap=20.0, multiplier=0.19611613513818404)
    assert muse.apply(100.0) == pytest.approx(20 * math.tanh(100 * 0.19611613513818404 / 20))


def test_its_box_follows_the_output_layer_and_links_its_concept() -> None:
    model = _load(CAPPED)
    panel = main_panel(model)
    assert 'label="Logit soft-cap\\n30 · tanh(x / 30)"' in panel.dot
    assert '"head" -> "softcap"' in panel.dot
    assert any(link.node == "softcap" and link.concept == "logit-softcap" for link in panel.links)
    assert "logit-softcap" in concepts_of(model)
    assert "logit-softcap" not in concepts_of(_load())
    assert all_concepts()["logit-softcap"] == "Logit soft-capping"
    muse = LogitSoftcap(cap=20.0, multiplier=0.19611613513818404)
    assert muse.label() == "Logit soft-cap\n20 · tanh(0.1961 · x / 20)"


def test_the_importer_reads_the_cap_and_the_multiplier() -> None:
    c = HFConfig({"text_config": {"final_logit_softcapping": 20.0, "output_multiplier": 0.5}})
    assert softcap.from_config(c) == {"cap": 20.0, "multiplier": 0.5}
    assert {"final_logit_softcapping", "output_multiplier"} <= c.used
    assert softcap.from_config(HFConfig({"final_logit_softcapping": None})) is None

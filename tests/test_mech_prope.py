"""Proportional RoPE (p-RoPE, ``mechanisms/prope.py``) on a Gemma 4 31B-shaped stack.

The numbers are those of Gemma 4 31B's config.json: sliding-window layers with RoPE over
256-wide heads, global layers with ``rope_type: proportional`` and
``partial_rotary_factor: 0.25`` over 512-wide heads.
"""

from __future__ import annotations

import math
import textwrap
from pathlib import Path

from sphinx_llmarch.describe.concepts import all_concepts, concepts_of
from sphinx_llmarch.draw.mainpanel import side_inputs
from sphinx_llmarch.importer.config import HFConfig
from sphinx_llmarch.mechanisms import prope
from sphinx_llmarch.mechanisms.prope import ProportionalRoPE
from sphinx_llmarch.model.figures import compute
from sphinx_llmarch.model.loader import LoadedModel, load_text

GLOBAL_POSITION = "{kind: p_rope, theta: 1000000.0, fraction: 0.25}"

MODEL = textwrap.dedent("""\
    slug: prope-test
    name: p-RoPE test
    context: {native: 262144}
    architecture:
      hidden_size: 5376
      vocab_size: 262144
      tie_embeddings: true
      norm: {kind: rmsnorm, placement: sandwich}
      mixers:
        local:
          kind: gqa
          heads: 32
          kv_heads: 16
          head_dim: 256
          window: 1024
          position: {kind: rope, theta: 10000.0}
        global:
          kind: gqa
          heads: 32
          kv_heads: 4
          head_dim: 512
          position: POSITION
      ffns:
        mlp: {kind: dense, hidden: 21504, activation: geglu}
      layers:
        count: 6
        schedule:
          - repeat: 5
            pattern: [local + mlp]
          - global + mlp
    """)


def _load(position: str = GLOBAL_POSITION) -> LoadedModel:
    text = MODEL.replace("POSITION", position)
    result = load_text(text, Path("/m/prope-test.yaml"), "prope-test.yaml")
    assert result.problems == ()
    assert result.model is not None
    return result.model


def test_it_adds_no_weights_and_no_cache() -> None:
    ours = compute(_load())
    plain = compute(_load("{kind: rope, theta: 1000000.0, fraction: 0.25}"))
    assert ours.total_params == plain.total_params
    h = 5376
    local = h * (8192 + 4096 + 4096) + 8192 * h + 3 * h * 21504 + 4 * h
    glob = h * (16384 + 2048 + 2048) + 16384 * h + 3 * h * 21504 + 4 * h
    assert ours.total_params == 262144 * h + h + 5 * local + glob
    # 5 local layers of 16 KV heads x (256 + 256) values, one global of 4 x (512 + 512)
    assert ours.kv_cache_bytes_per_token == (5 * 16 * 512 + 4 * 1024) * 2


def test_the_share_it_rotates_is_a_share_of_the_full_heads_frequencies() -> None:
    p = _load().spec.architecture.mixers["global"].position_scheme()
    assert isinstance(p, ProportionalRoPE)
    head_dim = 512
    pairs = head_dim // 2
    kept = int(p.fraction * head_dim // 2)  # the code's rope_angles
    assert (kept, pairs - kept) == (64, 192)
    # the kept pairs turn at a full head's fastest frequencies: theta ** (-2i / 512)
    slowest_kept = p.theta ** (-2 * (kept - 1) / head_dim)
    # partial RoPE over the same 128 dimensions would spread them down to theta ** (-126/128)
    assert slowest_kept > 1000 * p.theta ** (-(kept - 1) / kept)
    assert 2 * math.pi / slowest_kept < 200  # wavelengths of under 200 tokens only
    assert p.rotated_share() == 0.25
    assert p.base_frequency() == 1_000_000


def test_its_names_and_concept() -> None:
    model = _load()
    p = model.spec.architecture.mixers["global"].position_scheme()
    assert p is not None
    assert (p.label(), p.detail()) == ("p-RoPE", "25% of frequencies, θ 1,000,000")
    assert all_concepts()["p-rope"] == "Proportional RoPE (p-RoPE)"
    assert {"rope", "p-rope"} <= set(concepts_of(model))
    arch = model.spec.architecture
    assert "or p-RoPE\n(global GQA)" in side_inputs(arch, model.layers, model.stack)


def test_the_importer_reads_it_from_the_layer_types_rope_parameters() -> None:
    c = HFConfig(
        {
            "rope_parameters": {
                "full_attention": {
                    "partial_rotary_factor": 0.25,
                    "rope_theta": 1000000.0,
                    "rope_type": "proportional",
                },
                "sliding_attention": {"rope_theta": 10000.0, "rope_type": "default"},
            }
        }
    )
    assert prope.from_config(c, "full_attention") == {
        "kind": "p_rope",
        "fraction": 0.25,
        "theta": 1000000.0,
    }
    assert prope.from_config(c, "sliding_attention") is None
    assert c.unresolved() == []  # both groups, every key in them, accounted for

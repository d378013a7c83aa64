"""Shortcut-connected MoE (LongCat-Flash): the experts beside a dense FFN, added later."""

from __future__ import annotations

from sphinx_llmarch.mechanisms import Stack
from sphinx_llmarch.mechanisms.moe import MoE

H = 3072  # hidden_size


#: LongCat's MoE: 256 experts (n_routed_experts) of 1,024 (expert_ffn_hidden_size), top-12
ROUTING = {"kind": "moe", "experts": 256, "active": 12, "expert_hidden": 1024}
#: with mlps[0], the dense FFN (ffn_hidden_size) that reads the same normed input
DENSE = {"hidden": 6144, "activation": "swiglu"}


def _moe(shortcut: bool) -> MoE:
    router = {"scoring": "softmax"}
    spec = {**ROUTING, "activation": "swiglu", "router": router, "parallel_dense": DENSE}
    return MoE.model_validate({**spec, "shortcut": shortcut})


def test_the_shortcut_moves_no_weight() -> None:
    expert, dense, router = 3 * H * 1024, 3 * H * 6144, 256 * H
    assert _moe(True).params(H) == _moe(False).params(H)
    assert _moe(True).params(H) == (router + dense + 256 * expert, router + dense + 12 * expert)


def test_words_and_concept() -> None:
    moe = _moe(True)
    assert moe.note() == "MoE: 256 experts, 12 active + a dense FFN (shortcut)"
    assert "shortcut-moe" in moe.concepts_used(Stack())
    assert "shortcut-moe" not in _moe(False).concepts_used(Stack())
    assert "the experts' output is added after the next sub-layer" in moe.panel(H).notes

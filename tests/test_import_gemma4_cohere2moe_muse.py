"""``llmarch import`` of Gemma 4, Cohere2 MoE and Muse Glimmer configs reproduces the
hand-checked model files (their layers, norms, soft-cap), and reads every key of their
text models; what stays unread are the multimodal wrappers' token ids and encoder keys."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from sphinx_llmarch.importer.assemble import import_config
from sphinx_llmarch.model.loader import load_file

from .conftest import MODELS, REPO
from .test_importer import architecture, imported

#: reference copies of the official config.json files (kept outside the project)
REFERENCE = Path(
    os.environ.get(
        "LLMARCH_REFERENCE_CONFIGS_WAVE2", REPO.parent / "shared" / "reference" / "configs-wave2"
    )
)
_TOKENS = {"audio_token_id", "boa_token_id", "boi_token_id", "eoa_token_index", "eoi_token_id"}
#: slug -> the keys that may stay unread: the multimodal wrapper's, none of the text model's
WRAPPER_KEYS = {
    "gemma-4-12b": {"audio_config", *_TOKENS},
    "gemma-4-26b-a4b": {"audio_config", "eoa_token_id", "vision_soft_tokens_per_image", *_TOKENS},
    "gemma-4-31b": {"audio_config", "eoa_token_id", "vision_soft_tokens_per_image", *_TOKENS},
    "north-mini-code": set(),
    "command-a-plus": {
        "alignment_activation_fn",
        "alignment_intermediate_size",
        "downsample_factor",
        "enable_adapter_layer_norm",
        "image_token",
        "max_splits_per_img",
    },
    "muse-glimmer-30b": {"out_hidden_size", "projector_hidden_size"},
}
PRESENT = [s for s in WRAPPER_KEYS if (REFERENCE / f"{s}.json").is_file()]


@pytest.mark.skipif(not PRESENT, reason=f"no reference configs in {REFERENCE}")
@pytest.mark.parametrize("slug", PRESENT)
def test_import_reproduces_the_hand_checked_architecture(slug: str) -> None:
    raw = json.loads((REFERENCE / f"{slug}.json").read_text(encoding="utf-8"))
    ours = imported(raw, slug)
    hand = load_file(MODELS / f"{slug}.yaml").model
    assert hand is not None
    assert architecture(ours) == architecture(hand)
    assert ours.spec.architecture.logit_softcap == hand.spec.architecture.logit_softcap
    assert {u.key for u in import_config(raw, slug).unresolved} <= WRAPPER_KEYS[slug]

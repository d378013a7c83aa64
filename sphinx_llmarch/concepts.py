"""The architectural concepts the model files can express, and which ones a model uses.

Each concept has a key; the docs' concept pages define the target
``llmarch-concept-<key>`` for it, the diagrams link their boxes there, and the concept
lists ("models that use it") are generated from :func:`concepts_of`.
"""

from __future__ import annotations

from .loader import LoadedModel
from .schema import MLA, Attention, DeltaMixer, DenseFFN, Lightning, Mamba2, MoE, position_of
from .stack import used_ffns, used_mixers

#: key → title, in the order the concept pages present them
CONCEPTS: dict[str, str] = {
    "mha": "Multi-head attention (MHA)",
    "gqa": "Grouped-query attention (GQA)",
    "mqa": "Multi-query attention (MQA)",
    "mla": "Multi-head latent attention (MLA)",
    "sliding-window": "Sliding-window attention",
    "chunked": "Chunked attention",
    "dsa": "DeepSeek sparse attention (DSA)",
    "gated-attention": "Gated attention",
    "attention-sinks": "Attention sinks",
    "gated-deltanet": "Gated DeltaNet",
    "kimi-delta": "Kimi Delta Attention",
    "lightning": "Lightning Attention",
    "mamba2": "Mamba-2",
    "moe": "Mixture of experts (MoE)",
    "shared-experts": "Shared experts",
    "dense-prefix": "Dense prefix",
    "latent-moe": "Latent MoE",
    "learned-positions": "Learned absolute positions",
    "rope": "Rotary position embedding (RoPE)",
    "partial-rope": "Partial RoPE",
    "nope": "No positional encoding (NoPE)",
    "yarn": "YaRN and RoPE scaling",
    "qk-norm": "QK-norm",
    "pre-norm": "Pre-norm",
    "post-norm": "Post-norm",
    "sandwich-norm": "Sandwich norm",
    "parallel-block": "Parallel attention and feed-forward",
    "tied-embeddings": "Tied embeddings",
    "mtp": "Multi-token prediction (MTP)",
}


def concepts_of(model: LoadedModel) -> list[str]:
    """Keys of the concepts ``model`` uses, in the order of :data:`CONCEPTS`."""
    arch = model.spec.architecture
    layers = model.layers
    mixers = [arch.mixers[n] for n in used_mixers(arch, layers)]
    ffns = [arch.ffns[n] for n in used_ffns(arch, layers)]
    found: set[str] = set()
    for m in mixers:
        if isinstance(m, Attention):
            found.add(m.kind)
            found.update({"sliding-window"} if m.window else set())
            found.update({"chunked"} if m.chunk else set())
            found.update({"attention-sinks"} if m.sinks else set())
        elif isinstance(m, MLA):
            found.add("mla")
            found.update({"dsa"} if m.sparse else set())
        elif isinstance(m, DeltaMixer):
            found.add("gated-deltanet" if m.kind == "gated_deltanet" else "kimi-delta")
        elif isinstance(m, Lightning):
            found.add("lightning")
        elif isinstance(m, Mamba2):
            found.add("mamba2")
        if getattr(m, "output_gate", "none") != "none" and not isinstance(m, Lightning):
            found.add("gated-attention")
        if getattr(m, "qk_norm", "none") != "none":
            found.add("qk-norm")
        position = position_of(m)
        if position is not None:
            found.add(
                {"rope": "rope", "nope": "nope", "learned": "learned-positions"}[position.kind]
            )
            if position.fraction < 1:
                found.add("partial-rope")
            if position.scaling is not None:
                found.add("yarn")
    moes = [f for f in ffns if isinstance(f, MoE)]
    if moes:
        found.add("moe")
        if any(f.shared for f in moes):
            found.add("shared-experts")
        if any(f.latent for f in moes):
            found.add("latent-moe")
        first = arch.ffns[layers[0].ffn] if layers and layers[0].ffn else None
        if isinstance(first, DenseFFN):
            found.add("dense-prefix")
    found.add(
        {
            "pre": "pre-norm",
            "post": "post-norm",
            "sandwich": "sandwich-norm",
            "parallel": "parallel-block",
        }[arch.norm.placement]
    )
    if arch.tie_embeddings:
        found.add("tied-embeddings")
    if arch.mtp:
        found.add("mtp")
    return [key for key in CONCEPTS if key in found]

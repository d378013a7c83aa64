"""The reference gallery's published fact-sheet values (facts, for checking).

Keyed by our slug. An entry is compared only when ``models/`` has that slug, so the table may
run ahead of the models, and a model the gallery lacks simply has no entry.

Layer mix and KV cache per token (bf16, KiB) as the reference gallery states them; our
figures are computed independently from the model files and compared in
``test_official_figures.py``.
"""

GALLERY: dict[str, tuple[str, float]] = {
    "gpt2-xl": ("48 MHA", 300),
    "llama-3-8b": ("32 GQA", 128),
    "olmo-2-7b": ("32 MHA", 512),
    "deepseek-v3": ("61 MLA", 68.6),
    "deepseek-r1": ("61 MLA", 68.6),
    "gemma-3-27b": ("52 sliding-window + 10 global", 496),
    "mistral-small-3.1-24b": ("40 GQA", 160),
    "llama-4-maverick": ("36 chunked + 12 full GQA", 192),
    "qwen3-235b-a22b": ("94 GQA", 188),
    "qwen3-32b": ("64 GQA", 256),
    "qwen3-4b": ("36 GQA", 144),
    "qwen3-8b": ("36 GQA", 144),
    "smollm3-3b": ("36 GQA", 72),
    "kimi-k2": ("61 MLA", 68.6),
    "glm-4.5": ("92 GQA", 368),
    "gpt-oss-120b": ("18 sliding-window + 18 global", 72),
    "gpt-oss-20b": ("12 sliding-window + 12 global", 48),
    "grok-2.5": ("64 GQA", 256),
    "qwen3-next-80b-a3b": ("12 gated attention + 36 DeltaNet", 24),
    "minimax-m2": ("62 GQA", 248),
    "kimi-linear-48b-a3b": ("7 MLA + 20 Kimi Delta Attention", 7.9),
    "olmo-3-32b": ("48 sliding-window + 16 global", 256),
    "olmo-3-7b": ("24 sliding-window + 8 global", 512),
    "deepseek-v3.2": ("61 MLA", 68.6),
    "mistral-large-3": ("61 MLA", 68.6),
    "nemotron-3-nano-30b-a3b": ("6 GQA + 23 Mamba-2 + 23 MoE", 6),
    "mimo-v2-flash": ("40 sliding-window + 8 global", 144),
    "glm-4.7": ("92 GQA", 368),
    "trinity-large": ("45 sliding-window + 15 global", 240),
    "glm-5": ("78 MLA", 87.8),
    "nemotron-3-super-120b-a12b": ("8 GQA + 40 Mamba-2 + 40 MoE", 8),
    "step-3.5-flash": ("36 sliding-window + 12 global", 192),
    "nanbeige-4.1-3b": ("32 GQA", 64),
    "minimax-m2.5": ("62 GQA", 248),
    "tiny-aya": ("27 sliding-window + 9 global", 72),
    "ling-2.5-1t": ("10 MLA + 70 Lightning Attention", 11.2),
    "qwen3.5-397b": ("15 gated attention + 45 DeltaNet", 30),
    "sarvam-105b": ("32 MLA", 36),
    "sarvam-30b": ("19 GQA", 19),
    # the gallery cards of the second wave (cards with a public configuration)
    "llama-3.2-1b": ("16 GQA", 32),
    "llama-3.2-3b": ("28 GQA", 112),
    "xlstm-7b": ("32 mLSTM", 0),
    "qwen3-0.6b": ("28 GQA", 112),
    "qwen3-30b-a3b": ("48 GQA", 96),
    "glm-4.5-air": ("46 GQA", 184),
    "gemma-3-270m": ("15 sliding-window + 3 global", 18),
    "intellect-3": ("46 GQA", 184),
    "kimi-k2.5": ("61 MLA", 68.6),
    "longcat-flash-lite": ("28 logical layers / 56 MLA sublayers", 63),
    "minimax-m2.7": ("62 GQA", 248),
    "gemma-4-26b-a4b": ("25 sliding-window + 5 global", 210),
    "gemma-4-31b": ("50 sliding-window + 10 global", 840),
    "glm-5.1": ("78 MLA", 87.8),
    "qwen3.6-35b-a3b": ("10 gated attention + 30 DeltaNet", 20),
    "kimi-k2.6": ("61 MLA", 68.6),
    "qwen3.6-27b": ("16 gated attention + 48 DeltaNet", 64),
    "mimo-v2.5": ("39 sliding-window + 9 global", 144),
    "mimo-v2.5-pro": ("60 sliding-window + 10 global", 350),
    "ling-2.6-1t": ("10 MLA + 70 Lightning Attention + 1 MTP layer", 11.2),
    "hy3-preview": ("80 GQA + 1 MTP layer", 320),
    "deepseek-v4-flash": ("43 CSA/HCA", 5.4),
    "deepseek-v4-pro": ("61 CSA/HCA", 7.7),
    "laguna-xs.2": ("30 sliding-window + 10 global", 160),
    "zaya1-8b": ("40 CCA/GQA attention + 40 top-1 MoE FFN entries", 40),
    "command-a-plus": ("24 sliding-window + 8 global GQA/MoE", 128),
}

#: the gallery's words for what our layer mixes call otherwise
SYNONYMS = {
    "full GQA": "global",
    "DeltaNet": "Gated DeltaNet",
    "MLA + DSA": "MLA",
    "global GQA/MoE": "global",
}

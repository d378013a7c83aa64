"""Reading a Hugging Face ``config.json``: key spellings, defaults, and what was not understood.

:class:`HFConfig` merges a multimodal wrapper's ``text_config`` over the top level, looks
keys up under their several spellings, and remembers every key it read, so the importer
can list the keys it did not understand instead of dropping them silently.
"""

from __future__ import annotations

from typing import Any

#: keys that carry no architecture (token ids, training and runtime settings, provenance)
IGNORED = frozenset(
    {
        "_name_or_path",
        "architectures",
        "auto_map",
        "bos_token_id",
        "eos_token_id",
        "pad_token_id",
        "sep_token_id",
        "decoder_start_token_id",
        "torch_dtype",
        "dtype",
        "transformers_version",
        "use_cache",
        "initializer_range",
        "attention_dropout",
        "hidden_dropout",
        "embd_pdrop",
        "attn_pdrop",
        "resid_pdrop",
        "embedding_dropout",
        "output_dropout",
        "summary_activation",
        "summary_first_dropout",
        "summary_proj_to_labels",
        "summary_type",
        "summary_use_proj",
        "task_specific_params",
        "output_router_logits",
        "router_aux_loss_coef",
        "router_jitter_noise",
        "quantization_config",
        "pretraining_tp",
        "unsloth_fixed",
        "unsloth_version",
        "output_past",
        "tokenizer_class",
        "ep_size",
        "use_mamba_kernels",
        "num_logits_to_keep",
        "cache_implementation",
        "image_token_index",
        "image_token_id",
        "video_token_id",
        "vision_start_token_id",
        "vision_end_token_id",
        "boi_token_index",
        "eoi_token_index",
        "mm_tokens_per_image",
        "vision_config",
        "vision_feature_layer",
        "vision_feature_select_strategy",
        "multimodal_projector_bias",
        "projector_hidden_act",
        "spatial_merge_size",
        "text_config",
        "model_type",
        "load_balance_coeff",
        "mtp_loss_scaling_factor",
        "seq_aux",
        "use_grouped_mm",
        "router_dtype",
        "need_fp32_gate",
        "mamba_ssm_cache_dtype",
        "mamba_ssm_dtype",
        "residual_in_fp32",
        "for_llm_compressor",
        "moe_shared_expert_overlap",
        "attn_implementation",
        "logit_scale",
        "rescale_prenorm_residual",
        "time_step_floor",
        "time_step_limit",
        "time_step_max",
        "time_step_min",
        "chunk_size",
        "mup_enabled",
        "max_window_layers",
        "use_sliding_window",
        "initial_context_length",
        "aux_loss_alpha",
        "max_length",
    }
)


class HFConfig:
    """A config.json, its ``text_config`` merged in, with a record of the keys read."""

    def __init__(self, raw: dict[str, Any]) -> None:
        text = raw.get("text_config")
        self.data: dict[str, Any] = {**raw, **text} if isinstance(text, dict) else dict(raw)
        # the text model's type names its code ("gemma3_text" is gemma3's decoder)
        self.model_type = str(self.data.get("model_type") or "unknown").removesuffix("_text")
        self.used: set[str] = set()

    def has(self, *keys: str) -> bool:
        return any(self.data.get(k) is not None for k in keys)

    def get(self, *keys: str, default: Any = None) -> Any:
        """The value of the first of ``keys`` that is set (not null).

        Every spelling present is marked as read: they are aliases of one setting.
        """
        self.used.update(k for k in keys if k in self.data)
        for key in keys:
            if self.data.get(key) is not None:
                return self.data[key]
        return default

    def nested(self, key: str, inner: str, default: Any = None) -> Any:
        """``config[key][inner]``, for grouped settings such as ``rope_parameters``."""
        group = self.data.get(key)
        if isinstance(group, dict) and inner in group:
            self.used.add(key)
            return group[inner]
        return default

    def mark(self, *keys: str) -> None:
        """Record keys as understood although their value changes nothing here."""
        self.used.update(k for k in keys if k in self.data)

    def unknown(self) -> list[str]:
        """Keys neither read nor known to be irrelevant, in file order."""
        return [k for k in self.data if k not in self.used and k not in IGNORED]

    def head_dim(self) -> int | None:
        """The attention head size: stated, or the width divided by the heads."""
        hidden = self.int("hidden_size", "n_embd", "d_model")
        heads = self.int("num_attention_heads", "n_head")
        explicit = self.int("head_dim", "kv_channels")
        return explicit or (hidden // heads if hidden and heads else None)

    def int(self, *keys: str, default: int | None = None) -> int | None:
        value = self.get(*keys)
        if value is None:
            return default
        return int(value)

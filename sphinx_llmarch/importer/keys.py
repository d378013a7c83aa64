"""The config keys that carry no architecture, grouped by why (the documented list).

Every key of a config.json is either understood (a mechanism or family read it and it
shaped the model), listed here as irrelevant to the architecture, or unknown. Only the
last makes an import stop. A key belongs here only if no value of it changes a weight, a
shape, the layer stack or the cache; a key that matters for some values (``use_sliding_window``)
is in :data:`IRRELEVANT_WHEN` with the values for which it does not.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from ..mechanisms.rope import ROPE_CURVE


class Group(NamedTuple):
    title: str
    why: str
    keys: frozenset[str]


GROUPS: tuple[Group, ...] = (
    Group(
        "Token ids",
        "Which token ids are special is a matter of the tokenizer, not of the network.",
        frozenset(
            {
                "bos_token_id",
                "eos_token_id",
                "pad_token_id",
                "sep_token_id",
                "decoder_start_token_id",
                "image_token_index",
                "image_token_id",
                "video_token_id",
                "audio_token_id",
                "vision_start_token_id",
                "vision_end_token_id",
                "boi_token_index",
                "eoi_token_index",
                "mm_tokens_per_image",
                "boa_token_id",
                "boi_token_id",
                "eoa_token_id",
                "eoa_token_index",
                "eoi_token_id",
                "eod_token_id",
                "ignore_index",
                "media_placeholder_token_id",
                "image_placeholder",
                "video_placeholder",
                "image_token",
                "force_bos_token_insert",
            }
        ),
    ),
    Group(
        "Number formats and quantisation",
        "The precision weights are stored or computed in; the architecture is the same in "
        "any precision (KV caches are quoted in bf16 throughout). The precision declared for a "
        "fixed state is read into ``state_precision`` where a layer keeps one.",
        frozenset(
            {
                "torch_dtype",
                "dtype",
                "quantization_config",
                "compression_config",
                "router_dtype",
                "need_fp32_gate",
                "mamba_ssm_cache_dtype",
                "mamba_ssm_dtype",
                "residual_in_fp32",
                "for_llm_compressor",
                "fp32_residual_connection",
                "expert_dtype",
                "autocast_kernel_dtype",
                "inference_state_dtype",
                "enable_attention_fp32_softmax",
                "enable_lm_head_fp32",
                "enable_moe_fp32_combine",
                "norm_reduction_force_float32",
                "moe_router_dtype",
                "bitwise_backward_align",
            }
        ),
    ),
    Group(
        "Training settings",
        "Initialisation, dropout, auxiliary losses and their weights act during training only.",
        frozenset(
            {
                "initializer_range",
                "attention_dropout",
                "hidden_dropout",
                "embd_pdrop",
                "attn_pdrop",
                "resid_pdrop",
                "embedding_dropout",
                "output_dropout",
                "output_router_logits",
                "router_aux_loss_coef",
                "router_jitter_noise",
                "router_z_loss_coef",
                "load_balance_coeff",
                "mtp_loss_scaling_factor",
                "seq_aux",
                "aux_loss_alpha",
                "rescale_prenorm_residual",
                "time_step_floor",
                "time_step_limit",
                "time_step_max",
                "time_step_min",
                "init_method",
                "block_mlp_init_scale",
                "block_out_init_scale",
                "block_use_xavier_init",
                "conv_use_xavier_init",
                "igate_bias_init_range",
                "mhc_identity_init",
                "learnable_sink_init",
                "loop_loss_weights",
                "mtp_loss_factor",
                "add_embedding_dropout",
                "_debug_force_load_balance",
            }
        ),
    ),
    Group(
        "Runtime and kernels",
        "How a library runs the model (caching, kernels, parallelism), not what it computes.",
        frozenset(
            {
                "use_cache",
                "pretraining_tp",
                "ep_size",
                "use_mamba_kernels",
                "num_logits_to_keep",
                "cache_implementation",
                "use_grouped_mm",
                "moe_shared_expert_overlap",
                "attn_implementation",
                "_attn_implementation",
                "chunk_size",
                "output_past",
                "return_dict",
                "output_hidden_states",
                "output_attentions",
                "torchscript",
                "chunkwise_kernel",
                "sequence_kernel",
                "step_kernel",
                "mode",
                "return_last_states",
                "add_forward_backend_padding",
                "mamba_chunk_size",
                "att_impl_type",
                "attention_projection_layout",
                "language_model_only",
                "use_unified_vision_chunk",
            }
        ),
    ),
    Group(
        "Provenance and tooling",
        "Where the file came from and which classes load it.",
        frozenset(
            {
                "_name_or_path",
                "architectures",
                "auto_map",
                "transformers_version",
                "unsloth_fixed",
                "unsloth_version",
                "tokenizer_class",
                "task_specific_params",
                "model_type",
                "_provenance",
            }
        ),
    ),
    Group(
        "Generation defaults and library boilerplate",
        "Sampling settings and the fields every Transformers config inherits (labels, "
        "pruning, encoder-decoder switches): they describe how text is generated or how a "
        "library treats the object, never the decoder's weights.",
        frozenset(
            {
                "add_cross_attention",
                "bad_words_ids",
                "begin_suppress_tokens",
                "chunk_size_feed_forward",
                "cross_attention_hidden_size",
                "diversity_penalty",
                "do_sample",
                "early_stopping",
                "encoder_no_repeat_ngram_size",
                "exponential_decay_length_penalty",
                "finetuning_task",
                "forced_bos_token_id",
                "forced_eos_token_id",
                "id2label",
                "is_decoder",
                "is_encoder_decoder",
                "label2id",
                "length_penalty",
                "max_length",
                "min_length",
                "no_repeat_ngram_size",
                "num_beam_groups",
                "num_beams",
                "num_return_sequences",
                "output_scores",
                "prefix",
                "problem_type",
                "pruned_heads",
                "remove_invalid_values",
                "repetition_penalty",
                "return_dict_in_generate",
                "suppress_tokens",
                "temperature",
                "tf_legacy_loss",
                "tie_encoder_decoder",
                "top_k",
                "top_p",
                "typical_p",
                "use_bfloat16",
            }
        ),
    ),
    Group(
        "Heads for other tasks",
        "GPT-2's sequence-summary head serves classification fine-tuning, not generation.",
        frozenset(
            {
                "summary_activation",
                "summary_first_dropout",
                "summary_proj_to_labels",
                "summary_type",
                "summary_use_proj",
            }
        ),
    ),
    Group(
        "Other modalities",
        "Vision and audio encoders and their projectors: the gallery describes the language "
        "model (the decoder that produces text).",
        frozenset(
            {
                "vision_config",
                "audio_config",
                "vision_feature_layer",
                "vision_feature_select_strategy",
                "multimodal_projector_bias",
                "projector_hidden_act",
                "spatial_merge_size",
                "processor_config",
                "vision_model_type",
                "vision_soft_tokens_per_image",
                "max_splits_per_img",
                "downsample_factor",
                "alignment_activation_fn",
                "alignment_intermediate_size",
                "enable_adapter_layer_norm",
                "projector_hidden_size",
                "out_hidden_size",
            }
        ),
    ),
)

#: fixed scalar factors (muP multipliers, logit and attention scales): they change no weight,
#: shape or cache, but they are part of what the model computes, so an import records each
#: of them in the model file's notes rather than dropping it
CONSTANT_FACTORS: frozenset[str] = frozenset(
    {
        "logit_scale",
        "logits_scaling",
        "mup_enabled",
        "embedding_multiplier",
        "attention_multiplier",
        "residual_multiplier",
        "output_multiplier",
        "qk_scale_factor",
        "attention_value_scale",
        "routed_scaling_factor",
        "router_scaling_factor",
        "final_logit_softcapping",
        "attn_logit_softcapping",
        "query_pre_attn_scalar",
        "attn_scale",
        "attn_temperature_tuning",
        "floor_scale",
        "attn_temperature_len",
        "layernorm_full_attention_beta",
        "layernorm_linear_attention_beta",
        "layernorm_mlp_beta",
        "embedding_multiplier_scale",
        "output_multiplier_scale",
        "logits_mup_width_multiplier",
        "mla_scale_q_lora",
        "mla_scale_kv_lora",
        "log_scaling_alpha",
        "log_scaling_n_floor",
        "moe_routed_scaling_factor",
        "gate_soft_cap",
        "output_logit_soft_cap",
        "router_logit_softcapping",
        "moe_router_logit_softcapping",
    }
)

__all__ = ["CONSTANT_FACTORS", "GROUPS", "IRRELEVANT", "IRRELEVANT_WHEN", "ROPE_CURVE", "Group"]

#: every irrelevant key, whatever its group
IRRELEVANT: frozenset[str] = frozenset().union(*(g.keys for g in GROUPS))

#: keys irrelevant only for some values (the test says when); other values must be read
IRRELEVANT_WHEN: dict[str, tuple[str, Callable[[Any, dict[str, Any]], bool]]] = {
    "use_sliding_window": (
        "false: the sliding window that other keys describe is switched off",
        lambda value, _data: value is False,
    ),
    "max_window_layers": (
        "unless use_sliding_window is true: the layer from which windows would start",
        lambda _value, data: data.get("use_sliding_window") is not True,
    ),
    "use_bidirectional_attention": (
        "false: causal attention, as every decoder here has",
        lambda value, _data: value is False,
    ),
}


def irrelevant(key: str, value: Any, data: dict[str, Any]) -> bool:
    """Whether ``key`` (a top-level key, or ``group.inner`` for nested ones) carries no
    architecture with this ``value`` (a null value never does)."""
    if key in IRRELEVANT or value is None:
        return True  # a null value states nothing
    when = IRRELEVANT_WHEN.get(key)
    if when is not None:
        return when[1](value, data)
    group, _, inner = key.rpartition(".")
    return group.split(".")[0] in ("rope_scaling", "rope_parameters") and inner in ROPE_CURVE

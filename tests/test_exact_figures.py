"""Exact figures of one model of each kind, added up by hand from its official config.

Every constant is a value of the model's ``config.json`` (``links.config`` of its model file;
the key is named beside it where it is not obvious); the arithmetic is written out here,
tensor by tensor, and never taken from the package. Each test checks every figure the site
shows: total, active, embedding (with the head), multi-token prediction, KV cache per token,
KV cache at the native context, and the fixed state of linear and state-space layers.

Mechanisms with a test file of their own (``test_mech_*.py``) are checked there; these are
the kinds and layouts those files leave out. No tolerance anywhere: a published figure is
rounded, a config is not.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from sphinx_llmarch.model.figures import compute
from sphinx_llmarch.model.loader import load_file

from .conftest import MODELS

BF16 = 2  # bytes a cached value takes


@dataclass(frozen=True)
class Expected:
    total: int
    active: int
    embedding: int  # token embedding and untied output head
    mtp: int
    kv_per_token: int  # bytes
    kv_at_native: int  # bytes, windows and chunks capped, fixed state included
    state: int  # bytes


def check(slug: str, expected: Expected) -> None:
    model = load_file(MODELS / f"{slug}.yaml").model
    assert model is not None
    f = compute(model)
    ours = Expected(
        total=f.total_params,
        active=f.active_params,
        embedding=f.embedding_params,
        mtp=f.mtp_params,
        kv_per_token=f.kv_cache_bytes_per_token,
        kv_at_native=f.kv_cache_bytes(model.spec.context.native),
        state=f.linear_state_bytes,
    )
    assert ours == expected


def swiglu(width: int, hidden: int) -> int:
    """gate_proj, up_proj and down_proj, no biases."""
    return 3 * width * hidden


# --------------------------------------------------------------------------- dense GQA


def test_llama_3_8b_dense_gqa() -> None:
    h, vocab, layers = 4096, 128256, 32
    attn = h * (32 * 128 + 2 * 8 * 128) + 32 * 128 * h  # q, k, v (8 KV heads), o
    layer = attn + swiglu(h, 14336) + 2 * h  # input_layernorm, post_attention_layernorm
    embedding = 2 * vocab * h  # tie_word_embeddings false
    total = embedding + h + layers * layer  # final norm
    kv = layers * 2 * 8 * 128 * BF16  # K and V of 8 heads of 128
    check("llama-3-8b", Expected(total, total, embedding, 0, kv, kv * 8192, 0))
    assert total == 8_030_261_248


def test_a_model_without_mtp_exports_zero_not_null() -> None:
    model = load_file(MODELS / "llama-3-8b.yaml").model
    assert model is not None
    exported = compute(model).as_dict()
    assert exported == {
        "total_params": 8_030_261_248,
        "active_params": 8_030_261_248,
        "active_share": 1.0,
        "embedding_params": 2 * 128256 * 4096,
        "mtp_params": 0,
        "kv_cache_bytes_per_token": 131_072,
        "linear_state_bytes": 0,
    }
    assert isinstance(exported["mtp_params"], int)


# --------------------------------------------------------------------------- QK-norm, norms


def test_gemma_3_27b_sandwich_norm_qk_norm_and_sliding_windows() -> None:
    h, vocab = 5376, 262144  # Google's table; the HF conversion pads it (see the model file)
    attn = h * (32 * 128 + 2 * 16 * 128) + 32 * 128 * h
    attn += 2 * 128  # q_norm and k_norm: one RMSNorm(head_dim) each, shared by the heads
    mlp = swiglu(h, 21504)  # GeGLU has the same three matrices
    layer = attn + mlp + 4 * h  # sandwich: pre- and post-norm around attention and MLP
    embedding = vocab * h  # tied
    total = embedding + h + 62 * layer
    per_layer_kv = 2 * 16 * 128 * BF16
    # sliding_window_pattern 6 over 62 layers: 10 global, 52 local keeping 1,024 tokens
    at_native = (10 * 131072 + 52 * 1024) * per_layer_kv
    check("gemma-3-27b", Expected(total, total, embedding, 0, 62 * per_layer_kv, at_native, 0))


def test_olmo_2_7b_post_norm_and_qk_norm_over_all_heads() -> None:
    h, vocab = 4096, 100352
    attn = 4 * h * h  # 32 heads of 128 for q, k, v and o
    attn += 2 * 32 * 128  # q_norm and k_norm span all 32 x 128 channels
    layer = attn + swiglu(h, 11008) + 2 * h  # post_attention_ and post_feedforward_layernorm
    embedding = 2 * vocab * h
    total = embedding + h + 32 * layer
    kv = 32 * 2 * 32 * 128 * BF16
    check("olmo-2-7b", Expected(total, total, embedding, 0, kv, kv * 4096, 0))


def test_command_a_plus_parallel_block() -> None:
    h, vocab = 4096, 262144
    attn = h * (128 * 128 + 2 * 8 * 128) + 128 * 128 * h  # 128 query heads, 8 KV heads
    expert = swiglu(h, 4096)
    always = h * 128 + 4 * expert  # router without bias, 4 shared experts
    norm = h  # one LayerNorm without bias feeds attention and MoE side by side
    embedding = vocab * h  # tied
    fixed = embedding + h
    total = fixed + 32 * (attn + always + 128 * expert + norm)
    active = fixed + 32 * (attn + always + 8 * expert + norm)
    per_layer_kv = 2 * 8 * 128 * BF16
    # three sliding-window layers (4,096 tokens) to one global, 8 times
    at_native = (8 * 200000 + 24 * 4096) * per_layer_kv
    check("command-a-plus", Expected(total, active, embedding, 0, 32 * per_layer_kv, at_native, 0))


# --------------------------------------------------------------------------- MLA, MTP


def deepseek_mla(h: int) -> int:
    q = h * 1536 + 1536 + 1536 * 128 * (128 + 64)  # q_a_proj, q_a_layernorm, q_b_proj
    kv = h * (512 + 64) + 512 + 512 * 128 * (128 + 128)  # kv_a_proj, kv_a_layernorm, kv_b
    return q + kv + 128 * 128 * h  # o_proj


def test_deepseek_v3_mla_dense_prefix_and_mtp() -> None:
    h, vocab = 7168, 129280
    mla = deepseek_mla(h)
    expert = swiglu(h, 2048)
    always = h * 256 + 256 + expert  # router and its bias, one shared expert
    dense_layer = mla + swiglu(h, 18432) + 2 * h
    moe_total = mla + always + 256 * expert + 2 * h
    moe_active = mla + always + 8 * expert + 2 * h
    embedding = 2 * vocab * h
    fixed = embedding + h
    total = fixed + 3 * dense_layer + 58 * moe_total  # first_k_dense_replace 3
    active = fixed + 3 * dense_layer + 58 * moe_active
    # num_nextn_predict_layers 1: a MoE layer, eh_proj (2h -> h), enorm, hnorm and its final
    # norm; the embedding and head are shared with the main model
    mtp = moe_total + 2 * h * h + 3 * h
    kv = 61 * (512 + 64) * BF16  # the latent and the RoPE key
    check("deepseek-v3", Expected(total, active, embedding, mtp, kv, kv * 163840, 0))
    assert (total, active) == (671_026_419_200, 37_552_297_472)


def test_kimi_k2_one_dense_layer_first() -> None:
    h, vocab = 7168, 163840
    mla = (  # 64 heads, otherwise DeepSeek V3's MLA
        h * 1536 + 1536 + 1536 * 64 * 192 + h * 576 + 512 + 512 * 64 * 256 + 64 * 128 * h
    )
    expert = swiglu(h, 2048)
    always = h * 384 + 384 + expert  # 384 routed experts, router bias, one shared expert
    dense_layer = mla + swiglu(h, 18432) + 2 * h
    embedding = 2 * vocab * h
    fixed = embedding + h
    total = fixed + dense_layer + 60 * (mla + always + 384 * expert + 2 * h)
    active = fixed + dense_layer + 60 * (mla + always + 8 * expert + 2 * h)
    kv = 61 * 576 * BF16
    check("kimi-k2", Expected(total, active, embedding, 0, kv, kv * 131072, 0))


# --------------------------------------------------------------------------- linear mixers


def test_qwen3_next_gated_deltanet_state_and_gated_attention() -> None:
    h, vocab = 2048, 151936
    key, value = 16 * 128, 32 * 128  # linear_num_key_heads / linear_num_value_heads x 128
    gdn = (
        h * (2 * key + 2 * value)  # in_proj_qkvz: q, k, v and the output gate z
        + h * 2 * 32  # in_proj_ba: step size and decay per value head
        + (2 * key + value) * 4  # depthwise conv1d over q, k, v, kernel 4, no bias
        + 2 * 32  # A_log, dt_bias
        + 128  # the gated RMSNorm over value_head_dim
        + value * h  # out_proj
    )
    full = (
        h * 2 * 16 * 256  # q_proj doubles its width for the elementwise output gate
        + h * 2 * 2 * 256  # k_proj, v_proj: 2 KV heads of 256
        + 16 * 256 * h  # o_proj
        + 2 * 256  # q_norm, k_norm
    )
    expert = swiglu(h, 512)
    always = h * 512 + expert + h  # router, shared expert and its sigmoid gate
    moe_total, moe_active = always + 512 * expert, always + 10 * expert
    embedding = 2 * vocab * h
    fixed = embedding + h
    layers = 36 * gdn + 12 * full + 48 * 2 * h  # 3 linear to 1 full, 12 times
    total = fixed + layers + 48 * moe_total
    active = fixed + layers + 48 * moe_active
    mtp = full + moe_total + 2 * h + 2 * h * h + 3 * h  # one full-attention MoE layer
    # per linear layer: a 128 x 128 state per value head, and the last 3 inputs of the conv
    state = 36 * (32 * 128 * 128 + (2 * key + value) * 3) * BF16
    kv = 12 * 2 * 2 * 256 * BF16
    check(
        "qwen3-next-80b-a3b",
        Expected(total, active, embedding, mtp, kv, kv * 262144 + state, state),
    )
    assert state == 39_518_208  # 37.7 MiB, as the hybrid article quotes it


def test_kimi_linear_kda_state_and_nope_mla() -> None:
    h, vocab, width = 2304, 163840, 32 * 128
    kda = (
        h * 3 * width  # q, k, v
        + h * 32  # b_proj: step size per head
        + h * 128
        + 128 * width  # f_a_proj, f_b_proj: low-rank decay
        + h * 128
        + 128 * width  # g_a_proj, g_b_proj: low-rank output gate
        + 3 * width * 4  # q/k/v conv1d, kernel 4
        + 32
        + width
        + 128  # A_log, dt_bias, o_norm
        + width * h  # o_proj
    )
    mla = (  # q_lora_rank null: a full-rank query of 32 heads x 192
        h * 32 * 192 + h * 576 + 512 + 512 * 32 * 256 + 32 * 128 * h
    )
    expert = swiglu(h, 1024)
    always = h * 256 + 256 + expert
    # kda + dense first, then 19 kda + moe and 7 mla + moe (every fourth layer from layer 4)
    shared = 20 * kda + 7 * mla + 27 * 2 * h + swiglu(h, 9216)
    embedding = 2 * vocab * h
    total = embedding + h + shared + 26 * (always + 256 * expert)
    active = embedding + h + shared + 26 * (always + 8 * expert)
    state = 20 * (32 * 128 * 128 + 3 * width * 3) * BF16
    kv = 7 * 576 * BF16
    check(
        "kimi-linear-48b-a3b",
        Expected(total, active, embedding, 0, kv, kv * 1048576 + state, state),
    )


def test_ling_2_5_lightning_attention_and_kv_at_native_context() -> None:
    h, vocab, inner = 8192, 157184, 64 * 128
    lightning = (
        3 * h * inner  # query_key_value
        + h * inner  # g_proj: the elementwise output gate
        + inner  # g_norm over the heads' output
        + inner * h  # dense (output)
        + 2 * 128  # query_layernorm, key_layernorm of head_dim
    )
    mla = (  # 64 heads, otherwise DeepSeek V3's MLA at width 8192
        h * 1536 + 1536 + 1536 * 64 * 192 + h * 576 + 512 + 512 * 64 * 256 + 64 * 128 * h
    )
    expert = swiglu(h, 2048)
    always = h * 256 + 256 + expert  # router, its bias, one shared expert
    # first_k_dense_replace 4; layer_group_size 8: every eighth layer is MLA
    shared = 70 * lightning + 10 * mla + 80 * 2 * h + 4 * swiglu(h, 18432)
    embedding = 2 * vocab * h
    total = embedding + h + shared + 76 * (always + 256 * expert)
    active = embedding + h + shared + 76 * (always + 8 * expert)
    state = 70 * 64 * 128 * 128 * BF16  # a 128 x 128 state per head
    kv = 10 * (512 + 64) * BF16
    at_native = kv * 131072 + state
    check("ling-2.5-1t", Expected(total, active, embedding, 0, kv, at_native, state))
    assert at_native == 1_656_750_080  # 1.54 GiB


def test_nemotron_3_super_mamba_2_latent_moe_and_mtp_pattern() -> None:
    h, vocab = 4096, 131072
    inner, groups_state = 128 * 64, 8 * 128  # mamba_num_heads x head_dim, n_groups x ssm_state
    conv = inner + 2 * groups_state
    mamba = (
        h * (2 * inner + 2 * groups_state + 128)  # in_proj: x, z, B, C and dt per head
        + conv * 4
        + conv  # conv1d, kernel 4, with bias
        + 3 * 128  # A_log, D, dt_bias
        + inner  # the gated RMSNorm
        + inner * h  # out_proj
    )
    attn = h * (32 * 128 + 2 * 2 * 128) + 32 * 128 * h  # 32 heads, 2 KV heads, NoPE
    expert = 2 * 1024 * 2688  # up and down at moe_latent_size 1024, relu2 ungated
    always = (
        h * 512
        + 512  # router and its correction bias
        + 2 * h * 5376  # the shared expert, at full width
        + 2 * h * 1024  # fc1_latent_proj and fc2_latent_proj
    )
    # hybrid_override_pattern: 40 Mamba-2 (M), 8 attention (*) and 40 MoE (E) layers,
    # each one sub-layer with one norm
    shared = 40 * mamba + 8 * attn + 88 * h
    embedding = 2 * vocab * h
    total = embedding + h + shared + 40 * (always + 512 * expert)
    active = embedding + h + shared + 40 * (always + 22 * expert)
    # mtp_hybrid_override_pattern "*E": an attention and a MoE layer, eh_proj and 3 norms
    mtp = attn + h + always + 512 * expert + h + 2 * h * h + 3 * h
    # per Mamba-2 layer: inner x ssm_state_size, and the conv's last 3 inputs
    state = 40 * (inner * 128 + conv * 3) * BF16
    kv = 8 * 2 * 2 * 128 * BF16
    check(
        "nemotron-3-super-120b-a12b",
        Expected(total, active, embedding, mtp, kv, kv * 262144 + state, state),
    )


@pytest.mark.parametrize("slug", ["qwen3-next-80b-a3b", "nemotron-3-super-120b-a12b"])
def test_mtp_is_reported_apart_from_the_total(slug: str) -> None:
    model = load_file(MODELS / f"{slug}.yaml").model
    assert model is not None
    f = compute(model)
    assert f.mtp_params > 0
    assert f.as_dict()["mtp_params"] == f.mtp_params

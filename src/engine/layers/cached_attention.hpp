// Self-attention of a decoder layer over each sequence's kv_cache: appends the new keys/values of
// every segment to its cache at positions [past, past + count), then attends causally.
// Usage: cached_attention(ws.qkv, {0, H, 2*H}, batch, layer, {n_heads, n_kv, head_dim, scale}, ws.attn);
#pragma once
#include <cstddef>

#include "engine/models/causal_lm.hpp"
#include "engine/tensor/tensor.hpp"

namespace hf::engine {

struct attention_shape {
  size_t n_heads = 0;
  size_t n_kv_heads = 0;
  size_t head_dim = 0;
  float scale = 1.0f;  // applied to q·k
};

// Where q, k and v start: column offsets inside their tensors (fused qkv uses one tensor thrice).
struct qkv_views {
  const tensor& q;
  size_t q_col;
  const tensor& k;
  size_t k_col;
  const tensor& v;
  size_t v_col;
};

// out is resized to [rows, n_heads * head_dim].
void cached_attention(const qkv_views& in, const decoder_batch& b, size_t layer, const attention_shape& s,
                      tensor& out);

}  // namespace hf::engine

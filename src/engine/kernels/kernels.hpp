// Device-neutral kernel front: checks shapes, then dispatches to the implementation for the
// device (today kernels/cpu). All accumulation is float32 (projection weights may be stored in
// bf16, f16 or int8: engine/tensor/matrix.hpp), and every result is
// batch-invariant: an output row depends only on its own input row (and, in attention, its own
// sequence), never on the other rows of the call or on the thread count (kernels/cpu/dot_rows.hpp
// gives the one reduction order).
// Usage: kernels::linear(x, w, &bias, y);  kernels::gelu_tanh(y.span());
#pragma once
#include <cstddef>
#include <span>

#include "engine/tensor/matrix.hpp"
#include "engine/tensor/tensor.hpp"

namespace hf::engine::kernels {

// How a checkpoint stores a projection matrix: nn.Linear keeps [out, in]; GPT-2's Conv1D keeps
// [in, out] (layers/linear.hpp transposes those at load, so the kernels only see [out, in]).
enum class weight_layout { out_in, in_out };

// y[rows, out] = x[rows, in] · Wᵀ (+ bias) with W [out, in]. y is resized; x and y must not alias.
// W may be of any weight type (f32 weights: `matrix::from_weight`); accumulation is f32. The
// results of one weight type are batch-invariant as above; bf16 rounds x to bf16 first.
void linear(const tensor& x, const matrix& w, const weight* bias, tensor& y);
inline void linear(const tensor& x, const weight& w, const weight* bias, tensor& y) {
  linear(x, matrix::from_weight(w), bias, y);
}

// Row-wise normalisations of x [rows, dim] written to y (y may be x).
void layer_norm(const tensor& x, const weight& gamma, const weight& beta, float eps, tensor& y);
void rms_norm(const tensor& x, const weight& gamma, float eps, tensor& y);

// Element-wise activations, in place.
void gelu_erf(std::span<float> x);   // 0.5 x (1 + erf(x / sqrt 2))          ("gelu")
void gelu_tanh(std::span<float> x);  // 0.5 x (1 + tanh(sqrt(2/pi)(x + 0.044715 x^3)))  ("gelu_new")
void silu(std::span<float> x);       // x * sigmoid(x)
void tanh(std::span<float> x);
void silu_mul(tensor& gate, const tensor& up);  // gate = silu(gate) * up (Llama MLP)
void add(tensor& y, const tensor& x);           // y += x (residual connections)
void add_bias_rows(tensor& y, const weight& bias);

// Numerically stable softmax of one row, in place.
void softmax(std::span<float> row);

// Rotary position embedding, rotate-half (GPT-NeoX) layout, on the heads stored in columns
// [col, col + n_heads*head_dim) of x [rows, *]; row r sits at positions[r]. The first
// 2*inv_freq.size() dims of each head are rotated; cos/sin are multiplied by `scale` (YaRN).
void rope(tensor& x, size_t col, size_t n_heads, size_t head_dim, std::span<const size_t> positions,
          std::span<const float> inv_freq, float scale);

// Scaled dot-product attention of one sequence. Key j of kv head g lives at
// k + g*kv_head_stride + j*kv_row_stride (same for v). Query head h uses kv head h / (n_heads /
// n_kv_heads) (grouped-query attention). With `causal`, query i sits at position
// n_keys - n_queries + i and sees keys [0, that position].
struct attention_args {
  const float* q = nullptr;
  size_t q_stride = 0;
  size_t n_queries = 0;
  const float* k = nullptr;
  const float* v = nullptr;
  size_t kv_head_stride = 0;
  size_t kv_row_stride = 0;
  size_t n_keys = 0;
  size_t n_heads = 0;
  size_t n_kv_heads = 0;
  size_t head_dim = 0;
  float scale = 1.0f;
  bool causal = true;
  float* out = nullptr;  // [n_queries][n_heads*head_dim] with row stride out_stride
  size_t out_stride = 0;
};
void attention(const attention_args& a);

}  // namespace hf::engine::kernels

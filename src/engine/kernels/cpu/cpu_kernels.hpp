// CPU implementations behind kernels/kernels.hpp (raw pointers, shapes already checked there).
// Usage: only kernels/kernels.cpp calls these.
#pragma once
#include <cstddef>

#include "engine/kernels/kernels.hpp"
#include "engine/tensor/matrix.hpp"

namespace hf::engine::cpu {

// y[rows, out] = x[rows, in] · Wᵀ (+ bias) with W [out, in] of any weight type (dot_rows, split
// over the cores).
void linear(const float* x, size_t rows, size_t in, const matrix& w, const float* bias, float* y);
void layer_norm(const float* x, size_t rows, size_t dim, const float* gamma, const float* beta,
                float eps, float* y);
void rms_norm(const float* x, size_t rows, size_t dim, const float* gamma, float eps, float* y);
void gelu_erf(float* x, size_t n);
void gelu_tanh(float* x, size_t n);
void silu(float* x, size_t n);
void tanh(float* x, size_t n);
void silu_mul(float* gate, const float* up, size_t n);
void add(float* y, const float* x, size_t n);
void add_bias_rows(float* y, size_t rows, const float* bias, size_t dim);
void softmax(float* x, size_t n);
void rope(float* x, size_t rows, size_t row_stride, size_t n_heads, size_t head_dim,
          const size_t* positions, const float* inv_freq, size_t half, float scale);
void attention(const kernels::attention_args& a);

}  // namespace hf::engine::cpu

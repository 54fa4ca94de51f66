// LayerNorm and RMSNorm over the last dimension (two passes, float32 accumulation like PyTorch).
#include <cmath>

#include "engine/kernels/cpu/cpu_kernels.hpp"
#include "engine/kernels/cpu/parallel.hpp"
#include "engine/kernels/cpu/vec_math.hpp"

namespace hf::engine::cpu {
namespace {

float row_sum(const float* x, size_t n) {
#if defined(__AVX512F__)
  __m512 acc = _mm512_setzero_ps();
  size_t i = 0;
  for (; i + 16 <= n; i += 16) acc = _mm512_add_ps(acc, _mm512_loadu_ps(x + i));
  if (i < n)
    acc = _mm512_add_ps(acc,
                        _mm512_maskz_loadu_ps(static_cast<__mmask16>((1u << (n - i)) - 1u), x + i));
  return _mm512_reduce_add_ps(acc);
#else
  float s = 0.0f;
  for (size_t i = 0; i < n; ++i) s += x[i];
  return s;
#endif
}

float centered_square_sum(const float* x, size_t n, float mean) {
  float s = 0.0f;
#if defined(__AVX512F__)
  const __m512 vm = _mm512_set1_ps(mean);
  __m512 acc = _mm512_setzero_ps();
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    const __m512 d = _mm512_sub_ps(_mm512_loadu_ps(x + i), vm);
    acc = _mm512_fmadd_ps(d, d, acc);
  }
  if (i < n) {
    const auto m = static_cast<__mmask16>((1u << (n - i)) - 1u);
    const __m512 d = _mm512_maskz_sub_ps(m, _mm512_maskz_loadu_ps(m, x + i), vm);
    acc = _mm512_fmadd_ps(d, d, acc);
  }
  s = _mm512_reduce_add_ps(acc);
#else
  for (size_t i = 0; i < n; ++i) s += (x[i] - mean) * (x[i] - mean);
#endif
  return s;
}

}  // namespace

void layer_norm(const float* x, size_t rows, size_t dim, const float* gamma, const float* beta,
                float eps, float* y) {
  parallel_chunks(rows, row_grain(dim), [&](size_t r0, size_t r1) {
    for (size_t r = r0; r < r1; ++r) {
      const float* xr = x + r * dim;
      float* yr = y + r * dim;
      const float mean = row_sum(xr, dim) / static_cast<float>(dim);
      const float var = centered_square_sum(xr, dim, mean) / static_cast<float>(dim);
      const float inv = 1.0f / std::sqrt(var + eps);
      for (size_t i = 0; i < dim; ++i) yr[i] = (xr[i] - mean) * inv * gamma[i] + beta[i];
    }
  });
}

void rms_norm(const float* x, size_t rows, size_t dim, const float* gamma, float eps, float* y) {
  parallel_chunks(rows, row_grain(dim), [&](size_t r0, size_t r1) {
    for (size_t r = r0; r < r1; ++r) {
      const float* xr = x + r * dim;
      float* yr = y + r * dim;
      const float ms = centered_square_sum(xr, dim, 0.0f) / static_cast<float>(dim);
      const float inv = 1.0f / std::sqrt(ms + eps);
      for (size_t i = 0; i < dim; ++i) yr[i] = gamma[i] * (xr[i] * inv);
    }
  });
}

}  // namespace hf::engine::cpu

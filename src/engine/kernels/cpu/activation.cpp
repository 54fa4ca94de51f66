// Element-wise activations and residual adds. The AVX-512 paths use vec_math's exp/tanh/erf
// (errors around 1e-7, far inside the 1e-4 reference tolerances); otherwise the C library.
#include <cmath>

#include "engine/kernels/cpu/cpu_kernels.hpp"
#include "engine/kernels/cpu/parallel.hpp"
#include "engine/kernels/cpu/vec_math.hpp"

namespace hf::engine::cpu {

void gelu_erf(float* x, size_t n) {
#if defined(__AVX512F__)
  vec_map(x, n, [](__m512 v) {
    const __m512 e = v_erf(_mm512_mul_ps(v, _mm512_set1_ps(0.70710678118654752f)));
    return _mm512_mul_ps(_mm512_mul_ps(_mm512_set1_ps(0.5f), v),
                         _mm512_add_ps(_mm512_set1_ps(1.0f), e));
  });
#else
  for (size_t i = 0; i < n; ++i)
    x[i] = 0.5f * x[i] * (1.0f + std::erf(x[i] * 0.70710678118654752f));
#endif
}

void gelu_tanh(float* x, size_t n) {
  constexpr float k_c = 0.79788456080286536f;  // sqrt(2/pi)
#if defined(__AVX512F__)
  vec_map(x, n, [](__m512 v) {
    const __m512 v3 = _mm512_mul_ps(_mm512_mul_ps(v, v), v);
    const __m512 inner =
        _mm512_mul_ps(_mm512_set1_ps(k_c), _mm512_fmadd_ps(_mm512_set1_ps(0.044715f), v3, v));
    const __m512 t = v_tanh(inner);
    return _mm512_mul_ps(_mm512_mul_ps(_mm512_set1_ps(0.5f), v),
                         _mm512_add_ps(_mm512_set1_ps(1.0f), t));
  });
#else
  for (size_t i = 0; i < n; ++i) {
    const float v = x[i];
    x[i] = 0.5f * v * (1.0f + std::tanh(k_c * (v + 0.044715f * v * v * v)));
  }
#endif
}

void silu(float* x, size_t n) {
#if defined(__AVX512F__)
  vec_map(x, n, [](__m512 v) {
    const __m512 e = v_exp(_mm512_sub_ps(_mm512_setzero_ps(), v));
    return _mm512_div_ps(v, _mm512_add_ps(_mm512_set1_ps(1.0f), e));
  });
#else
  for (size_t i = 0; i < n; ++i) x[i] = x[i] / (1.0f + std::exp(-x[i]));
#endif
}

void tanh(float* x, size_t n) {
#if defined(__AVX512F__)
  vec_map(x, n, [](__m512 v) { return v_tanh(v); });
#else
  for (size_t i = 0; i < n; ++i) x[i] = std::tanh(x[i]);
#endif
}

void silu_mul(float* gate, const float* up, size_t n) {
  silu(gate, n);
  parallel_chunks(n, 16384, [&](size_t b, size_t e) {
    for (size_t i = b; i < e; ++i) gate[i] *= up[i];
  });
}

void add(float* y, const float* x, size_t n) {
  parallel_chunks(n, 16384, [&](size_t b, size_t e) {
    for (size_t i = b; i < e; ++i) y[i] += x[i];
  });
}

void add_bias_rows(float* y, size_t rows, const float* bias, size_t dim) {
  parallel_chunks(rows, row_grain(dim), [&](size_t r0, size_t r1) {
    for (size_t r = r0; r < r1; ++r)
      for (size_t i = 0; i < dim; ++i) y[r * dim + i] += bias[i];
  });
}

}  // namespace hf::engine::cpu

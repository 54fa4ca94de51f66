// Vectorised exp / tanh / erf for the CPU kernels (internal to kernels/cpu). With AVX-512 every
// element, tails included (masked), goes through the same formula, so a value never depends on
// where it sits in a buffer: a sequence gives the same result alone or inside a batch.
// Usage: cpu::vec_map(data, n, [](auto x) { return cpu::v_tanh(x); });  (AVX-512 build)
#pragma once
#include <cmath>
#include <cstddef>

#include "engine/kernels/cpu/parallel.hpp"

#if defined(__AVX512F__)
// GCC 12 reports its own _mm512_undefined_ps() temporaries inside AVX-512 intrinsics as
// "maybe uninitialized" (a known false positive); silence it for the files using these helpers.
#if !defined(__clang__)  // clang has neither the false positive nor the warning's name
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#endif
#include <immintrin.h>
#endif

namespace hf::engine::cpu {

#if defined(__AVX512F__)
inline constexpr bool k_have_avx512 = true;

// exp(x) with a degree-6 polynomial on [-ln2/2, ln2/2] (relative error ~2 ulp).
inline __m512 v_exp(__m512 x) {
  x = _mm512_min_ps(_mm512_max_ps(x, _mm512_set1_ps(-87.3f)), _mm512_set1_ps(88.3f));
  const __m512 n = _mm512_roundscale_ps(_mm512_mul_ps(x, _mm512_set1_ps(1.44269504088896341f)),
                                        _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  __m512 r = _mm512_fnmadd_ps(n, _mm512_set1_ps(0.693359375f), x);
  r = _mm512_fnmadd_ps(n, _mm512_set1_ps(-2.12194440e-4f), r);
  __m512 p = _mm512_set1_ps(1.9875691500e-4f);
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.3981999507e-3f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(8.3334519073e-3f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(4.1665795894e-2f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.6666665459e-1f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(5.0000001201e-1f));
  p = _mm512_fmadd_ps(_mm512_mul_ps(p, r), r, _mm512_add_ps(r, _mm512_set1_ps(1.0f)));
  return _mm512_scalef_ps(p, n);
}

// tanh(x) = 1 - 2 / (exp(2x) + 1); absolute error ~1e-7, saturates cleanly for large |x|.
inline __m512 v_tanh(__m512 x) {
  const __m512 e = v_exp(_mm512_add_ps(x, x));
  const __m512 one = _mm512_set1_ps(1.0f);
  return _mm512_sub_ps(one, _mm512_div_ps(_mm512_set1_ps(2.0f), _mm512_add_ps(e, one)));
}

// erf(x), Abramowitz & Stegun 7.1.26 (absolute error <= 1.5e-7).
inline __m512 v_erf(__m512 x) {
  const __m512 sign = _mm512_and_ps(x, _mm512_set1_ps(-0.0f));
  const __m512 a = _mm512_abs_ps(x);
  const __m512 t = _mm512_div_ps(
      _mm512_set1_ps(1.0f), _mm512_fmadd_ps(_mm512_set1_ps(0.3275911f), a, _mm512_set1_ps(1.0f)));
  __m512 p = _mm512_set1_ps(1.061405429f);
  p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(-1.453152027f));
  p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(1.421413741f));
  p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(-0.284496736f));
  p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(0.254829592f));
  p = _mm512_mul_ps(p, t);
  const __m512 e = v_exp(_mm512_sub_ps(_mm512_setzero_ps(), _mm512_mul_ps(a, a)));
  const __m512 y = _mm512_fnmadd_ps(p, e, _mm512_set1_ps(1.0f));
  return _mm512_or_ps(y, sign);
}

// Applies f (a __m512 -> __m512 function) to n floats in place, masked tail included; large
// arrays are split over the cores in chunks of 16K floats (a multiple of 16, so the split does not
// change which elements share a vector).
template <class F>
inline void vec_map(float* data, size_t n, F f) {
  parallel_chunks(n, 16384, [&](size_t begin, size_t end) {
    size_t i = begin;
    for (; i + 16 <= end; i += 16) _mm512_storeu_ps(data + i, f(_mm512_loadu_ps(data + i)));
    if (i < end) {
      const __mmask16 m = static_cast<__mmask16>((1u << (end - i)) - 1u);
      _mm512_mask_storeu_ps(data + i, m, f(_mm512_maskz_loadu_ps(m, data + i)));
    }
  });
}

inline float hsum(__m512 v) {
  return _mm512_reduce_add_ps(v);
}

// Dot product of two float arrays (masked tail).
inline float dot(const float* a, const float* b, size_t n) {
  __m512 acc = _mm512_setzero_ps();
  size_t i = 0;
  for (; i + 16 <= n; i += 16)
    acc = _mm512_fmadd_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i), acc);
  if (i < n) {
    const __mmask16 m = static_cast<__mmask16>((1u << (n - i)) - 1u);
    acc = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, a + i), _mm512_maskz_loadu_ps(m, b + i), acc);
  }
  return _mm512_reduce_add_ps(acc);
}

// y[i] += a * x[i]
inline void axpy(float a, const float* x, float* y, size_t n) {
  const __m512 va = _mm512_set1_ps(a);
  size_t i = 0;
  for (; i + 16 <= n; i += 16)
    _mm512_storeu_ps(y + i, _mm512_fmadd_ps(va, _mm512_loadu_ps(x + i), _mm512_loadu_ps(y + i)));
  if (i < n) {
    const __mmask16 m = static_cast<__mmask16>((1u << (n - i)) - 1u);
    _mm512_mask_storeu_ps(
        y + i, m,
        _mm512_fmadd_ps(va, _mm512_maskz_loadu_ps(m, x + i), _mm512_maskz_loadu_ps(m, y + i)));
  }
}

#else
inline constexpr bool k_have_avx512 = false;

inline float dot(const float* a, const float* b, size_t n) {
  float acc = 0.0f;
  for (size_t i = 0; i < n; ++i) acc += a[i] * b[i];
  return acc;
}

inline void axpy(float a, const float* x, float* y, size_t n) {
  for (size_t i = 0; i < n; ++i) y[i] += a * x[i];
}
#endif

}  // namespace hf::engine::cpu

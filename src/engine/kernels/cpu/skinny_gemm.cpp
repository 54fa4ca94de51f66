// y = x·Wᵀ (+ bias) for a few rows of x (decode steps: one row per sequence) with W [n, k]
// row-major. Each weight row is streamed from memory once and applied to every x row while it is
// in registers, so a decode step costs one pass over the weights whatever the batch size, and a
// row's result does not depend on the other rows (same accumulation order for any batch).
#include <cstddef>
#include <cstdint>

#include "engine/kernels/cpu/cpu_kernels.hpp"
#include "engine/kernels/cpu/parallel.hpp"
#include "engine/kernels/cpu/vec_math.hpp"

namespace hf::engine::cpu {

#if defined(__AVX512F__)
namespace {

// Horizontal sums of four accumulators at once, [sum(a), sum(b), sum(c), sum(d)]: a quarter of the
// shuffles of four separate reductions. Every lane set is added in the same fixed tree whichever
// slot it occupies, so a result never depends on its neighbours (batch invariance).
inline __m128 reduce4(__m512 a, __m512 b, __m512 c, __m512 d) {
  auto half = [](__m512 v) {
    return _mm256_add_ps(_mm512_castps512_ps256(v),
                         _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v), 1)));
  };
  const __m256 t =
      _mm256_hadd_ps(_mm256_hadd_ps(half(a), half(b)), _mm256_hadd_ps(half(c), half(d)));
  return _mm_add_ps(_mm256_castps256_ps128(t), _mm256_extractf128_ps(t, 1));
}

// MC x rows against weight rows [r0, r1), R weight rows at a time (R concurrent memory streams;
// more streams keep more loads in flight when few x rows leave the loop bandwidth-bound). The
// loops over MC and R are unrolled so that the R*MC accumulators live in registers.
template <int MC, int R>
requires(R == 2 || R == 4) void rows_times_weights(const float* x, size_t k, const float* w,
                                                   size_t r0, size_t r1, const float* bias,
                                                   float* y, size_t ldy) {
  const size_t tail = k % 16;
  const auto mask = static_cast<__mmask16>((1u << tail) - 1u);
  for (size_t r = r0; r < r1; r += R) {
    const size_t rows =
        r1 - r < R ? r1 - r : R;  // the last group may be short: repeat its last row
    const float* wr[R];
#pragma GCC unroll 4
    for (int q = 0; q < R; ++q)
      wr[q] = w + (r + (static_cast<size_t>(q) < rows ? q : rows - 1)) * k;
    __m512 acc[R][MC];
#pragma GCC unroll 4
    for (int q = 0; q < R; ++q)
#pragma GCC unroll 8
      for (int i = 0; i < MC; ++i) acc[q][i] = _mm512_setzero_ps();
    size_t j = 0;
    for (; j + 16 <= k; j += 16) {
      __m512 wv[R];
#pragma GCC unroll 4
      for (int q = 0; q < R; ++q) {
        // Software prefetch of the same spot in the next group of rows (R*k floats ahead): the
        // hardware prefetcher alone falls behind once the x rows slow the loop down. Integer
        // arithmetic, as the address may lie past the matrix (prefetches never fault).
        _mm_prefetch(reinterpret_cast<const char*>(reinterpret_cast<uintptr_t>(wr[q] + j) +
                                                   R * k * sizeof(float)),
                     _MM_HINT_T0);
        wv[q] = _mm512_loadu_ps(wr[q] + j);
      }
#pragma GCC unroll 8
      for (int i = 0; i < MC; ++i) {
        const __m512 xv = _mm512_loadu_ps(x + static_cast<size_t>(i) * k + j);
#pragma GCC unroll 4
        for (int q = 0; q < R; ++q) acc[q][i] = _mm512_fmadd_ps(xv, wv[q], acc[q][i]);
      }
    }
    if (tail) {
      __m512 wv[R];
#pragma GCC unroll 4
      for (int q = 0; q < R; ++q) wv[q] = _mm512_maskz_loadu_ps(mask, wr[q] + j);
#pragma GCC unroll 8
      for (int i = 0; i < MC; ++i) {
        const __m512 xv = _mm512_maskz_loadu_ps(mask, x + static_cast<size_t>(i) * k + j);
#pragma GCC unroll 4
        for (int q = 0; q < R; ++q) acc[q][i] = _mm512_fmadd_ps(xv, wv[q], acc[q][i]);
      }
    }
#pragma GCC unroll 8
    for (int i = 0; i < MC; ++i) {
      alignas(16) float sums[4];
      _mm_store_ps(sums, R == 4 ? reduce4(acc[0][i], acc[1 % R][i], acc[2 % R][i], acc[3 % R][i])
                                : reduce4(acc[0][i], acc[1 % R][i], acc[0][i], acc[1 % R][i]));
      float* yi = y + static_cast<size_t>(i) * ldy;
      for (size_t q = 0; q < rows; ++q) yi[r + q] = sums[q] + (bias ? bias[r + q] : 0.0f);
    }
  }
}

using block_fn = void (*)(const float*, size_t, const float*, size_t, size_t, const float*, float*,
                          size_t);
// Few x rows: 4 weight streams; more x rows: 2 (register budget: R*MC accumulators).
constexpr block_fn k_blocks[] = {nullptr,
                                 &rows_times_weights<1, 4>,
                                 &rows_times_weights<2, 4>,
                                 &rows_times_weights<3, 4>,
                                 &rows_times_weights<4, 4>,
                                 &rows_times_weights<5, 2>,
                                 &rows_times_weights<6, 2>,
                                 &rows_times_weights<7, 2>,
                                 &rows_times_weights<8, 2>};

}  // namespace

void skinny_linear(const float* x, size_t rows, size_t k, const float* w, size_t n,
                   const float* bias, float* y) {
  // Weight rows in blocks that stay in L1/L2 while every chunk of 8 x rows passes over them.
  // Blocks of weight rows are independent outputs: spread them over the cores. Decode steps make
  // no BLAS calls, so these threads do not compete with OpenBLAS's.
  constexpr size_t k_weight_block = 64;
  parallel_chunks(n, k_weight_block, [&](size_t r0, size_t r1) {
    for (size_t i0 = 0; i0 < rows; i0 += 8) {
      const size_t mc = rows - i0 < 8 ? rows - i0 : 8;
      k_blocks[mc](x + i0 * k, k, w, r0, r1, bias, y + i0 * n, n);
    }
  });
}

bool skinny_available() {
  return true;
}
#else
void skinny_linear(const float*, size_t, size_t, const float*, size_t, const float*, float*) {}
bool skinny_available() {
  return false;
}
#endif

}  // namespace hf::engine::cpu

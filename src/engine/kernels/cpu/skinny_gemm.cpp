// y = x·Wᵀ (+ bias) for a few rows of x (decode steps: one row per sequence) with W [n, k]
// row-major. Each weight row is streamed from memory once and applied to every x row while it is
// in registers, so a decode step costs one pass over the weights whatever the batch size, and a
// row's result does not depend on the other rows (same accumulation order for any batch).
#include <cstddef>

#include "engine/kernels/cpu/cpu_kernels.hpp"
#include "engine/kernels/cpu/vec_math.hpp"

namespace hf::engine::cpu {

#if defined(__AVX512F__)
namespace {

// MC x rows against weight rows [r0, r1), two weight rows at a time. The loops over MC are
// unrolled so that the 2*MC accumulators live in registers.
template <int MC>
void rows_times_weights(const float* x, size_t k, const float* w, size_t r0, size_t r1, const float* bias,
                        float* y, size_t ldy) {
  const size_t tail = k % 16;
  const auto mask = static_cast<__mmask16>((1u << tail) - 1u);
  for (size_t r = r0; r < r1; r += 2) {
    const bool pair = r + 1 < r1;
    const float* w0 = w + r * k;
    const float* w1 = pair ? w0 + k : w0;
    __m512 acc0[MC], acc1[MC];
#pragma GCC unroll 8
    for (int i = 0; i < MC; ++i) acc0[i] = acc1[i] = _mm512_setzero_ps();
    size_t j = 0;
    for (; j + 16 <= k; j += 16) {
      const __m512 a = _mm512_loadu_ps(w0 + j);
      const __m512 b = _mm512_loadu_ps(w1 + j);
#pragma GCC unroll 8
      for (int i = 0; i < MC; ++i) {
        const __m512 xv = _mm512_loadu_ps(x + static_cast<size_t>(i) * k + j);
        acc0[i] = _mm512_fmadd_ps(xv, a, acc0[i]);
        acc1[i] = _mm512_fmadd_ps(xv, b, acc1[i]);
      }
    }
    if (tail) {
      const __m512 a = _mm512_maskz_loadu_ps(mask, w0 + j);
      const __m512 b = _mm512_maskz_loadu_ps(mask, w1 + j);
#pragma GCC unroll 8
      for (int i = 0; i < MC; ++i) {
        const __m512 xv = _mm512_maskz_loadu_ps(mask, x + static_cast<size_t>(i) * k + j);
        acc0[i] = _mm512_fmadd_ps(xv, a, acc0[i]);
        acc1[i] = _mm512_fmadd_ps(xv, b, acc1[i]);
      }
    }
#pragma GCC unroll 8
    for (int i = 0; i < MC; ++i) {
      float* yi = y + static_cast<size_t>(i) * ldy;
      yi[r] = _mm512_reduce_add_ps(acc0[i]) + (bias ? bias[r] : 0.0f);
      if (pair) yi[r + 1] = _mm512_reduce_add_ps(acc1[i]) + (bias ? bias[r + 1] : 0.0f);
    }
  }
}

using block_fn = void (*)(const float*, size_t, const float*, size_t, size_t, const float*, float*, size_t);
constexpr block_fn k_blocks[] = {nullptr,
                                 &rows_times_weights<1>,
                                 &rows_times_weights<2>,
                                 &rows_times_weights<3>,
                                 &rows_times_weights<4>,
                                 &rows_times_weights<5>,
                                 &rows_times_weights<6>,
                                 &rows_times_weights<7>,
                                 &rows_times_weights<8>};

}  // namespace

void skinny_linear(const float* x, size_t rows, size_t k, const float* w, size_t n, const float* bias, float* y) {
  // Weight rows in blocks that stay in L1/L2 while every chunk of 8 x rows passes over them.
  // One thread: a single core already saturates memory bandwidth here, and a second thread pool
  // next to OpenBLAS's spinning workers costs more than it gains (measured: 5x slower decode).
  constexpr size_t k_weight_block = 64;
  for (size_t r0 = 0; r0 < n; r0 += k_weight_block) {
    const size_t r1 = r0 + k_weight_block < n ? r0 + k_weight_block : n;
    for (size_t i0 = 0; i0 < rows; i0 += 8) {
      const size_t mc = rows - i0 < 8 ? rows - i0 : 8;
      k_blocks[mc](x + i0 * k, k, w, r0, r1, bias, y + i0 * n, n);
    }
  }
}

bool skinny_available() { return true; }
#else
void skinny_linear(const float*, size_t, size_t, const float*, size_t, const float*, float*) {}
bool skinny_available() { return false; }
#endif

}  // namespace hf::engine::cpu

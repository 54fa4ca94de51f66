// weighted_sum_rows: up to 4 rows x 64 columns of accumulators in registers, walking the v rows
// once per block; rows that see fewer v rows simply stop taking terms (no padding terms, which
// would turn a -0 into +0 and make a row depend on its neighbours).
#include "engine/kernels/cpu/weighted_sum.hpp"

#include <algorithm>
#include <cmath>

#if defined(__AVX512F__)
#include <immintrin.h>
#if !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"  // GCC 12 false positive in AVX-512 intrinsics
#endif
#endif

namespace hf::engine::cpu {

void weighted_sum_rows_portable(const float* p, size_t ldp, const size_t* n, size_t rows, row_block v,
                                size_t dim, float* out, size_t ldo) {
  for (size_t i = 0; i < rows; ++i)
    for (size_t d = 0; d < dim; ++d) {
      float acc = 0.0f;
      for (size_t j = 0; j < n[i]; ++j) acc = std::fma(p[i * ldp + j], v.data[j * v.stride + d], acc);
      out[i * ldo + d] = acc;
    }
}

#if defined(__AVX512F__)
namespace {

constexpr int k_vectors = 4;  // 64 columns per pass

template <int RB>
void block(const float* p, size_t ldp, const size_t* n, row_block v, size_t d0, const __mmask16* mask,
           float* out, size_t ldo) {
  __m512 acc[RB][k_vectors];
#pragma GCC unroll 4
  for (int r = 0; r < RB; ++r)
#pragma GCC unroll 4
    for (int c = 0; c < k_vectors; ++c) acc[r][c] = _mm512_setzero_ps();
  size_t lo = n[0], hi = n[0];
  for (int r = 1; r < RB; ++r) lo = std::min(lo, n[r]), hi = std::max(hi, n[r]);
  auto step = [&](size_t j, auto all_rows) {
    __m512 vv[k_vectors];
    const float* vj = v.data + j * v.stride + d0;
#pragma GCC unroll 4
    for (int c = 0; c < k_vectors; ++c) vv[c] = _mm512_maskz_loadu_ps(mask[c], vj + 16 * c);
#pragma GCC unroll 4
    for (int r = 0; r < RB; ++r) {
      if (!all_rows && j >= n[r]) continue;
      const __m512 pr = _mm512_set1_ps(p[static_cast<size_t>(r) * ldp + j]);
#pragma GCC unroll 4
      for (int c = 0; c < k_vectors; ++c) acc[r][c] = _mm512_fmadd_ps(pr, vv[c], acc[r][c]);
    }
  };
  for (size_t j = 0; j < lo; ++j) step(j, std::true_type{});
  for (size_t j = lo; j < hi; ++j) step(j, std::false_type{});
#pragma GCC unroll 4
  for (int r = 0; r < RB; ++r)
#pragma GCC unroll 4
    for (int c = 0; c < k_vectors; ++c)
      _mm512_mask_storeu_ps(out + static_cast<size_t>(r) * ldo + d0 + 16 * c, mask[c], acc[r][c]);
}

using block_fn = void (*)(const float*, size_t, const size_t*, row_block, size_t, const __mmask16*, float*,
                          size_t);
constexpr block_fn k_blocks[] = {nullptr, &block<1>, &block<2>, &block<3>, &block<4>};

}  // namespace

void weighted_sum_rows(const float* p, size_t ldp, const size_t* n, size_t rows, row_block v, size_t dim,
                       float* out, size_t ldo) {
  for (size_t d0 = 0; d0 < dim; d0 += 16 * k_vectors) {
    __mmask16 mask[k_vectors];
    for (int c = 0; c < k_vectors; ++c) {
      const size_t begin = d0 + 16 * static_cast<size_t>(c);
      const size_t width = begin >= dim ? 0 : std::min<size_t>(16, dim - begin);
      mask[c] = static_cast<__mmask16>((1u << width) - 1u);
    }
    for (size_t i0 = 0; i0 < rows; i0 += 4) {
      const size_t rb = std::min<size_t>(4, rows - i0);
      k_blocks[rb](p + i0 * ldp, ldp, n + i0, v, d0, mask, out + i0 * ldo, ldo);
    }
  }
}
#else
void weighted_sum_rows(const float* p, size_t ldp, const size_t* n, size_t rows, row_block v, size_t dim,
                       float* out, size_t ldo) {
  weighted_sum_rows_portable(p, ldp, n, rows, v, dim, out, ldo);
}
#endif

}  // namespace hf::engine::cpu

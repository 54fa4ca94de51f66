// AVX-512 dot_rows (reduction order: dot_rows.hpp). A tile of MC x rows against R w rows keeps
// its R*MC lane accumulators in registers over a stretch of k. Two schedules, same arithmetic:
//  - few x rows (decode): each w row is streamed from memory once, over the whole of k, with
//    software prefetch of the next group (the loop is bound by memory bandwidth);
//  - many x rows (prefill, encoders, attention scores): w is taken in blocks that stay in L2 and
//    k in slabs that keep the x tile in L1; between slabs the accumulators are parked in a small
//    per-thread buffer, unreduced, so the lanes see the same fused multiply-adds in the same order
//    as in one pass.
#if defined(__AVX512F__)
#include <immintrin.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "engine/kernels/cpu/dot_rows.hpp"

#if !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"  // GCC 12 false positive in AVX-512 intrinsics
#endif

namespace hf::engine::cpu {
namespace {

// Horizontal sums of four accumulators at once, [sum(a), sum(b), sum(c), sum(d)], in the tree of
// dot_rows.hpp (step 2) for every slot, so a result does not depend on its neighbours.
inline __m128 reduce4(__m512 a, __m512 b, __m512 c, __m512 d) {
  auto half = [](__m512 v) {
    return _mm256_add_ps(_mm512_castps512_ps256(v),
                         _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v), 1)));
  };
  const __m256 t = _mm256_hadd_ps(_mm256_hadd_ps(half(a), half(b)), _mm256_hadd_ps(half(c), half(d)));
  return _mm_add_ps(_mm256_castps256_ps128(t), _mm256_extractf128_ps(t, 1));
}

// Tiles: x rows [0, MC) (stride ldx) against every weight row of w, R rows at a time, over the k
// range [k0, k1). `park` holds R*MC accumulators per group of R weight rows between k slabs: read
// unless `first`, written unless `last`; when `last` the sums (+ bias) go to y[i * ldy + j].
// The loop over weight-row groups lives inside the tile so that nothing is set up per group.
struct tile_args {
  const float* x;
  size_t ldx;
  row_block w;
  size_t k0, k1, k;
  bool first, last;
  float* park;
  const float* bias;  // bias of w's first row (nullptr: none)
  float* y;
  size_t ldy;
};

template <int MC, int R, bool Prefetch>
void tiles(const tile_args& t) {
  const size_t full_end = t.k1 == t.k ? t.k - t.k % 16 : t.k1;
  // Software prefetch of the same spot in the next group of rows: the hardware prefetcher alone
  // falls behind once the x rows slow the loop down (streaming tiles only).
  const size_t ahead = static_cast<size_t>(R) * t.w.stride * sizeof(float);
  for (size_t r = 0; r < t.w.count; r += R) {
    const size_t valid = t.w.count - r < R ? t.w.count - r : R;  // a short last group repeats its last row
    const float* wr[R];
#pragma GCC unroll 8
    for (int q = 0; q < R; ++q)
      wr[q] = t.w.data + (r + (static_cast<size_t>(q) < valid ? static_cast<size_t>(q) : valid - 1)) * t.w.stride;
    float* park = t.park + r * MC * 16;
    __m512 acc[R][MC];
#pragma GCC unroll 8
    for (int q = 0; q < R; ++q)
#pragma GCC unroll 8
      for (int i = 0; i < MC; ++i)
        acc[q][i] = t.first ? _mm512_setzero_ps() : _mm512_loadu_ps(park + (q * MC + i) * 16);
    size_t j = t.k0;
    for (; j < full_end; j += 16) {
      __m512 wv[R];
#pragma GCC unroll 8
      for (int q = 0; q < R; ++q) {
        if constexpr (Prefetch)
          // Integer arithmetic: the address may lie past the matrix (prefetches never fault).
          _mm_prefetch(reinterpret_cast<const char*>(reinterpret_cast<uintptr_t>(wr[q] + j) + ahead), _MM_HINT_T0);
        wv[q] = _mm512_loadu_ps(wr[q] + j);
        // Keep the weight vector in a register: left alone, GCC folds the loads into each
        // multiply-add instead, loading w (or x) MC (R) times (measured: 4-row decode 40 % slower).
        if constexpr (MC > 1) asm("" : "+v"(wv[q]));
      }
#pragma GCC unroll 8
      for (int i = 0; i < MC; ++i) {
        __m512 xv = _mm512_loadu_ps(t.x + static_cast<size_t>(i) * t.ldx + j);
        if constexpr (MC > 1) asm("" : "+v"(xv));  // likewise: one load of x per R multiply-adds
#pragma GCC unroll 8
        for (int q = 0; q < R; ++q) acc[q][i] = _mm512_fmadd_ps(xv, wv[q], acc[q][i]);
      }
    }
    if (j < t.k1) {  // the tail of k, masked: absent elements are fma(0, 0, acc)
      const auto mask = static_cast<__mmask16>((1u << (t.k1 - j)) - 1u);
      __m512 wv[R];
#pragma GCC unroll 8
      for (int q = 0; q < R; ++q) wv[q] = _mm512_maskz_loadu_ps(mask, wr[q] + j);
#pragma GCC unroll 8
      for (int i = 0; i < MC; ++i) {
        const __m512 xv = _mm512_maskz_loadu_ps(mask, t.x + static_cast<size_t>(i) * t.ldx + j);
#pragma GCC unroll 8
        for (int q = 0; q < R; ++q) acc[q][i] = _mm512_fmadd_ps(xv, wv[q], acc[q][i]);
      }
    }
    if (!t.last) {
#pragma GCC unroll 8
      for (int q = 0; q < R; ++q)
#pragma GCC unroll 8
        for (int i = 0; i < MC; ++i) _mm512_storeu_ps(park + (q * MC + i) * 16, acc[q][i]);
      continue;
    }
#pragma GCC unroll 8
    for (int i = 0; i < MC; ++i) {
      alignas(16) float sums[4];
      _mm_store_ps(sums, R == 4 ? reduce4(acc[0][i], acc[1 % R][i], acc[2 % R][i], acc[3 % R][i])
                                : reduce4(acc[0][i], acc[1 % R][i], acc[0][i], acc[1 % R][i]));
      float* yi = t.y + static_cast<size_t>(i) * t.ldy + r;
      for (size_t q = 0; q < valid; ++q) yi[q] = sums[q] + (t.bias ? t.bias[r + q] : 0.0f);
    }
  }
}

using tiles_fn = void (*)(const tile_args&);
// Tiles by x-row count; R = 4 weight rows while the registers allow (R*MC accumulators + R + 1).
constexpr tiles_fn k_stream_tiles[] = {nullptr,            &tiles<1, 4, true>, &tiles<2, 4, true>,
                                       &tiles<3, 4, true>, &tiles<4, 4, true>, &tiles<5, 4, true>,
                                       &tiles<6, 4, true>, &tiles<7, 2, true>, &tiles<8, 2, true>};
constexpr tiles_fn k_blocked_tiles[] = {nullptr,             &tiles<1, 4, false>, &tiles<2, 4, false>,
                                        &tiles<3, 4, false>, &tiles<4, 4, false>, &tiles<5, 4, false>,
                                        &tiles<6, 4, false>};
constexpr size_t k_few_rows = 8;     // up to here: one streaming pass over w
constexpr size_t k_prefill_mc = 6;   // x rows per tile otherwise
constexpr size_t k_slab = 512;       // k per slab (a multiple of 16)
constexpr size_t k_w_block_bytes = 384 * 1024;  // w rows per block: about half of L2

void few_rows(row_block x, row_block w, size_t k, const float* bias, float* y, size_t ldy) {
  k_stream_tiles[x.count]({x.data, x.stride, w, 0, k, k, true, true, nullptr, bias, y, ldy});
}

void many_rows(row_block x, row_block w, size_t k, const float* bias, float* y, size_t ldy) {
  const size_t block = std::clamp<size_t>(k_w_block_bytes / (k * sizeof(float)) / 4 * 4, 4, 128);
  thread_local std::vector<float> park;
  park.resize(block * k_prefill_mc * 16);
  for (size_t n0 = 0; n0 < w.count; n0 += block) {
    const row_block wb{w.data + n0 * w.stride, std::min(block, w.count - n0), w.stride};
    for (size_t i0 = 0; i0 < x.count; i0 += k_prefill_mc) {
      const size_t mc = std::min(k_prefill_mc, x.count - i0);
      for (size_t k0 = 0; k0 < k; k0 += k_slab) {
        const size_t k1 = std::min(k, k0 + k_slab);
        // The first group of x rows streams the block from memory (prefetching, as the
        // few-rows tiles do); the others find it in L2. Same arithmetic either way.
        const tiles_fn tile = i0 == 0 ? k_stream_tiles[mc] : k_blocked_tiles[mc];
        tile({x.data + i0 * x.stride, x.stride, wb, k0, k1, k, k0 == 0, k1 == k, park.data(),
              bias ? bias + n0 : nullptr, y + i0 * ldy + n0, ldy});
      }
    }
  }
}

}  // namespace

void dot_rows(row_block x, row_block w, size_t k, const float* bias, float* y, size_t ldy) {
  if (x.count == 0 || w.count == 0) return;
  if (k == 0)
    dot_rows_portable(x, w, k, bias, y, ldy);  // every output is just its bias
  else if (x.count <= k_few_rows)
    few_rows(x, w, k, bias, y, ldy);
  else
    many_rows(x, w, k, bias, y, ldy);
}

}  // namespace hf::engine::cpu
#endif

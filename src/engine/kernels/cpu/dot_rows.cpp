// AVX-512 dot_rows (reduction orders: dot_rows.hpp). A tile of MC x rows against R w rows keeps
// its R*MC lane accumulators in registers over a stretch of k. Two schedules, same arithmetic:
//  - few x rows (decode): each w row is streamed from memory once, over the whole of k, with
//    software prefetch of the next group (the loop is bound by memory bandwidth);
//  - many x rows (prefill, encoders, attention scores): w is taken in blocks that stay in L2 and
//    k in slabs that keep the x tile in L1; between slabs the accumulators are parked in a small
//    per-thread buffer, unreduced, so the lanes see the same fused multiply-adds in the same order
//    as in one pass.
// One tile template serves every weight type through a policy (how 16 lanes' worth of x and w are
// loaded and multiplied in): f32, f16 and int8 weights widen to f32 and use FMA; bf16 uses
// VDPBF16PS on bf16 activations, 32 elements per step.
#if defined(__AVX512F__)
#include <immintrin.h>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <vector>

#include "engine/kernels/cpu/dot_rows.hpp"

#if !defined(__clang__)
// GCC 12 false positive in AVX-512 intrinsics
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
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
  const __m256 t =
      _mm256_hadd_ps(_mm256_hadd_ps(half(a), half(b)), _mm256_hadd_ps(half(c), half(d)));
  return _mm_add_ps(_mm256_castps256_ps128(t), _mm256_extractf128_ps(t, 1));
}

// Policies: element types, elements per step, loads (full and masked to the first n < step
// elements, the rest zero) and the multiply-add of one step.
struct f32_policy {
  using x_elem = float;
  using w_elem = float;
  using x_vec = __m512;
  using w_vec = __m512;
  static constexpr size_t step = 16;
  static x_vec load_x(const float* p) { return _mm512_loadu_ps(p); }
  static x_vec load_x(const float* p, size_t n) {
    return _mm512_maskz_loadu_ps(static_cast<__mmask16>((1u << n) - 1u), p);
  }
  static w_vec load_w(const float* p) { return _mm512_loadu_ps(p); }
  static w_vec load_w(const float* p, size_t n) { return load_x(p, n); }
  static __m512 madd(__m512 acc, x_vec x, w_vec w) { return _mm512_fmadd_ps(x, w, acc); }
};

struct f16_policy : f32_policy {
  using w_elem = uint16_t;
  static w_vec load_w(const uint16_t* p) {
    return _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)));
  }
  static w_vec load_w(const uint16_t* p, size_t n) {
    return _mm512_cvtph_ps(_mm256_maskz_loadu_epi16(static_cast<__mmask16>((1u << n) - 1u), p));
  }
};

struct int8_policy : f32_policy {
  using w_elem = int8_t;
  static w_vec load_w(const int8_t* p) {
    return _mm512_cvtepi32_ps(
        _mm512_cvtepi8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p))));
  }
  static w_vec load_w(const int8_t* p, size_t n) {
    return _mm512_cvtepi32_ps(
        _mm512_cvtepi8_epi32(_mm_maskz_loadu_epi8(static_cast<__mmask16>((1u << n) - 1u), p)));
  }
};

#if defined(__AVX512BF16__)
struct bf16_policy {
  using x_elem = uint16_t;
  using w_elem = uint16_t;
  using x_vec = __m512i;
  using w_vec = __m512i;
  static constexpr size_t step = 32;
  static __m512i load_x(const uint16_t* p) { return _mm512_loadu_si512(p); }
  static __m512i load_x(const uint16_t* p, size_t n) {
    return _mm512_maskz_loadu_epi16(static_cast<__mmask32>((uint64_t{1} << n) - 1u), p);
  }
  static __m512i load_w(const uint16_t* p) { return load_x(p); }
  static __m512i load_w(const uint16_t* p, size_t n) { return load_x(p, n); }
  static __m512 madd(__m512 acc, __m512i x, __m512i w) {
    return _mm512_dpbf16_ps(acc, std::bit_cast<__m512bh>(x), std::bit_cast<__m512bh>(w));
  }
};
#endif

// Tiles: x rows [0, MC) (stride ldx) against every weight row of w, R rows at a time, over the k
// range [k0, k1). `park` holds R*MC accumulators per group of R weight rows between k slabs: read
// unless `first`, written unless `last`; when `last` the sums (times scale, + bias) go to
// y[i * ldy + j]. The loop over weight-row groups lives inside the tile so that nothing is set up
// per group.
template <class P>
struct tile_args {
  const typename P::x_elem* x;
  size_t ldx;
  rows_of<typename P::w_elem> w;
  size_t k0, k1, k;
  bool first, last;
  float* park;
  const float* scale;  // int8: scale of w's first row; nullptr: none
  const float* bias;   // bias of w's first row (nullptr: none)
  float* y;
  size_t ldy;
};

template <class P, int MC, int R, bool Prefetch>
void tiles(const tile_args<P>& t) {
  constexpr size_t step = P::step;
  const size_t full_end = t.k1 == t.k ? t.k - t.k % step : t.k1;
  // Software prefetch of the same spot in the next group of rows: the hardware prefetcher alone
  // falls behind once the x rows slow the loop down (streaming tiles only).
  const size_t ahead = static_cast<size_t>(R) * t.w.stride * sizeof(typename P::w_elem);
  constexpr size_t lines_of = std::max<size_t>(step, 64 / sizeof(typename P::w_elem));
  for (size_t r = 0; r < t.w.count; r += R) {
    const size_t valid =
        t.w.count - r < R ? t.w.count - r : R;  // a short last group repeats its last row
    const typename P::w_elem* wr[R];
#pragma GCC unroll 8
    for (int q = 0; q < R; ++q)
      wr[q] =
          t.w.data +
          (r + (static_cast<size_t>(q) < valid ? static_cast<size_t>(q) : valid - 1)) * t.w.stride;
    float* park = t.park + r * MC * 16;
    __m512 acc[R][MC];
#pragma GCC unroll 8
    for (int q = 0; q < R; ++q)
#pragma GCC unroll 8
      for (int i = 0; i < MC; ++i)
        acc[q][i] = t.first ? _mm512_setzero_ps() : _mm512_loadu_ps(park + (q * MC + i) * 16);
    size_t j = t.k0;
    for (; j < full_end; j += step) {
      typename P::w_vec wv[R];
#pragma GCC unroll 8
      for (int q = 0; q < R; ++q) {
        // One prefetch per cache line: a step of a narrow type covers less than a line.
        if constexpr (Prefetch)
          if (j % lines_of == 0)
            // Integer arithmetic: the address may lie past the matrix (prefetches never fault).
            // NOLINTBEGIN(performance-no-int-to-ptr)
            _mm_prefetch(
                reinterpret_cast<const char*>(reinterpret_cast<uintptr_t>(wr[q] + j) + ahead),
                _MM_HINT_T0);
        // NOLINTEND(performance-no-int-to-ptr)
        wv[q] = P::load_w(wr[q] + j);
        // Keep the weight vector in a register: left alone, GCC folds the loads into each
        // multiply-add instead, loading w (or x) MC (R) times (measured: 4-row decode 40 % slower).
        if constexpr (MC > 1) asm("" : "+v"(wv[q]));
      }
#pragma GCC unroll 8
      for (int i = 0; i < MC; ++i) {
        typename P::x_vec xv = P::load_x(t.x + static_cast<size_t>(i) * t.ldx + j);
        if constexpr (MC > 1) asm("" : "+v"(xv));  // likewise: one load of x per R multiply-adds
#pragma GCC unroll 8
        for (int q = 0; q < R; ++q) acc[q][i] = P::madd(acc[q][i], xv, wv[q]);
      }
    }
    if (j < t.k1) {  // the tail of k, masked: absent elements are zero
      const size_t n = t.k1 - j;
      typename P::w_vec wv[R];
#pragma GCC unroll 8
      for (int q = 0; q < R; ++q) wv[q] = P::load_w(wr[q] + j, n);
#pragma GCC unroll 8
      for (int i = 0; i < MC; ++i) {
        const typename P::x_vec xv = P::load_x(t.x + static_cast<size_t>(i) * t.ldx + j, n);
#pragma GCC unroll 8
        for (int q = 0; q < R; ++q) acc[q][i] = P::madd(acc[q][i], xv, wv[q]);
      }
    }
    if (!t.last) {
#pragma GCC unroll 8
      for (int q = 0; q < R; ++q)
#pragma GCC unroll 8
        for (int i = 0; i < MC; ++i) _mm512_storeu_ps(park + (q * MC + i) * 16, acc[q][i]);
      continue;
    }
    // The epilogue stays in vector registers: a scalar loop over the sums (through memory) cost
    // about 22 steps of the loop above per group (measured, one thread, 6 x 64 x 256 and x 1024).
    const auto keep = static_cast<__mmask8>((1u << valid) - 1u);
    const __m128 b = t.bias ? _mm_maskz_loadu_ps(keep, t.bias + r) : _mm_setzero_ps();
    const __m128 s = t.scale ? _mm_maskz_loadu_ps(keep, t.scale + r) : _mm_setzero_ps();
#pragma GCC unroll 8
    for (int i = 0; i < MC; ++i) {
      const __m128 sums = R == 4 ? reduce4(acc[0][i], acc[1 % R][i], acc[2 % R][i], acc[3 % R][i])
                                 : reduce4(acc[0][i], acc[1 % R][i], acc[0][i], acc[1 % R][i]);
      float* yi = t.y + static_cast<size_t>(i) * t.ldy + r;
      _mm_mask_storeu_ps(yi, keep, t.scale ? _mm_fmadd_ps(sums, s, b) : _mm_add_ps(sums, b));
    }
  }
}

// Tiles by x-row count; R = 4 weight rows while the registers allow (R*MC accumulators + R + 1).
template <class P>
struct tile_table {
  using fn = void (*)(const tile_args<P>&);
  static constexpr fn stream[] = {nullptr,
                                  &tiles<P, 1, 4, true>,
                                  &tiles<P, 2, 4, true>,
                                  &tiles<P, 3, 4, true>,
                                  &tiles<P, 4, 4, true>,
                                  &tiles<P, 5, 4, true>,
                                  &tiles<P, 6, 4, true>,
                                  &tiles<P, 7, 2, true>,
                                  &tiles<P, 8, 2, true>};
  static constexpr fn blocked[] = {nullptr,
                                   &tiles<P, 1, 4, false>,
                                   &tiles<P, 2, 4, false>,
                                   &tiles<P, 3, 4, false>,
                                   &tiles<P, 4, 4, false>,
                                   &tiles<P, 5, 4, false>,
                                   &tiles<P, 6, 4, false>};
};
constexpr size_t k_few_rows = 8;    // up to here: one streaming pass over w
constexpr size_t k_prefill_mc = 6;  // x rows per tile otherwise
// k per slab, in bytes of x (a multiple of every step): a 6-row x tile of 24 KB stays in L1, and
// fewer slabs mean fewer parkings (measured, one thread, 512 x 1152 x 768: 512 f32 elements gave
// bf16 260 GFLOP/s and f32 146; 4096 bytes give 328 and 159).
constexpr size_t k_slab_bytes = 4096;
constexpr size_t k_w_block_bytes = 384 * 1024;  // w rows per block: about half of L2
// x rows per pass over the w blocks: more than this, and the x rows streaming through L2 evict
// the block they are multiplied with (measured, one thread, 4096 x 1152 x 768: bf16 283 -> 312
// GFLOP/s, f32 149 -> 163).
constexpr size_t k_x_chunk_bytes = size_t{512} * 1024;

template <class P>
void run_tiles(rows_of<typename P::x_elem> x, rows_of<typename P::w_elem> w, size_t k,
               const float* scale, const float* bias, float* y, size_t ldy) {
  if (x.count <= k_few_rows) {
    tile_table<P>::stream[x.count](
        {x.data, x.stride, w, 0, k, k, true, true, nullptr, scale, bias, y, ldy});
    return;
  }
  const size_t row_bytes = k * sizeof(typename P::w_elem);
  const size_t block = std::clamp<size_t>(k_w_block_bytes / row_bytes / 4 * 4, 4, 128);
  constexpr size_t slab = k_slab_bytes / sizeof(typename P::x_elem);
  thread_local std::vector<float> park;
  park.resize(block * k_prefill_mc * 16);
  const size_t chunk =
      std::max<size_t>(k_prefill_mc, k_x_chunk_bytes / (k * sizeof(typename P::x_elem)) /
                                         k_prefill_mc * k_prefill_mc);
  for (size_t m0 = 0; m0 < x.count; m0 += chunk) {
    const size_t m1 = std::min(x.count, m0 + chunk);
    for (size_t n0 = 0; n0 < w.count; n0 += block) {
      const rows_of<typename P::w_elem> wb{w.data + n0 * w.stride, std::min(block, w.count - n0),
                                           w.stride};
      for (size_t i0 = m0; i0 < m1; i0 += k_prefill_mc) {
        const size_t mc = std::min(k_prefill_mc, m1 - i0);
        for (size_t k0 = 0; k0 < k; k0 += slab) {
          const size_t k1 = std::min(k, k0 + slab);
          // The first group of x rows streams the block from memory (prefetching, as the
          // few-rows tiles do); the others find it in L2. Same arithmetic either way.
          const auto tile = i0 == m0 ? tile_table<P>::stream[mc] : tile_table<P>::blocked[mc];
          tile({x.data + i0 * x.stride, x.stride, wb, k0, k1, k, k0 == 0, k1 == k, park.data(),
                scale ? scale + n0 : nullptr, bias ? bias + n0 : nullptr, y + i0 * ldy + n0, ldy});
        }
      }
    }
  }
}

}  // namespace

void dot_rows(row_block x, row_block w, size_t k, const float* bias, float* y, size_t ldy) {
  if (x.count == 0 || w.count == 0) return;
  if (k == 0) return dot_rows_portable(x, w, k, bias, y, ldy);  // every output is just its bias
  run_tiles<f32_policy>(x, w, k, nullptr, bias, y, ldy);
}

void dot_rows_f16(row_block x, rows_of<uint16_t> w, size_t k, const float* bias, float* y,
                  size_t ldy) {
  if (x.count == 0 || w.count == 0) return;
  if (k == 0) return dot_rows_f16_portable(x, w, k, bias, y, ldy);
  run_tiles<f16_policy>(x, w, k, nullptr, bias, y, ldy);
}

void dot_rows_int8(row_block x, rows_of<int8_t> w, size_t k, const float* scale, const float* bias,
                   float* y, size_t ldy) {
  if (x.count == 0 || w.count == 0) return;
  if (k == 0) return dot_rows_int8_portable(x, w, k, scale, bias, y, ldy);
  run_tiles<int8_policy>(x, w, k, scale, bias, y, ldy);
}

#if defined(__AVX512BF16__)
void dot_rows_bf16(rows_of<uint16_t> x, rows_of<uint16_t> w, size_t k, const float* bias, float* y,
                   size_t ldy) {
  if (x.count == 0 || w.count == 0) return;
  if (k == 0) return dot_rows_bf16_portable(x, w, k, bias, y, ldy);
  run_tiles<bf16_policy>(x, w, k, nullptr, bias, y, ldy);
}

void to_bf16(const float* x, size_t n, uint16_t* out) {
  size_t i = 0;
  for (; i + 16 <= n; i += 16)
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + i),
                        std::bit_cast<__m256i>(_mm512_cvtneps_pbh(_mm512_loadu_ps(x + i))));
  if (i < n) to_bf16_portable(x + i, n - i, out + i);
}
#endif

}  // namespace hf::engine::cpu
#endif

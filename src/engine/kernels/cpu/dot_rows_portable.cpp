// Portable dot_rows: the reduction orders of dot_rows.hpp written out one lane at a time, for each
// weight type. These define the bits; the AVX-512 kernels are tested against them.
#include <bit>
#include <cmath>
#include <cstdint>

#include "engine/kernels/cpu/dot_rows.hpp"
#include "engine/weights/dtype.hpp"

namespace hf::engine::cpu {
namespace {

// The fixed tree of dot_rows.hpp step 2.
float reduce_lanes(const float (&lane)[16]) {
  float h[8];
  for (size_t i = 0; i < 8; ++i) h[i] = lane[i] + lane[i + 8];
  return ((h[0] + h[1]) + (h[2] + h[3])) + ((h[4] + h[5]) + (h[6] + h[7]));
}

// Lane order of the f32 kernels, with weights widened by `widen` (exact for every type here).
template <class W, class Widen>
float dot_in_lanes(const float* x, const W* w, size_t k, Widen widen) {
  float lane[16] = {};
  for (size_t t0 = 0; t0 < k; t0 += 16)
    for (size_t l = 0; l < 16; ++l) {
      const size_t t = t0 + l;
      lane[l] = t < k ? std::fma(x[t], widen(w[t]), lane[l]) : std::fma(0.0f, 0.0f, lane[l]);
    }
  return reduce_lanes(lane);
}

float flush_subnormal(float f) {
  return std::fpclassify(f) == FP_SUBNORMAL ? std::copysign(0.0f, f) : f;
}

// bf16 -> f32 with subnormals as zero (VDPBF16PS's DAZ).
float bf16_daz(uint16_t b) {
  return flush_subnormal(bf16_to_f32(b));
}

float dot_bf16_pairs(const uint16_t* x, const uint16_t* w, size_t k) {
  float lane[16] = {};
  for (size_t t0 = 0; t0 < k; t0 += 32)
    for (size_t l = 0; l < 16; ++l) {
      const size_t t = t0 + 2 * l;
      const float x0 = t < k ? bf16_daz(x[t]) : 0.0f, w0 = t < k ? bf16_daz(w[t]) : 0.0f;
      const float x1 = t + 1 < k ? bf16_daz(x[t + 1]) : 0.0f,
                  w1 = t + 1 < k ? bf16_daz(w[t + 1]) : 0.0f;
      lane[l] = flush_subnormal(std::fma(x1, w1, lane[l]));
      lane[l] = flush_subnormal(std::fma(x0, w0, lane[l]));
    }
  return reduce_lanes(lane);
}

}  // namespace

void dot_rows_portable(row_block x, row_block w, size_t k, const float* bias, float* y, size_t ldy) {
  for (size_t i = 0; i < x.count; ++i)
    for (size_t j = 0; j < w.count; ++j)
      y[i * ldy + j] =
          dot_in_lanes(x.data + i * x.stride, w.data + j * w.stride, k, [](float v) { return v; }) +
          (bias ? bias[j] : 0.0f);
}

void dot_rows_f16_portable(row_block x, rows_of<uint16_t> w, size_t k, const float* bias, float* y,
                           size_t ldy) {
  for (size_t i = 0; i < x.count; ++i)
    for (size_t j = 0; j < w.count; ++j)
      y[i * ldy + j] = dot_in_lanes(x.data + i * x.stride, w.data + j * w.stride, k, f16_to_f32) +
                       (bias ? bias[j] : 0.0f);
}

void dot_rows_int8_portable(row_block x, rows_of<int8_t> w, size_t k, const float* scale,
                            const float* bias, float* y, size_t ldy) {
  for (size_t i = 0; i < x.count; ++i)
    for (size_t j = 0; j < w.count; ++j)
      y[i * ldy + j] = std::fma(dot_in_lanes(x.data + i * x.stride, w.data + j * w.stride, k,
                                             [](int8_t v) { return static_cast<float>(v); }),
                                scale[j], bias ? bias[j] : 0.0f);
}

void dot_rows_bf16_portable(rows_of<uint16_t> x, rows_of<uint16_t> w, size_t k, const float* bias,
                            float* y, size_t ldy) {
  for (size_t i = 0; i < x.count; ++i)
    for (size_t j = 0; j < w.count; ++j)
      y[i * ldy + j] =
          dot_bf16_pairs(x.data + i * x.stride, w.data + j * w.stride, k) + (bias ? bias[j] : 0.0f);
}

void to_bf16_portable(const float* x, size_t n, uint16_t* out) {
  for (size_t i = 0; i < n; ++i) {
    const float v = flush_subnormal(x[i]);
    auto bits = std::bit_cast<uint32_t>(v);
    if ((bits & 0x7fffffffu) > 0x7f800000u) {
      out[i] = static_cast<uint16_t>((bits >> 16) | 0x40u);  // quiet NaN
      continue;
    }
    bits += 0x7fffu + ((bits >> 16) & 1u);
    out[i] = static_cast<uint16_t>(bits >> 16);
  }
}

#if !defined(__AVX512F__)
void dot_rows(row_block x, row_block w, size_t k, const float* bias, float* y, size_t ldy) {
  dot_rows_portable(x, w, k, bias, y, ldy);
}
void dot_rows_f16(row_block x, rows_of<uint16_t> w, size_t k, const float* bias, float* y,
                  size_t ldy) {
  dot_rows_f16_portable(x, w, k, bias, y, ldy);
}
void dot_rows_int8(row_block x, rows_of<int8_t> w, size_t k, const float* scale, const float* bias,
                   float* y, size_t ldy) {
  dot_rows_int8_portable(x, w, k, scale, bias, y, ldy);
}
#endif
#if !defined(__AVX512BF16__)
void dot_rows_bf16(rows_of<uint16_t> x, rows_of<uint16_t> w, size_t k, const float* bias, float* y,
                   size_t ldy) {
  dot_rows_bf16_portable(x, w, k, bias, y, ldy);
}
void to_bf16(const float* x, size_t n, uint16_t* out) {
  to_bf16_portable(x, n, out);
}
#endif

}  // namespace hf::engine::cpu

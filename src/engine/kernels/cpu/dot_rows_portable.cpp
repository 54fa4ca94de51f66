// Portable dot_rows: the reduction order of dot_rows.hpp written out one lane at a time.
#include <cmath>

#include "engine/kernels/cpu/dot_rows.hpp"

namespace hf::engine::cpu {
namespace {

float dot_in_lanes(const float* x, const float* w, size_t k) {
  float lane[16] = {};
  for (size_t t0 = 0; t0 < k; t0 += 16)
    for (size_t l = 0; l < 16; ++l) {
      const size_t t = t0 + l;
      lane[l] = t < k ? std::fma(x[t], w[t], lane[l]) : std::fma(0.0f, 0.0f, lane[l]);
    }
  float h[8];
  for (size_t i = 0; i < 8; ++i) h[i] = lane[i] + lane[i + 8];
  return ((h[0] + h[1]) + (h[2] + h[3])) + ((h[4] + h[5]) + (h[6] + h[7]));
}

}  // namespace

void dot_rows_portable(row_block x, row_block w, size_t k, const float* bias, float* y, size_t ldy) {
  for (size_t i = 0; i < x.count; ++i)
    for (size_t j = 0; j < w.count; ++j)
      y[i * ldy + j] = dot_in_lanes(x.data + i * x.stride, w.data + j * w.stride, k) + (bias ? bias[j] : 0.0f);
}

#if !defined(__AVX512F__)
void dot_rows(row_block x, row_block w, size_t k, const float* bias, float* y, size_t ldy) {
  dot_rows_portable(x, w, k, bias, y, ldy);
}
#endif

}  // namespace hf::engine::cpu

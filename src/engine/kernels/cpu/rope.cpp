// Rotary embedding, rotate-half layout: for i < half, (x[i], x[i+half]) is rotated by
// position * inv_freq[i]. The angle is formed in float32 as transformers does, then cos/sin are
// taken in double so the only rounding left is the final float conversion.
#include <cmath>
#include <vector>

#include "engine/kernels/cpu/cpu_kernels.hpp"

namespace hf::engine::cpu {

void rope(float* x, size_t rows, size_t row_stride, size_t n_heads, size_t head_dim,
          const size_t* positions, const float* inv_freq, size_t half, float scale) {
  std::vector<float> cs(2 * half);
  for (size_t r = 0; r < rows; ++r) {
    const float pos = static_cast<float>(positions[r]);
    for (size_t i = 0; i < half; ++i) {
      const float angle = pos * inv_freq[i];
      cs[i] = static_cast<float>(std::cos(static_cast<double>(angle))) * scale;
      cs[half + i] = static_cast<float>(std::sin(static_cast<double>(angle))) * scale;
    }
    float* row = x + r * row_stride;
    for (size_t h = 0; h < n_heads; ++h) {
      float* v = row + h * head_dim;
      for (size_t i = 0; i < half; ++i) {
        const float a = v[i];
        const float b = v[i + half];
        v[i] = a * cs[i] - b * cs[half + i];
        v[i + half] = b * cs[i] + a * cs[half + i];
      }
    }
  }
}

}  // namespace hf::engine::cpu

// Projections y = x·Wᵀ (+ bias), W [out, in]: dot_rows on blocks of weight rows spread over the
// cores. Splitting by weight rows (outputs), never along `in`, keeps every output's reduction on
// one thread in dot_rows' fixed order, so the thread count and the other rows of the batch do not
// change a single bit of it.
#include "engine/kernels/cpu/cpu_kernels.hpp"
#include "engine/kernels/cpu/dot_rows.hpp"
#include "engine/kernels/cpu/parallel.hpp"

namespace hf::engine::cpu {

void linear(const float* x, size_t rows, size_t in, const float* w, size_t out, const float* bias, float* y) {
  // Blocks of 64 weight rows at least: each is streamed once per call and applied to every x row.
  parallel_chunks(out, split_grain(out, 64), [&](size_t n0, size_t n1) {
    dot_rows({x, rows, in}, {w + n0 * in, n1 - n0, in}, in, bias ? bias + n0 : nullptr, y + n0, out);
  });
}

}  // namespace hf::engine::cpu

// Projections y = x·Wᵀ (+ bias), W [out, in]: dot_rows on blocks of weight rows spread over the
// cores. Splitting by weight rows (outputs), never along `in`, keeps every output's reduction on
// one thread in dot_rows' fixed order, so the thread count and the other rows of the batch do not
// change a single bit of it. bf16 weights take bf16 activations: x is rounded once per call, row
// by row, so a row's result still depends only on that row.
#include <cstdint>
#include <vector>

#include "engine/kernels/cpu/cpu_kernels.hpp"
#include "engine/kernels/cpu/dot_rows.hpp"
#include "engine/kernels/cpu/parallel.hpp"

namespace hf::engine::cpu {
namespace {
constexpr size_t k_serial_convert = 1 << 16;  // activations converted without a parallel region
}  // namespace

void linear(const float* x, size_t rows, size_t in, const matrix& w, const float* bias, float* y) {
  const size_t out = w.rows();
  // Blocks of 64 weight rows at least: each is streamed once per call and applied to every x row.
  const size_t grain = split_grain(out, 64);
  switch (w.type()) {
    case weight_type::f32:
      parallel_chunks(out, grain, [&](size_t n0, size_t n1) {
        dot_rows({x, rows, in}, {w.data_as<float>() + n0 * in, n1 - n0, in}, in,
                 bias ? bias + n0 : nullptr, y + n0, out);
      });
      return;
    case weight_type::f16:
      parallel_chunks(out, grain, [&](size_t n0, size_t n1) {
        dot_rows_f16({x, rows, in}, {w.data_as<uint16_t>() + n0 * in, n1 - n0, in}, in,
                     bias ? bias + n0 : nullptr, y + n0, out);
      });
      return;
    case weight_type::int8:
      parallel_chunks(out, grain, [&](size_t n0, size_t n1) {
        dot_rows_int8({x, rows, in}, {w.data_as<int8_t>() + n0 * in, n1 - n0, in}, in,
                      w.scales() + n0, bias ? bias + n0 : nullptr, y + n0, out);
      });
      return;
    case weight_type::bf16: {
      // The calling thread's buffer, passed by pointer: inside the parallel loops the name would
      // denote each worker's own (empty) thread_local.
      thread_local std::vector<uint16_t> buffer;
      buffer.resize(rows * in);
      uint16_t* xb = buffer.data();
      // Decode's few rows are converted on this thread: a parallel region's barrier costs more.
      if (rows * in <= k_serial_convert)
        to_bf16(x, rows * in, xb);
      else
        parallel_chunks(rows, row_grain(in), [&](size_t r0, size_t r1) {
          to_bf16(x + r0 * in, (r1 - r0) * in, xb + r0 * in);
        });
      parallel_chunks(out, grain, [&](size_t n0, size_t n1) {
        dot_rows_bf16({xb, rows, in}, {w.data_as<uint16_t>() + n0 * in, n1 - n0, in}, in,
                      bias ? bias + n0 : nullptr, y + n0, out);
      });
      return;
    }
  }
}

}  // namespace hf::engine::cpu

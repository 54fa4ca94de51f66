// The engine's one reduction over products of rows (internal to kernels/cpu): y[i][j] = x_i · w_j
// (+ bias[j]), where the rows of x and of w both run along k. Every projection (decode's few rows
// and prefill's many), the LM head and attention's query-key scores go through it, so that each
// output is the same sequence of floating-point operations whatever else is in the call:
//   1. lane l (0..15) accumulates x[t]*w[t] for t = l, l+16, l+32, ... in increasing t, each step
//      a fused multiply-add from 0; past the end of k a lane takes fma(0, 0, acc);
//   2. the lanes are added in one fixed tree: h_i = lane_i + lane_{i+8} (i < 8), then
//      ((h0 + h1) + (h2 + h3)) + ((h4 + h5) + (h6 + h7));
//   3. bias[j] is added (0 when there is none).
// So an output depends only on its two rows: not on how many rows are in the call, where they
// sit, how the caller splits the work over threads, or on the instruction set (the AVX-512 kernel
// and the portable one give the same bits, since a fused multiply-add rounds once either way).
// This is why the engine does not use a BLAS here: sgemm's order depends on its blocking, its
// small-matrix paths and the core type it picks at run time.
// Usage: cpu::dot_rows({x, rows, in}, {w, out, in}, in, bias, y, out);   (single-threaded)
#pragma once
#include <cstddef>

namespace hf::engine::cpu {

// `count` rows of at least k floats, row r at data + r * stride.
struct row_block {
  const float* data = nullptr;
  size_t count = 0;
  size_t stride = 0;
};

// y[i * ldy + j] = x_i · w_j (+ bias[j]) for i < x.count, j < w.count, on the calling thread.
// Fast kernel where the CPU has one (AVX-512), the portable one otherwise.
void dot_rows(row_block x, row_block w, size_t k, const float* bias, float* y, size_t ldy);

// The same results from plain C++ (std::fma per lane): the definition the fast kernel is tested
// against, and the kernel on CPUs without AVX-512.
void dot_rows_portable(row_block x, row_block w, size_t k, const float* bias, float* y, size_t ldy);

}  // namespace hf::engine::cpu

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
//        cpu::to_bf16(x, rows * in, xb); cpu::dot_rows_bf16({xb, rows, in}, {wb, out, in}, in,
//        bias, y, out);
#pragma once
#include <cstddef>
#include <cstdint>

namespace hf::engine::cpu {

// `count` rows of at least k elements, row r at data + r * stride.
template <class T>
struct rows_of {
  const T* data = nullptr;
  size_t count = 0;
  size_t stride = 0;
};
using row_block = rows_of<float>;

// y[i * ldy + j] = x_i · w_j (+ bias[j]) for i < x.count, j < w.count, on the calling thread.
// Fast kernel where the CPU has one (AVX-512), the portable one otherwise.
void dot_rows(row_block x, row_block w, size_t k, const float* bias, float* y, size_t ldy);

// The same results from plain C++ (std::fma per lane): the definition the fast kernel is tested
// against, and the kernel on CPUs without AVX-512.
void dot_rows_portable(row_block x, row_block w, size_t k, const float* bias, float* y, size_t ldy);

// Weights kept in a narrower type, f32 activations: each weight is widened exactly (f16 -> f32;
// int8 -> its integer value) and the lanes run the f32 order above; an int8 result is scaled and
// biased in one rounding: y = fma(x_i · q_j, scale[j], bias[j]).
void dot_rows_f16(row_block x, rows_of<uint16_t> w, size_t k, const float* bias, float* y,
                  size_t ldy);
void dot_rows_f16_portable(row_block x, rows_of<uint16_t> w, size_t k, const float* bias, float* y,
                           size_t ldy);
void dot_rows_int8(row_block x, rows_of<int8_t> w, size_t k, const float* scale, const float* bias,
                   float* y, size_t ldy);
void dot_rows_int8_portable(row_block x, rows_of<int8_t> w, size_t k, const float* scale,
                            const float* bias, float* y, size_t ldy);

// bf16 activations and weights (AVX-512 BF16 VDPBF16PS, two products per lane per step):
//   lane l (0..15) takes the pairs (t, t+1), t = 2l, 2l+32, 2l+64, ... in increasing t, and for
//   each does acc = fma(x[t+1], w[t+1], acc), then acc = fma(x[t], w[t], acc) (the products of two
//   bf16 are exact, so each is one rounding); bf16 subnormal inputs count as zero and subnormal
//   sums flush to zero, as the instruction does; elements past k are zero. Lanes are reduced in
//   the tree above. Same bits from the portable version, which is the kernel without AVX512-BF16.
void dot_rows_bf16(rows_of<uint16_t> x, rows_of<uint16_t> w, size_t k, const float* bias, float* y,
                   size_t ldy);
void dot_rows_bf16_portable(rows_of<uint16_t> x, rows_of<uint16_t> w, size_t k, const float* bias,
                            float* y, size_t ldy);

// f32 -> bf16 as VCVTNEPS2BF16 does it: round to nearest even, subnormal inputs become zero.
void to_bf16(const float* x, size_t n, uint16_t* out);
void to_bf16_portable(const float* x, size_t n, uint16_t* out);

}  // namespace hf::engine::cpu

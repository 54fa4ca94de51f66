// Weighted sums of rows (internal to kernels/cpu), attention's P·V: out_i = sum over j < n[i] of
// p[i][j] * v_j, for a block of rows i, with v_j rows of `dim` floats. Every element accumulates
// by fused multiply-add from 0 in increasing j, whichever block its row is in and however many
// keys the other rows see, so a query's output does not depend on the other queries of the call
// (AVX-512 and portable kernels give the same bits).
// Usage: cpu::weighted_sum_rows(p, ldp, n, rows, {v, keys, v_stride}, head_dim, out, out_stride);
#pragma once
#include <cstddef>

#include "engine/kernels/cpu/dot_rows.hpp"

namespace hf::engine::cpu {

void weighted_sum_rows(const float* p, size_t ldp, const size_t* n, size_t rows, row_block v, size_t dim,
                       float* out, size_t ldo);
void weighted_sum_rows_portable(const float* p, size_t ldp, const size_t* n, size_t rows, row_block v,
                                size_t dim, float* out, size_t ldo);

}  // namespace hf::engine::cpu

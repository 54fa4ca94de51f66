// Projections: the skinny kernel for a few rows (decode steps), OpenBLAS sgemm otherwise (sgemv
// for one row of a Conv1D-layout weight).
// The bias is copied into y first and accumulated with beta = 1, which saves a pass over y.
#include <cblas.h>

#include <cstring>

#include "engine/kernels/cpu/cpu_kernels.hpp"

namespace hf::engine::cpu {

void linear(const float* x, size_t rows, size_t in, const float* w, bool in_major, size_t out,
            const float* bias, float* y) {
  if (!in_major && rows <= k_skinny_max_rows && skinny_available()) {
    skinny_linear(x, rows, in, w, out, bias, y);
    return;
  }
  float beta = 0.0f;
  if (bias) {
    for (size_t r = 0; r < rows; ++r) std::memcpy(y + r * out, bias, out * sizeof(float));
    beta = 1.0f;
  }
  const auto m = static_cast<blasint>(rows);
  const auto k = static_cast<blasint>(in);
  const auto n = static_cast<blasint>(out);
  if (rows == 1) {
    if (in_major)
      cblas_sgemv(CblasRowMajor, CblasTrans, k, n, 1.0f, w, n, x, 1, beta, y, 1);
    else
      cblas_sgemv(CblasRowMajor, CblasNoTrans, n, k, 1.0f, w, k, x, 1, beta, y, 1);
    return;
  }
  if (in_major)
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1.0f, x, k, w, n, beta, y, n);
  else
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, n, k, 1.0f, x, k, w, k, beta, y, n);
}

}  // namespace hf::engine::cpu

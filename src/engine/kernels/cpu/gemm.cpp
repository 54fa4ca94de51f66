// Projections: the few-row kernel for decode steps, sgemm otherwise. With OpenMP, sgemm runs on the
// engine's pool: each worker multiplies its own slice of output columns with a single-threaded
// OpenBLAS call (every weight is packed once, by the worker that owns it).
// The bias is copied into y first and accumulated with beta = 1, which saves a pass over y.
#include <cblas.h>

#include <cstring>
#include <mutex>

#include "engine/kernels/cpu/cpu_kernels.hpp"
#include "engine/kernels/cpu/parallel.hpp"

namespace hf::engine::cpu {

void use_single_threaded_blas() {
#if defined(_OPENMP)
  static std::once_flag once;
  std::call_once(once, [] { openblas_set_num_threads(1); });
#endif
}

void linear(const float* x, size_t rows, size_t in, const float* w, bool in_major, size_t out,
            const float* bias, float* y) {
  if (!in_major && rows <= k_skinny_max_rows && skinny_available()) {
    skinny_linear(x, rows, in, w, out, bias, y);
    return;
  }
  use_single_threaded_blas();
  const float beta = bias ? 1.0f : 0.0f;
  const auto m = static_cast<blasint>(rows);
  const auto k = static_cast<blasint>(in);
  const auto ldy = static_cast<blasint>(out);
  parallel_chunks(out, split_grain(out, 64), [&](size_t n0, size_t n1) {
    const auto n = static_cast<blasint>(n1 - n0);
    if (bias)
      for (size_t r = 0; r < rows; ++r)
        std::memcpy(y + r * out + n0, bias + n0, (n1 - n0) * sizeof(float));
    if (rows == 1 && in_major) {
      cblas_sgemv(CblasRowMajor, CblasTrans, k, n, 1.0f, w + n0, ldy, x, 1, beta, y + n0, 1);
    } else if (in_major) {
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1.0f, x, k, w + n0, ldy, beta,
                  y + n0, ldy);
    } else {
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, n, k, 1.0f, x, k, w + n0 * in, k,
                  beta, y + n0, ldy);
    }
  });
}

}  // namespace hf::engine::cpu

// Attention of one sequence. Few queries (decode): direct dot products over the keys, which is
// bandwidth-bound on the K/V rows. Many queries (prefill, encoders): per head, scores = Q·Kᵀ and
// out = P·V through sgemm on blocks of query rows, masking the causal part row by row.
#include <cblas.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "engine/kernels/cpu/cpu_kernels.hpp"
#include "engine/kernels/cpu/parallel.hpp"
#include "engine/kernels/cpu/vec_math.hpp"

namespace hf::engine::cpu {
namespace {

constexpr size_t k_direct_max_queries = 4;
constexpr size_t k_query_block = 128;

size_t visible_keys(const kernels::attention_args& a, size_t query) {
  return a.causal ? a.n_keys - a.n_queries + query + 1 : a.n_keys;
}

void attention_direct(const kernels::attention_args& a) {
  const size_t group = a.n_heads / a.n_kv_heads;
  const size_t hd = a.head_dim;
  // Heads are independent; spread them over the workers once the context makes it worth it.
  const size_t grain =
      a.n_keys * a.n_heads * a.n_queries >= 8192 ? split_grain(a.n_heads, 1) : a.n_heads;
  parallel_chunks(a.n_heads, grain, [&](size_t h0, size_t h1) {
    std::vector<float> scores(a.n_keys);
    for (size_t i = 0; i < a.n_queries; ++i) {
      const size_t n = visible_keys(a, i);
      for (size_t h = h0; h < h1; ++h) {
        const size_t g = h / group;
        const float* q = a.q + i * a.q_stride + h * hd;
        const float* k = a.k + g * a.kv_head_stride;
        const float* v = a.v + g * a.kv_head_stride;
        for (size_t j = 0; j < n; ++j) scores[j] = dot(q, k + j * a.kv_row_stride, hd) * a.scale;
        softmax(scores.data(), n);
        float* out = a.out + i * a.out_stride + h * hd;
        std::memset(out, 0, hd * sizeof(float));
        for (size_t j = 0; j < n; ++j) axpy(scores[j], v + j * a.kv_row_stride, out, hd);
      }
    }
  });
}

// One head: scores = Q·Kᵀ and out = P·V on blocks of query rows.
void attention_blas_head(const kernels::attention_args& a, size_t h, std::vector<float>& s) {
  const size_t g = h / (a.n_heads / a.n_kv_heads);
  const size_t hd = a.head_dim;
  const float* k = a.k + g * a.kv_head_stride;
  const float* v = a.v + g * a.kv_head_stride;
  for (size_t i0 = 0; i0 < a.n_queries; i0 += k_query_block) {
    const size_t qb = std::min(k_query_block, a.n_queries - i0);
    const size_t width = visible_keys(a, i0 + qb - 1);  // keys any query of the block sees
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, static_cast<blasint>(qb),
                static_cast<blasint>(width), static_cast<blasint>(hd), a.scale,
                a.q + i0 * a.q_stride + h * hd, static_cast<blasint>(a.q_stride), k,
                static_cast<blasint>(a.kv_row_stride), 0.0f, s.data(), static_cast<blasint>(width));
    for (size_t r = 0; r < qb; ++r) {
      float* row = s.data() + r * width;
      const size_t n = visible_keys(a, i0 + r);
      softmax(row, n);
      std::fill(row + n, row + width, 0.0f);
    }
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, static_cast<blasint>(qb),
                static_cast<blasint>(hd), static_cast<blasint>(width), 1.0f, s.data(),
                static_cast<blasint>(width), v, static_cast<blasint>(a.kv_row_stride), 0.0f,
                a.out + i0 * a.out_stride + h * hd, static_cast<blasint>(a.out_stride));
  }
}

void attention_blas(const kernels::attention_args& a) {
  use_single_threaded_blas();
  parallel_chunks(a.n_heads, split_grain(a.n_heads, 1), [&](size_t h0, size_t h1) {
    std::vector<float> s(std::min(a.n_queries, k_query_block) * a.n_keys);
    for (size_t h = h0; h < h1; ++h) attention_blas_head(a, h, s);
  });
}

}  // namespace

void attention(const kernels::attention_args& a) {
  if (a.n_queries <= k_direct_max_queries)
    attention_direct(a);
  else
    attention_blas(a);
}

}  // namespace hf::engine::cpu

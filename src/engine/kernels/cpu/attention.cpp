// Attention of one sequence, one path for every shape: per kv-head group and block of queries,
// scores = Q·Kᵀ through dot_rows, a row softmax over the keys each query sees, then P·V through
// weighted_sum_rows. Each query's output is the same sequence of operations whether it arrives
// alone (a decode step), in a prefill chunk of any size, or in a whole prompt: chunked prefill,
// KV-cache decoding and full recomputation agree bit for bit.
#include <algorithm>
#include <vector>

#include "engine/kernels/cpu/cpu_kernels.hpp"
#include "engine/kernels/cpu/dot_rows.hpp"
#include "engine/kernels/cpu/parallel.hpp"
#include "engine/kernels/cpu/weighted_sum.hpp"

namespace hf::engine::cpu {
namespace {

constexpr size_t k_query_block = 32;

size_t visible_keys(const kernels::attention_args& a, size_t query) {
  return a.causal ? a.n_keys - a.n_queries + query + 1 : a.n_keys;
}

// Queries [i0, i0 + count) of head h.
void attend_block(const kernels::attention_args& a, size_t h, size_t i0, size_t count,
                  std::vector<float>& scores, std::vector<size_t>& seen) {
  const size_t hd = a.head_dim;
  const size_t g = h / (a.n_heads / a.n_kv_heads);
  const size_t width = visible_keys(a, i0 + count - 1);  // keys the last query of the block sees
  scores.resize(count * width);
  seen.resize(count);
  dot_rows({a.q + i0 * a.q_stride + h * hd, count, a.q_stride}, {a.k + g * a.kv_head_stride, width, a.kv_row_stride},
           hd, nullptr, scores.data(), width);
  for (size_t r = 0; r < count; ++r) {
    float* row = scores.data() + r * width;
    seen[r] = visible_keys(a, i0 + r);
    for (size_t j = 0; j < seen[r]; ++j) row[j] *= a.scale;
    softmax(row, seen[r]);
  }
  weighted_sum_rows(scores.data(), width, seen.data(), count, {a.v + g * a.kv_head_stride, width, a.kv_row_stride},
                    hd, a.out + i0 * a.out_stride + h * hd, a.out_stride);
}

}  // namespace

void attention(const kernels::attention_args& a) {
  const size_t blocks = (a.n_queries + k_query_block - 1) / k_query_block;
  const size_t items = a.n_heads * blocks;  // (head, query block), head-major
  // Spread the items over the workers once the context makes it worth a fork-join.
  const size_t grain = a.n_keys * a.n_heads * a.n_queries >= 8192 ? split_grain(items, 1) : items;
  parallel_chunks(items, grain, [&](size_t b0, size_t b1) {
    thread_local std::vector<float> scores;
    thread_local std::vector<size_t> seen;
    for (size_t item = b0; item < b1; ++item) {
      const size_t i0 = (item % blocks) * k_query_block;
      attend_block(a, item / blocks, i0, std::min(k_query_block, a.n_queries - i0), scores, seen);
    }
  });
}

}  // namespace hf::engine::cpu

#include "engine/layers/cached_attention.hpp"

#include <cstring>

#include "engine/kernels/kernels.hpp"

namespace hf::engine {

void cached_attention(const qkv_views& in, const decoder_batch& b, size_t layer, const attention_shape& s,
                      tensor& out) {
  const size_t hd = s.head_dim;
  out.resize({b.rows, s.n_heads * hd});
  for (const auto& seg : b.segments) {
    kv_cache& cache = *seg.cache;
    for (size_t g = 0; g < s.n_kv_heads; ++g) {
      float* kd = cache.keys(layer, g) + seg.past * hd;
      float* vd = cache.values(layer, g) + seg.past * hd;
      for (size_t t = 0; t < seg.count; ++t) {
        std::memcpy(kd + t * hd, in.k.row(seg.row + t) + in.k_col + g * hd, hd * sizeof(float));
        std::memcpy(vd + t * hd, in.v.row(seg.row + t) + in.v_col + g * hd, hd * sizeof(float));
      }
    }
    kernels::attention_args a;
    a.q = in.q.row(seg.row) + in.q_col;
    a.q_stride = in.q.shape().back();
    a.n_queries = seg.count;
    a.k = cache.keys(layer, 0);
    a.v = cache.values(layer, 0);
    a.kv_head_stride = cache.head_stride();
    a.kv_row_stride = hd;
    a.n_keys = seg.past + seg.count;
    a.n_heads = s.n_heads;
    a.n_kv_heads = s.n_kv_heads;
    a.head_dim = hd;
    a.scale = s.scale;
    a.causal = true;
    a.out = out.row(seg.row);
    a.out_stride = out.shape().back();
    kernels::attention(a);
  }
}

}  // namespace hf::engine

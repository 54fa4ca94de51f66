// Rotary position embedding settings read from config.json: rope_theta, partial_rotary_factor and
// rope_scaling (types default, linear, dynamic, llama3, yarn), turned into inverse frequencies.
// Usage: auto r = rope_table::from_config(cfg, head_dim); r.apply(q, 0, n_heads, batch);
#pragma once
#include <cstddef>
#include <vector>

#include "engine/models/causal_lm.hpp"
#include "engine/weights/model_config.hpp"

namespace hf::engine {

class rope_table {
 public:
  // Throws model_error for an unsupported rope_scaling type, naming it and the supported ones.
  static rope_table from_config(const json_config& c, size_t head_dim, size_t max_positions);

  // Rotates the heads in columns [col, col + n_heads*head_dim) of x, row r at b.positions[r].
  void apply(tensor& x, size_t col, size_t n_heads, const decoder_batch& b) const;
  size_t rotary_dims() const { return 2 * inv_freq_.size(); }
  // Inverse frequencies used for a sequence of seq_len tokens (only dynamic scaling depends on it).
  std::vector<float> frequencies_for(size_t seq_len) const;
  float attention_scaling() const { return attention_scaling_; }

 private:
  std::vector<float> inv_freq_;
  float attention_scaling_ = 1.0f;
  size_t head_dim_ = 0;
  bool dynamic_ = false;
  double theta_ = 10000.0;
  double factor_ = 1.0;
  size_t original_max_ = 0;
};

}  // namespace hf::engine

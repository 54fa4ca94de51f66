#include "engine/layers/rope.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "engine/errors.hpp"
#include "engine/kernels/kernels.hpp"

namespace hf::engine {
namespace {

std::vector<float> default_freqs(double theta, size_t dims) {
  std::vector<float> f(dims / 2);
  for (size_t i = 0; i < f.size(); ++i)
    f[i] = static_cast<float>(1.0 / std::pow(theta, static_cast<double>(2 * i) / static_cast<double>(dims)));
  return f;
}

void llama3_scale(std::vector<float>& f, const json_config& s, size_t fallback_max) {
  const double factor = s.get_double("factor");
  const double low = s.get_double("low_freq_factor", 1.0);
  const double high = s.get_double("high_freq_factor", 4.0);
  const double old_len = static_cast<double>(s.get_size("original_max_position_embeddings", fallback_max));
  const double low_wavelen = old_len / low;
  const double high_wavelen = old_len / high;
  for (auto& freq : f) {
    const double wavelen = 2 * std::numbers::pi / freq;
    if (wavelen < high_wavelen) continue;
    if (wavelen > low_wavelen) {
      freq = static_cast<float>(freq / factor);
    } else {
      const double smooth = (old_len / wavelen - low) / (high - low);
      freq = static_cast<float>((1 - smooth) * freq / factor + smooth * freq);
    }
  }
}

// YaRN: blend interpolated and extrapolated frequencies with a linear ramp between the
// correction dims of beta_fast and beta_slow; returns the attention (cos/sin) scaling.
float yarn_scale(std::vector<float>& f, const json_config& s, double theta, size_t dims, size_t fallback_max) {
  const double factor = s.get_double("factor");
  const double orig = static_cast<double>(s.get_size("original_max_position_embeddings", fallback_max));
  const double beta_fast = s.get_double("beta_fast", 32.0);
  const double beta_slow = s.get_double("beta_slow", 1.0);
  const double d = static_cast<double>(dims);
  auto correction_dim = [&](double rotations) {
    return d * std::log(orig / (rotations * 2 * std::numbers::pi)) / (2 * std::log(theta));
  };
  double low = std::max(std::floor(correction_dim(beta_fast)), 0.0);
  double high = std::min(std::ceil(correction_dim(beta_slow)), d - 1);
  if (low == high) high += 0.001;
  for (size_t i = 0; i < f.size(); ++i) {
    const double ramp = std::clamp((static_cast<double>(i) - low) / (high - low), 0.0, 1.0);
    const double extrapolation = 1.0 - ramp;
    const double extra = f[i];
    const double inter = f[i] / factor;
    f[i] = static_cast<float>(inter * (1 - extrapolation) + extra * extrapolation);
  }
  if (s.has("attention_factor")) return static_cast<float>(s.get_double("attention_factor"));
  return factor > 1 ? static_cast<float>(0.1 * std::log(factor) + 1.0) : 1.0f;
}

}  // namespace

rope_table rope_table::from_config(const json_config& c, size_t head_dim, size_t max_positions) {
  rope_table r;
  r.head_dim_ = head_dim;
  r.theta_ = c.get_double("rope_theta", 10000.0);
  const double partial = c.get_double("partial_rotary_factor", 1.0);
  const auto dims = static_cast<size_t>(static_cast<double>(head_dim) * partial) / 2 * 2;
  if (dims == 0 || dims > head_dim) throw model_error(c.source() + ": invalid partial_rotary_factor");
  r.inv_freq_ = default_freqs(r.theta_, dims);
  const auto scaling = c.get_object("rope_scaling");
  if (!scaling) return r;
  const std::string type = scaling->has("rope_type") ? scaling->get_string("rope_type")
                                                     : scaling->get_string("type", "default");
  if (type == "default") return r;
  if (type == "linear") {
    const double factor = scaling->get_double("factor");
    for (auto& f : r.inv_freq_) f = static_cast<float>(f / factor);
  } else if (type == "dynamic") {
    r.dynamic_ = true;
    r.factor_ = scaling->get_double("factor");
    r.original_max_ = scaling->get_size("original_max_position_embeddings", max_positions);
  } else if (type == "llama3") {
    llama3_scale(r.inv_freq_, *scaling, max_positions);
  } else if (type == "yarn") {
    r.attention_scaling_ = yarn_scale(r.inv_freq_, *scaling, r.theta_, dims, max_positions);
  } else {
    throw model_error(c.source() + ": rope_scaling type \"" + type +
                      "\" is not supported (supported: default, linear, dynamic, llama3, yarn)");
  }
  return r;
}

std::vector<float> rope_table::frequencies_for(size_t seq_len) const {
  if (!dynamic_ || seq_len <= original_max_) return inv_freq_;
  // Dynamic NTK: grow the base with the sequence length beyond the trained context.
  const double dims = static_cast<double>(rotary_dims());
  const double ratio = factor_ * static_cast<double>(seq_len) / static_cast<double>(original_max_) - (factor_ - 1);
  const double base = theta_ * std::pow(ratio, dims / (dims - 2));
  return default_freqs(base, rotary_dims());
}

void rope_table::apply(tensor& x, size_t col, size_t n_heads, const decoder_batch& b) const {
  if (!dynamic_) {
    kernels::rope(x, col, n_heads, head_dim_, b.positions, inv_freq_, attention_scaling_);
    return;
  }
  // Rows of different sequences may need different frequencies: rotate segment by segment.
  const size_t width = x.shape().back();
  tensor part;
  for (const auto& seg : b.segments) {
    const auto freqs = frequencies_for(seg.past + seg.count);
    part.resize({seg.count, width});
    std::copy_n(x.row(seg.row), seg.count * width, part.data());
    kernels::rope(part, col, n_heads, head_dim_, std::span(b.positions).subspan(seg.row, seg.count), freqs,
                  attention_scaling_);
    std::copy_n(part.data(), seg.count * width, x.row(seg.row));
  }
}

}  // namespace hf::engine

#include "engine/sampling/sampling_check.hpp"

#include <charconv>
#include <cmath>

namespace hf::engine {
namespace {

// The shortest text that reads back as v: 2 -> "2", 0.01 -> "0.01", 1048576 -> "1048576".
std::string number(double v) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, end) : std::to_string(v);
}

}  // namespace

bool value_range::contains(double v) const {
  if (!std::isfinite(v)) return false;
  return (min_open ? v > min : v >= min) && v <= max;
}

std::string value_range::rule() const {
  const bool has_min = std::isfinite(min), has_max = std::isfinite(max);
  const std::string lower = (min_open ? "> " : ">= ") + number(min);
  if (has_min && has_max) {
    return min_open ? "must be " + lower + " and <= " + number(max)
                    : "must be between " + number(min) + " and " + number(max);
  }
  if (has_min) return "must be " + lower;
  if (has_max) return "must be <= " + number(max);
  return "must be a finite number";
}

std::optional<sampling_problem> check_sampling_params(const sampling_params& p,
                                                      const sampling_ranges& r,
                                                      std::optional<std::size_t> vocab_size) {
  struct entry {
    const char* param;
    double value;
    const value_range& range;
  };
  const entry entries[] = {
      {"temperature", p.temperature, r.temperature},
      {"top_k", static_cast<double>(p.top_k), r.top_k},
      {"top_p", p.top_p, r.top_p},
      {"min_p", p.min_p, r.min_p},
      {"repetition_penalty", p.repetition_penalty, r.repetition_penalty},
      {"presence_penalty", p.presence_penalty, r.presence_penalty},
      {"frequency_penalty", p.frequency_penalty, r.frequency_penalty},
  };
  for (const entry& e : entries) {
    if (!e.range.contains(e.value)) return sampling_problem{e.param, e.range.rule()};
  }
  for (const auto& [id, bias] : p.logit_bias) {
    if (id < 0 || (vocab_size && static_cast<std::size_t>(id) >= *vocab_size)) {
      std::string within =
          vocab_size ? "the vocabulary [0, " + std::to_string(*vocab_size) + ")" : "the vocabulary";
      return sampling_problem{"logit_bias",
                              "has token id " + std::to_string(id) + " outside " + within};
    }
    if (!r.logit_bias.contains(bias))
      return sampling_problem{"logit_bias", "values " + r.logit_bias.rule()};
  }
  return std::nullopt;
}

}  // namespace hf::engine

// The one validation of sampling_params: every numeric knob against a table of ranges, and the
// logit_bias ids against the vocabulary. The engine's table is sampling_ranges{} (what the
// sampler can compute with); the API passes its narrower table (OpenAI's documented ranges), the
// scheduler checks each request at submit with the engine's, and the sampler's constructor checks
// again as the engine's own guard. Field names are those of sampling_params, which are also the
// OpenAI request fields.
//   auto bad = check_sampling_params(p, sampling_ranges{}, vocab);
//   if (bad) fail(bad->param, bad->message);
#pragma once
#include <cstddef>
#include <limits>
#include <optional>
#include <string>

#include "engine/sampling/sampling_params.hpp"

namespace hf::engine {

// [min, max], or (min, max] when min_open; an infinite end is no bound. NaN and infinities are
// never inside.
struct value_range {
  double min = -std::numeric_limits<double>::infinity();
  double max = std::numeric_limits<double>::infinity();
  bool min_open = false;

  bool contains(double v) const;
  // The rule as an error message reads it: "must be between 0 and 2", "must be > 0", ...
  std::string rule() const;
};

// One range per numeric sampling parameter. The defaults are the engine's own limits.
struct sampling_ranges {
  static constexpr double inf = std::numeric_limits<double>::infinity();
  value_range temperature{0, inf};
  value_range top_k{0, inf};
  value_range top_p{0, 1, /*min_open=*/true};
  value_range min_p{0, 1};
  value_range repetition_penalty{0, inf, /*min_open=*/true};
  value_range presence_penalty{};
  value_range frequency_penalty{};
  value_range logit_bias{};  // each bias value
};

struct sampling_problem {
  std::string param;    // "top_p", "logit_bias", ...
  std::string message;  // "must be > 0 and <= 1" (no field name: callers add their own framing)
};

// The first parameter outside its range, or nullopt. With a vocab_size, logit_bias ids must lie
// in [0, vocab_size); without one (the API, before it knows the model) only id >= 0 is checked.
std::optional<sampling_problem> check_sampling_params(const sampling_params& p,
                                                      const sampling_ranges& ranges,
                                                      std::optional<std::size_t> vocab_size);

}  // namespace hf::engine

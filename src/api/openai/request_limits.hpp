// Every range the OpenAI layer enforces on a request body, in one table. The sampling knobs are
// checked by engine::check_sampling_params (the same function the scheduler and the sampler use,
// with the engine's wider table), so the API adds only OpenAI's documented limits, never its own
// rules. Request-shape limits (n, max_tokens, ...) are read with json_fields against the rest.
//   if (auto bad = engine::check_sampling_params(p, openai_limits.sampling, std::nullopt)) ...
#pragma once
#include <cstddef>
#include <cstdint>

#include "engine/sampling/sampling_check.hpp"

namespace hf::api {

struct request_limits {
  engine::sampling_ranges sampling;
  std::int64_t max_n = 0;           // choices per prompt (n, best_of)
  std::int64_t max_tokens = 0;      // max_tokens, max_completion_tokens
  std::int64_t max_logprobs = 0;    // logprobs (completions), top_logprobs (chat)
  std::size_t max_stop = 0;         // stop strings
  std::int64_t max_dimensions = 0;  // embeddings' dimensions
};

inline constexpr request_limits openai_limits{
    .sampling = {.temperature = {0, 2},
                 .top_k = {0, 1 << 20},
                 .top_p = {0, 1, /*min_open=*/true},
                 .min_p = {0, 1},
                 .repetition_penalty = {0.01, 10},
                 .presence_penalty = {-2, 2},
                 .frequency_penalty = {-2, 2},
                 .logit_bias = {-100, 100}},
    .max_n = 16,
    .max_tokens = 1 << 20,
    .max_logprobs = 20,
    .max_stop = 4,
    .max_dimensions = 1 << 16,
};

}  // namespace hf::api

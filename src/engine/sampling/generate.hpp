// One complete generation for one prompt: prefill, then sample / decode until EOS, a stop id, a
// stop string, max_tokens or the context limit. For servers, the scheduler drives causal_lm::forward
// and sampler directly; this helper serves the CLI, tests and benchmarks.
// Usage: auto r = generate(lm, prompt_ids, params, &tok, [](int32_t id, std::string_view text) { ... });
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "engine/models/causal_lm.hpp"
#include "engine/sampling/sampling_params.hpp"

namespace hf::engine {

class tokenizer;

enum class finish_reason { stop, length };
std::string_view finish_reason_name(finish_reason r);  // "stop" | "length"

struct generation_result {
  std::vector<int32_t> ids;    // generated ids; a final EOS / stop id is not included
  std::string text;            // decoded text (empty without tokenizer), cut before a stop string
  finish_reason reason = finish_reason::length;
  std::optional<std::string> matched_stop;  // the stop string that ended generation, if any
  std::vector<token_logprob> logprobs;      // one per id when params.logprobs is set
  std::vector<float> last_prompt_logits;    // logits at the last prompt position (before any bias)
};

// Called once per generated id with the text it released (possibly "" while text is held back
// for an incomplete character or a possible stop string), then once with id = -1 and the text
// left at the end, if any.
using token_callback = std::function<void(int32_t id, std::string_view text)>;

// Throws input_error (empty or too long prompt, bad parameters, stop strings without tokenizer)
// and cancelled_error (stop requested; checked between layers and steps).
generation_result generate(const causal_lm& lm, std::span<const int32_t> prompt, const sampling_params& params,
                           const tokenizer* tok = nullptr, const token_callback& on_token = {},
                           std::stop_token stop = {});

}  // namespace hf::engine

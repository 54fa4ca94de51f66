// Parameters of one generation request (OpenAI / HF semantics) and per-token log-probabilities.
// Usage: sampling_params p; p.temperature = 0.7f; p.top_p = 0.9f; p.seed = 42; p.max_tokens = 64;
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace hf::engine {

struct sampling_params {
  float temperature = 1.0f;         // 0 = greedy (argmax, lowest id on ties)
  size_t top_k = 0;                 // keep the k most likely tokens; 0 = off
  float top_p = 1.0f;               // nucleus: smallest set with cumulative probability >= top_p
  float min_p = 0.0f;               // drop tokens with p < min_p * p_max
  float repetition_penalty = 1.0f;  // HF: divide positive / multiply negative logits of seen tokens
  float presence_penalty = 0.0f;    // OpenAI: minus this once per token already generated
  float frequency_penalty = 0.0f;   // OpenAI: minus this times the token's generated count
  std::vector<std::pair<int32_t, float>> logit_bias;  // added to the logits of these ids
  std::optional<uint64_t> seed;     // same seed, same model, same prompt -> same output
  std::vector<int32_t> stop_token_ids;  // besides EOS
  bool ignore_eos = false;
  size_t max_tokens = 16;
  // nullopt: no log-probabilities; n: the chosen token's plus the n most likely alternatives.
  std::optional<size_t> logprobs;
  std::vector<std::string> stop;    // stop strings (matched on decoded text; need a tokenizer)
};

struct token_logprob {
  int32_t id = 0;
  float logprob = 0.0f;
  std::vector<std::pair<int32_t, float>> top;  // the `logprobs` most likely ids, best first
};

}  // namespace hf::engine

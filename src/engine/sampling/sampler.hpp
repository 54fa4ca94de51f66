// Turns one position's logits into the next token: logit_bias, repetition / presence / frequency
// penalties, then greedy or temperature + top-k + top-p + min-p sampling with its own seeded PRNG.
// Log-probabilities are those of the penalised distribution before temperature (what the model
// "thinks" after the request's biases), like OpenAI's logprobs.
// Usage: sampler s(params, vocab); int32_t id = s.sample(logits, prompt_ids, generated_ids, &lp);
#pragma once
#include <cstdint>
#include <random>
#include <span>
#include <vector>

#include "engine/sampling/sampling_params.hpp"

namespace hf::engine {

class sampler {
 public:
  // Throws input_error for parameters outside the engine's ranges (check_sampling_params with
  // sampling_ranges{}: negative temperature, top_p outside (0, 1], logit_bias ids outside the
  // vocabulary, ...).
  sampler(const sampling_params& params, size_t vocab_size);

  // `logits` (vocab floats) is modified in place. `history` = prompt + generated ids (repetition
  // penalty); `generated` = generated ids only (presence / frequency penalties).
  int32_t sample(std::span<float> logits, std::span<const int32_t> history, std::span<const int32_t> generated,
                 token_logprob* logprob = nullptr);

 private:
  void apply_biases(std::span<float> logits, std::span<const int32_t> history, std::span<const int32_t> generated) const;
  int32_t draw(std::span<const float> logits);
  // Puts the best candidates first, in order, until they hold top_p of the probability mass;
  // returns how many are sorted.
  template <class Less>
  size_t sort_best_until(float top_p, Less by_prob);

  sampling_params params_;
  size_t vocab_;
  std::mt19937_64 rng_;
  std::vector<std::pair<double, int32_t>> candidates_;
};

}  // namespace hf::engine

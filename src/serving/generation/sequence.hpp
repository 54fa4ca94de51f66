// One generating sequence inside the scheduler: its KV cache, sampler, detokenizer and stop-string
// matcher, and the stream its events go to. Owned by the scheduler; touched by the loop thread
// between steps and by the compute worker during a step (never both at once).
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/kv_cache/kv_cache.hpp"
#include "engine/sampling/sampler.hpp"
#include "engine/sampling/stop_strings.hpp"
#include "engine/tokenizer/tokenizer.hpp"
#include "runtime/streams/memory_stream.hpp"
#include "serving/generation/types.hpp"
#include "serving/loaded_model.hpp"

namespace hf::serving {

class sequence {
 public:
  // queue_wait: how long the request waited in the scheduler's queue; its first event carries it.
  sequence(const loaded_model& m, generation_request req, rt::send_stream<generation_event> out,
           rt::duration queue_wait);

  // Tokens to feed in the next step (a prompt chunk of at most max_chunk, or the last sampled id)
  // and whether that step must produce logits.
  std::span<const int32_t> next_input(std::size_t max_chunk, bool& wants_logits) const;
  // Compute worker, after forward(): records that `fed` tokens went in; samples if logits came out.
  void after_forward(std::size_t fed, bool sampled_now);
  std::span<float> logits() { return logits_; }
  // Loop thread: turns the sampled token into events. Returns false once the sequence is over
  // (finished, or its receiver went away).
  bool deliver();
  // Loop thread: ends the sequence with a failure event (e.g. the scheduler is shutting down).
  void fail(std::exception_ptr error);

  std::size_t generated_count() const { return generated_.size(); }
  // Still feeding its prompt (the next step takes a chunk of it, not one sampled token).
  bool prefilling() const { return prefilled_ < req_.prompt.size(); }
  // The KV cache positions it may fill: prompt + max_tokens (what --max-total-tokens reserves).
  std::size_t reserved_tokens() const { return req_.prompt.size() + req_.params.max_tokens; }
  rt::time_point deadline() const { return req_.deadline; }
  engine::kv_cache& cache() { return *cache_; }

 private:
  bool send(generation_event ev);
  void finish(const std::string& reason);

  const loaded_model& model_;
  generation_request req_;
  rt::send_stream<generation_event> out_;
  std::unique_ptr<engine::kv_cache> cache_;
  engine::sampler sampler_;
  engine::incremental_decoder decoder_;
  engine::stop_string_matcher stops_;
  std::vector<int32_t> history_;    // prompt + generated (repetition penalty)
  std::vector<int32_t> generated_;
  std::vector<float> logits_;
  std::size_t prefilled_ = 0;
  bool has_sample_ = false;
  int32_t sampled_ = -1;
  engine::token_logprob logprob_;
  bool over_ = false;
  std::optional<rt::duration> queue_wait_;  // until the first event has been sent
};

}  // namespace hf::serving

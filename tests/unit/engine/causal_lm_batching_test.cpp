// Execution-API behaviour of causal LMs (continuous batching): KV-cache decoding equals full
// recomputation, a sequence gives the same logits alone or in a mixed batch, chunked prefill,
// cache rewind, cancellation, and clear errors for misuse. All bit for bit: the kernels compute
// each row alone (batch invariance; thread counts and batch sizes: causal_lm_invariance_test).
#include "engine/models/causal_lm.hpp"

#include <gtest/gtest.h>

#include <stop_token>
#include <thread>

#include "engine/errors.hpp"
#include "engine/models/registry.hpp"
#include "fixture_support.hpp"

namespace {

using namespace hf::engine;

class causal_lm_batching : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    HF_REQUIRE_FIXTURES();
    lm_ = load_causal_lm(fixtures::model_dir(GetParam()));
  }
  std::vector<int32_t> prompt(size_t n, int32_t salt) const {
    std::vector<int32_t> ids;
    for (size_t i = 0; i < n; ++i)
      ids.push_back(static_cast<int32_t>((i * 7919 + static_cast<size_t>(salt) * 104729 + 3) % lm_->vocab_size()));
    return ids;
  }
  std::vector<float> last_logits_alone(std::span<const int32_t> ids) const {
    auto cache = lm_->new_cache();
    std::vector<float> logits(lm_->vocab_size());
    step_input s{*cache, ids, logits};
    lm_->forward({&s, 1});
    return logits;
  }
  std::unique_ptr<causal_lm> lm_;
};

TEST_P(causal_lm_batching, kv_cache_decoding_equals_full_recomputation) {
  auto ids = prompt(9, 1);
  auto cache = lm_->new_cache();
  std::vector<float> logits(lm_->vocab_size());
  step_input first{*cache, ids, logits};
  lm_->forward({&first, 1});
  for (int step = 0; step < 6; ++step) {
    const int32_t next = fixtures::argmax_top(logits, 1)[0];
    ids.push_back(next);
    step_input s{*cache, std::span(&ids.back(), 1), logits};
    lm_->forward({&s, 1});
    EXPECT_TRUE(fixtures::same_bits(logits, last_logits_alone(ids))) << "step " << step;
  }
  EXPECT_EQ(cache->length(), ids.size());
}

TEST_P(causal_lm_batching, sequence_in_a_mixed_batch_matches_it_alone) {
  // Sequence A is decoding (1 new token), B is prefilling 13 tokens, C prefills 2.
  const auto a_ids = prompt(6, 2), b_ids = prompt(13, 3), c_ids = prompt(2, 4);
  auto a_cache = lm_->new_cache();
  std::vector<float> scratch(lm_->vocab_size());
  step_input warm{*a_cache, std::span(a_ids).first(5), scratch};
  lm_->forward({&warm, 1});

  auto b_cache = lm_->new_cache(), c_cache = lm_->new_cache();
  std::vector<float> la(lm_->vocab_size()), lb(lm_->vocab_size()), lc(lm_->vocab_size());
  std::vector<step_input> batch{{*a_cache, std::span(a_ids).subspan(5), la}, {*b_cache, b_ids, lb}, {*c_cache, c_ids, lc}};
  lm_->forward(batch);
  EXPECT_TRUE(fixtures::same_bits(la, last_logits_alone(a_ids)));
  EXPECT_TRUE(fixtures::same_bits(lb, last_logits_alone(b_ids)));
  EXPECT_TRUE(fixtures::same_bits(lc, last_logits_alone(c_ids)));
}

TEST_P(causal_lm_batching, chunked_prefill_and_rewind_match_one_shot) {
  const auto ids = prompt(20, 5);
  const auto want = last_logits_alone(ids);
  auto cache = lm_->new_cache();
  std::vector<float> logits(lm_->vocab_size());
  step_input c1{*cache, std::span(ids).first(8), {}};  // no logits for the first chunk
  lm_->forward({&c1, 1});
  step_input c2{*cache, std::span(ids).subspan(8), logits};
  lm_->forward({&c2, 1});
  EXPECT_TRUE(fixtures::same_bits(logits, want));
  // Rewind to a shared prefix and continue with the same suffix.
  cache->truncate(11);
  step_input again{*cache, std::span(ids).subspan(11), logits};
  lm_->forward({&again, 1});
  EXPECT_TRUE(fixtures::same_bits(logits, want));
}

TEST_P(causal_lm_batching, stop_token_cancels_and_leaves_the_cache_unchanged) {
  const auto ids = prompt(5, 6);
  auto cache = lm_->new_cache();
  std::stop_source stop;
  stop.request_stop();
  std::vector<float> logits(lm_->vocab_size());
  step_input s{*cache, ids, logits};
  EXPECT_THROW(lm_->forward({&s, 1}, stop.get_token()), cancelled_error);
  EXPECT_EQ(cache->length(), 0u);
  lm_->forward({&s, 1});  // still usable afterwards
  EXPECT_TRUE(fixtures::same_bits(logits, last_logits_alone(ids)));
}

TEST_P(causal_lm_batching, misuse_gives_input_errors_before_touching_caches) {
  auto cache = lm_->new_cache();
  std::vector<float> logits(lm_->vocab_size());
  const std::vector<int32_t> bad_id{1, static_cast<int32_t>(lm_->vocab_size())};
  step_input s1{*cache, bad_id, logits};
  EXPECT_THROW(lm_->forward({&s1, 1}), input_error);
  const std::vector<int32_t> empty;
  step_input s2{*cache, empty, logits};
  EXPECT_THROW(lm_->forward({&s2, 1}), input_error);
  const std::vector<int32_t> ok{1, 2};
  std::vector<float> wrong_size(3);
  step_input s3{*cache, ok, wrong_size};
  EXPECT_THROW(lm_->forward({&s3, 1}), input_error);
  std::vector<step_input> twice{{*cache, ok, logits}, {*cache, ok, {}}};
  EXPECT_THROW(lm_->forward(twice), input_error);
  const std::vector<int32_t> too_long(lm_->max_positions() + 1, 1);
  step_input s4{*cache, too_long, {}};
  EXPECT_THROW(lm_->forward({&s4, 1}), input_error);
  kv_cache foreign({1, 1, 8, 16});
  step_input s5{foreign, ok, {}};
  EXPECT_THROW(lm_->forward({&s5, 1}), input_error);
  EXPECT_EQ(cache->length(), 0u);
}

TEST_P(causal_lm_batching, one_model_serves_concurrent_callers) {
  // forward() is const and keeps no state in the model: threads with their own caches agree with
  // a sequential run. (Threads are the test's only; the engine itself never starts any.)
  const auto ids = prompt(12, 8);
  const auto want = last_logits_alone(ids);
  std::vector<std::vector<float>> got(4);
  std::vector<std::thread> callers;
  for (auto& g : got)
    callers.emplace_back([&] {
      for (int i = 0; i < 3; ++i) g = last_logits_alone(ids);
    });
  for (auto& c : callers) c.join();
  for (const auto& g : got) EXPECT_TRUE(fixtures::same_bits(g, want));
}

TEST_P(causal_lm_batching, describes_itself) {
  EXPECT_TRUE(lm_->supports(task::text_generation));
  EXPECT_FALSE(lm_->supports(task::embeddings));
  EXPECT_GT(lm_->parameter_bytes(), lm_->vocab_size() * lm_->hidden_size() * sizeof(float));
  EXPECT_FALSE(lm_->generation_defaults().eos_ids.empty());
}

INSTANTIATE_TEST_SUITE_P(tiny, causal_lm_batching, ::testing::Values("gpt2-tiny", "llama-tiny"),
                         [](const auto& p) { return p.param == "gpt2-tiny" ? std::string("gpt2") : std::string("llama"); });

}  // namespace

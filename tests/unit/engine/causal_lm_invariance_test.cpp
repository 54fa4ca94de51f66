// Batch invariance of the fixture causal LMs, bit for bit: the logits of a sequence are the same
// with 1, 2, 3 or 8 compute threads, and alone or inside batches of 4 and 16 whose other
// sequences have other prompts of other lengths, at prefill and at every decode step after.
// Also the encoder: an embedding alone or inside a batch.
#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "engine/kernels/compute_threads.hpp"
#include "engine/models/causal_lm.hpp"
#include "engine/models/encoder.hpp"
#include "engine/models/registry.hpp"
#include "fixture_support.hpp"

namespace {

using namespace hf::engine;

struct thread_count_guard {
  ~thread_count_guard() { set_compute_threads(0); }
};

std::vector<int32_t> prompt(size_t n, size_t salt, size_t vocab) {
  std::vector<int32_t> ids;
  for (size_t i = 0; i < n; ++i) ids.push_back(static_cast<int32_t>((i * 7919 + salt * 104729 + 3) % vocab));
  return ids;
}

// Logits of the last position after the prompt, then after each of `steps` greedy decode steps.
using trace = std::vector<std::vector<float>>;

class causal_lm_invariance : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    HF_REQUIRE_FIXTURES();
    lm_ = load_causal_lm(fixtures::model_dir(GetParam()));
  }

  // Runs `prompts` together (one forward call per step for all of them) and returns the trace of
  // sequence `watch`. Every sequence decodes its own greedy continuation.
  trace run_together(const std::vector<std::vector<int32_t>>& prompts, size_t watch, size_t steps) const {
    const size_t vocab = lm_->vocab_size();
    std::vector<std::unique_ptr<kv_cache>> caches;
    std::vector<std::vector<float>> logits(prompts.size(), std::vector<float>(vocab));
    std::vector<int32_t> next(prompts.size());
    std::vector<step_input> batch;
    for (size_t i = 0; i < prompts.size(); ++i) {
      caches.push_back(lm_->new_cache());
      batch.push_back({*caches[i], prompts[i], logits[i]});
    }
    trace out;
    for (size_t step = 0; step <= steps; ++step) {
      lm_->forward(batch);
      out.push_back(logits[watch]);
      batch.clear();
      for (size_t i = 0; i < prompts.size(); ++i) {
        next[i] = fixtures::argmax_top(logits[i], 1)[0];
        batch.push_back({*caches[i], std::span(&next[i], 1), logits[i]});
      }
    }
    return out;
  }

  static void expect_same(const trace& got, const trace& want) {
    ASSERT_EQ(got.size(), want.size());
    for (size_t s = 0; s < got.size(); ++s)
      EXPECT_TRUE(fixtures::same_bits(got[s], want[s])) << (s == 0 ? "prefill" : "decode step " + std::to_string(s));
  }

  std::unique_ptr<causal_lm> lm_;
};

TEST_P(causal_lm_invariance, thread_count_does_not_change_a_bit) {
  thread_count_guard restore;
  const auto ids = prompt(24, 9, lm_->vocab_size());
  set_compute_threads(1);
  const trace one = run_together({ids}, 0, 4);
  for (size_t threads : {2, 3, 8}) {
    SCOPED_TRACE(::testing::Message() << threads << " threads");
    set_compute_threads(threads);
    EXPECT_EQ(compute_threads(), threads);
    expect_same(run_together({ids}, 0, 4), one);
  }
}

TEST_P(causal_lm_invariance, a_sequence_alone_or_in_batches_of_4_and_16) {
  const size_t vocab = lm_->vocab_size();
  const auto ids = prompt(11, 1, vocab);
  const trace alone = run_together({ids}, 0, 5);
  for (size_t size : {4, 16}) {
    SCOPED_TRACE(::testing::Message() << "batch of " << size);
    std::vector<std::vector<int32_t>> prompts;
    for (size_t i = 0; i < size; ++i) prompts.push_back(prompt(3 + (i * 5) % 29, 20 + i, vocab));
    const size_t watch = size / 2;
    prompts[watch] = ids;
    expect_same(run_together(prompts, watch, 5), alone);
  }
}

TEST_P(causal_lm_invariance, thread_count_and_batch_together) {
  // The worst case for a split-dependent kernel: many rows, an odd thread count.
  thread_count_guard restore;
  const size_t vocab = lm_->vocab_size();
  const auto ids = prompt(40, 2, vocab);
  set_compute_threads(1);
  const trace alone = run_together({ids}, 0, 3);
  set_compute_threads(3);
  std::vector<std::vector<int32_t>> prompts;
  for (size_t i = 0; i < 16; ++i) prompts.push_back(prompt(30 + i, 40 + i, vocab));
  prompts[0] = ids;
  expect_same(run_together(prompts, 0, 3), alone);
}

INSTANTIATE_TEST_SUITE_P(tiny, causal_lm_invariance, ::testing::Values("gpt2-tiny", "llama-tiny"),
                         [](const auto& p) { return p.param == "gpt2-tiny" ? std::string("gpt2") : std::string("llama"); });

TEST(encoder_invariance, an_embedding_alone_or_in_a_batch_with_any_thread_count) {
  HF_REQUIRE_FIXTURES();
  thread_count_guard restore;
  const auto model = load_encoder(fixtures::model_dir("bert-tiny"));
  const size_t vocab = model->vocab_size();
  auto input_of = [](const std::vector<int32_t>& ids) { return encoder_input{ids, {}}; };
  std::vector<std::vector<int32_t>> texts;
  for (size_t i = 0; i < 9; ++i) texts.push_back(prompt(4 + i * 3, 60 + i, vocab));
  set_compute_threads(1);
  const encoder_input watched = input_of(texts[4]);
  const auto alone = model->embed({&watched, 1}, {});
  for (size_t threads : {1, 2, 3, 8}) {
    SCOPED_TRACE(::testing::Message() << threads << " threads");
    set_compute_threads(threads);
    std::vector<encoder_input> batch;
    for (const auto& t : texts) batch.push_back(input_of(t));
    const auto together = model->embed(batch, {});
    EXPECT_TRUE(fixtures::same_bits(together[4].embedding, alone[0].embedding));
  }
}

}  // namespace

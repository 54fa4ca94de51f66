// GPT-2 and Llama tiny models against the transformers reference outputs in ../shared/fixtures:
// logits, hidden states, top-5, greedy decoding, and the left-padded batch fed unpadded.
#include "engine/models/causal_lm.hpp"

#include <gtest/gtest.h>

#include "engine/models/registry.hpp"
#include "fixture_support.hpp"

namespace {

using namespace hf::engine;

class causal_lm_fixtures : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    HF_REQUIRE_FIXTURES();
    lm_ = load_causal_lm(fixtures::model_dir(GetParam()));
  }
  const nlohmann::json& file() const { return fixtures::expected(GetParam()); }
  double atol() const { return file()["atol_suggested"]["logits"].get<double>(); }
  double rtol() const { return file()["rtol_suggested"]["logits"].get<double>(); }

  std::unique_ptr<causal_lm> lm_;
};

TEST_P(causal_lm_fixtures, last_logits_and_top5_of_single_prompts) {
  for (const char* name : {"len1", "len7", "len33", "len100", "text"}) {
    SCOPED_TRACE(name);
    const auto& c = fixtures::find_case(file(), name);
    const auto ids = fixtures::row_tokens(c, 0);
    auto cache = lm_->new_cache();
    std::vector<float> logits(lm_->vocab_size());
    step_input s{*cache, ids, logits};
    lm_->forward({&s, 1});
    EXPECT_EQ(cache->length(), ids.size());
    EXPECT_TRUE(fixtures::all_close(logits, fixtures::floats(c["last_logits"][0]), atol(), rtol()));
    const auto top5 = fixtures::argmax_top(logits, 5);
    EXPECT_EQ(top5, fixtures::ints(c["last_top5_ids"][0]));
    std::vector<float> top5_logits;
    for (int32_t id : top5) top5_logits.push_back(logits[static_cast<size_t>(id)]);
    EXPECT_TRUE(fixtures::all_close(top5_logits, fixtures::floats(c["last_top5_logits"][0]), atol(), rtol()));
  }
}

TEST_P(causal_lm_fixtures, all_logits_and_hidden_states_of_len7) {
  const auto& c = fixtures::find_case(file(), "len7");
  const auto ids = fixtures::row_tokens(c, 0);
  const size_t v = lm_->vocab_size();
  auto cache = lm_->new_cache();
  std::vector<float> logits(ids.size() * v);
  std::vector<tensor> hidden;
  step_input s{*cache, ids, logits, &hidden};
  lm_->forward({&s, 1});
  for (size_t t = 0; t < ids.size(); ++t) {
    SCOPED_TRACE(t);
    EXPECT_TRUE(fixtures::all_close(std::span(logits).subspan(t * v, v), fixtures::floats(c["all_logits"][0][t]),
                                    atol(), rtol()));
  }
  const auto& hs = c["hidden_states"];
  ASSERT_EQ(hidden.size(), hs.size());
  const double hatol = file()["atol_suggested"]["hidden_states"].get<double>();
  const double hrtol = file()["rtol_suggested"]["hidden_states"].get<double>();
  for (size_t l = 0; l < hidden.size(); ++l) {
    SCOPED_TRACE(l);
    std::vector<float> want;
    for (const auto& row : hs[l]) {
      auto r = fixtures::floats(row);
      want.insert(want.end(), r.begin(), r.end());
    }
    EXPECT_TRUE(fixtures::all_close(hidden[l].span(), want, hatol, hrtol));
  }
}

TEST_P(causal_lm_fixtures, left_padded_batch_rows_fed_unpadded_in_one_call) {
  const auto& c = fixtures::find_case(file(), "batch3");
  const size_t rows = c["input_ids"].size();
  std::vector<std::vector<int32_t>> ids;
  std::vector<std::unique_ptr<kv_cache>> caches;
  std::vector<std::vector<float>> logits;
  std::vector<step_input> batch;
  for (size_t r = 0; r < rows; ++r) {
    ids.push_back(fixtures::row_tokens(c, r));
    caches.push_back(lm_->new_cache());
    logits.emplace_back(lm_->vocab_size());
  }
  for (size_t r = 0; r < rows; ++r) batch.push_back({*caches[r], ids[r], logits[r]});
  lm_->forward(batch);
  for (size_t r = 0; r < rows; ++r) {
    SCOPED_TRACE(r);
    EXPECT_TRUE(fixtures::all_close(logits[r], fixtures::floats(c["last_logits"][r]), atol(), rtol()));
    EXPECT_EQ(fixtures::argmax_top(logits[r], 5), fixtures::ints(c["last_top5_ids"][r]));
  }
}

// Greedy decoding with the KV cache, all rows of a case advancing together (continuous batching).
std::vector<std::vector<int32_t>> greedy(const causal_lm& lm, const std::vector<std::vector<int32_t>>& prompts,
                                         size_t steps) {
  const size_t v = lm.vocab_size();
  std::vector<std::unique_ptr<kv_cache>> caches;
  std::vector<std::vector<float>> logits(prompts.size(), std::vector<float>(v));
  std::vector<std::vector<int32_t>> out(prompts.size());
  std::vector<int32_t> next(prompts.size());
  std::vector<step_input> batch;
  for (size_t r = 0; r < prompts.size(); ++r) caches.push_back(lm.new_cache());
  for (size_t r = 0; r < prompts.size(); ++r) batch.push_back({*caches[r], prompts[r], logits[r]});
  for (size_t step = 0; step < steps; ++step) {
    lm.forward(batch);
    batch.clear();
    for (size_t r = 0; r < prompts.size(); ++r) {
      next[r] = fixtures::argmax_top(logits[r], 1)[0];
      out[r].push_back(next[r]);
      batch.push_back({*caches[r], std::span(&next[r], 1), logits[r]});
    }
  }
  return out;
}

TEST_P(causal_lm_fixtures, greedy_20_matches_exactly) {
  for (const char* name : {"len1", "len7", "len33", "len100", "text", "batch3"}) {
    SCOPED_TRACE(name);
    const auto& c = fixtures::find_case(file(), name);
    std::vector<std::vector<int32_t>> prompts;
    for (size_t r = 0; r < c["input_ids"].size(); ++r)
      prompts.push_back(fixtures::row_tokens(c, r));
    const auto got = greedy(*lm_, prompts, 20);
    for (size_t r = 0; r < prompts.size(); ++r) EXPECT_EQ(got[r], fixtures::ints(c["greedy_20"][r])) << "row " << r;
  }
}

INSTANTIATE_TEST_SUITE_P(tiny, causal_lm_fixtures, ::testing::Values("gpt2-tiny", "llama-tiny"),
                         [](const auto& p) { return p.param == "gpt2-tiny" ? std::string("gpt2") : std::string("llama"); });

}  // namespace

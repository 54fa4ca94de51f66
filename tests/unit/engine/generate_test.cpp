// generate(): greedy output equals the reference greedy_20, streamed text equals decode(ids),
// stop ids / stop strings / max_tokens finish reasons, seeded sampling, logprobs, cancellation.
#include "engine/sampling/generate.hpp"

#include <gtest/gtest.h>

#include "engine/errors.hpp"
#include "engine/models/registry.hpp"
#include "engine/tokenizer/tokenizer.hpp"
#include "fixture_support.hpp"

namespace {

using namespace hf::engine;

class generate_fixtures : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    HF_REQUIRE_FIXTURES();
    lm_ = load_causal_lm(fixtures::model_dir(GetParam()));
    tok_ = std::make_unique<tokenizer>(tokenizer::from_folder(fixtures::model_dir(GetParam())));
    const auto& c = fixtures::find_case(fixtures::expected(GetParam()), "text");
    prompt_ = fixtures::ints(c["input_ids"][0]);
    greedy_ = fixtures::ints(c["greedy_20"][0]);
    last_logits_ = fixtures::floats(c["last_logits"][0]);
  }
  static sampling_params greedy_params(size_t n) {
    sampling_params p;
    p.temperature = 0;
    p.max_tokens = n;
    p.ignore_eos = true;
    return p;
  }
  std::unique_ptr<causal_lm> lm_;
  std::unique_ptr<tokenizer> tok_;
  std::vector<int32_t> prompt_, greedy_;
  std::vector<float> last_logits_;
};

TEST_P(generate_fixtures, greedy_matches_reference_and_streams_the_decoded_text) {
  std::string streamed;
  size_t calls = 0;
  auto r = generate(*lm_, prompt_, greedy_params(20), tok_.get(), [&](int32_t, std::string_view t) {
    streamed += t;
    ++calls;
  });
  EXPECT_EQ(r.ids, greedy_);
  EXPECT_EQ(finish_reason_name(r.reason), "length");
  EXPECT_EQ(r.text, tok_->decode(r.ids));
  EXPECT_EQ(streamed, r.text);
  EXPECT_GE(calls, 20u);
  EXPECT_TRUE(fixtures::all_close(r.last_prompt_logits, last_logits_, 1e-4, 1e-4));
}

TEST_P(generate_fixtures, stop_token_ids_and_stop_strings_finish_with_stop) {
  const int32_t stop_id = greedy_[6];
  const size_t first = static_cast<size_t>(std::find(greedy_.begin(), greedy_.end(), stop_id) - greedy_.begin());
  auto p = greedy_params(20);
  p.stop_token_ids = {stop_id};
  auto r = generate(*lm_, prompt_, p, tok_.get());
  EXPECT_EQ(r.ids, std::vector<int32_t>(greedy_.begin(), greedy_.begin() + static_cast<std::ptrdiff_t>(first)));
  EXPECT_EQ(r.reason, finish_reason::stop);

  const std::string full = tok_->decode(greedy_);
  const std::string stop = full.substr(full.size() / 2, 3);
  p = greedy_params(20);
  p.stop = {stop};
  std::string streamed;
  r = generate(*lm_, prompt_, p, tok_.get(), [&](int32_t, std::string_view t) { streamed += t; });
  EXPECT_EQ(r.reason, finish_reason::stop);
  EXPECT_EQ(r.matched_stop, stop);
  EXPECT_EQ(r.text, full.substr(0, full.find(stop)));
  EXPECT_EQ(streamed, r.text);
}

TEST_P(generate_fixtures, seeded_sampling_is_reproducible_and_logprobs_are_reported) {
  sampling_params p;
  p.temperature = 1.0f;
  p.top_k = 50;
  p.seed = 1234;
  p.max_tokens = 12;
  p.ignore_eos = true;
  p.logprobs = 3;
  const auto a = generate(*lm_, prompt_, p, tok_.get());
  const auto b = generate(*lm_, prompt_, p, tok_.get());
  EXPECT_EQ(a.ids, b.ids);
  ASSERT_EQ(a.logprobs.size(), a.ids.size());
  for (size_t i = 0; i < a.ids.size(); ++i) {
    EXPECT_EQ(a.logprobs[i].id, a.ids[i]);
    EXPECT_LE(a.logprobs[i].logprob, 0.0f);
    ASSERT_EQ(a.logprobs[i].top.size(), 3u);
    EXPECT_GE(a.logprobs[i].top[0].second, a.logprobs[i].logprob);
  }
  p.seed = 4321;
  EXPECT_NE(generate(*lm_, prompt_, p, tok_.get()).ids, a.ids);
}

TEST_P(generate_fixtures, cancellation_and_bad_requests) {
  std::stop_source stop;
  size_t seen = 0;
  auto cb = [&](int32_t, std::string_view) {
    if (++seen == 3) stop.request_stop();
  };
  EXPECT_THROW(generate(*lm_, prompt_, greedy_params(20), tok_.get(), cb, stop.get_token()), cancelled_error);
  EXPECT_EQ(seen, 3u);
  EXPECT_THROW(generate(*lm_, {}, greedy_params(5)), input_error);
  auto p = greedy_params(5);
  p.stop = {"x"};
  EXPECT_THROW(generate(*lm_, prompt_, p, nullptr), input_error);
  const auto r = generate(*lm_, prompt_, greedy_params(0), tok_.get());
  EXPECT_TRUE(r.ids.empty());
  EXPECT_EQ(r.reason, finish_reason::length);
}

INSTANTIATE_TEST_SUITE_P(tiny, generate_fixtures, ::testing::Values("gpt2-tiny", "llama-tiny"),
                         [](const auto& p) { return p.param == "gpt2-tiny" ? std::string("gpt2") : std::string("llama"); });

}  // namespace

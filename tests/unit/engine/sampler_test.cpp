// Sampling: greedy, seeded reproducibility, top-k / top-p / min-p supports, penalties, logit_bias,
// log-probabilities and parameter validation; and the stop-string matcher on streamed text.
#include "engine/sampling/sampler.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "engine/errors.hpp"
#include "engine/sampling/stop_strings.hpp"

namespace {

using namespace hf::engine;

std::vector<float> ramp_logits(size_t n) {  // logit i = i / 4: token n-1 most likely
  std::vector<float> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<float>(i) / 4.0f;
  return v;
}

std::vector<int32_t> draws(sampling_params p, size_t count, size_t vocab = 32) {
  sampler s(p, vocab);
  std::vector<int32_t> out;
  for (size_t i = 0; i < count; ++i) {
    auto l = ramp_logits(vocab);
    out.push_back(s.sample(l, {}, {}));
  }
  return out;
}

TEST(sampler, greedy_picks_the_argmax_and_the_lowest_id_on_ties) {
  sampling_params p;
  p.temperature = 0;
  sampler s(p, 4);
  std::vector<float> l{1, 3, 3, 0};
  EXPECT_EQ(s.sample(l, {}, {}), 1);
}

TEST(sampler, same_seed_same_tokens_different_seed_different_tokens) {
  sampling_params p;
  p.seed = 7;
  const auto a = draws(p, 200), b = draws(p, 200);
  EXPECT_EQ(a, b);
  p.seed = 8;
  EXPECT_NE(draws(p, 200), a);
  EXPECT_GT(std::set<int32_t>(a.begin(), a.end()).size(), 5u);  // really sampling
}

TEST(sampler, top_k_top_p_and_min_p_restrict_the_support) {
  sampling_params p;
  p.seed = 1;
  p.top_k = 3;
  for (int32_t id : draws(p, 300)) EXPECT_GE(id, 29);
  p.top_k = 0;
  p.top_p = 0.3f;  // with logits i/4 the top 2 tokens hold ~0.47 of the mass, the top 1 ~0.25
  auto got = draws(p, 300);
  EXPECT_EQ(std::set<int32_t>(got.begin(), got.end()), (std::set<int32_t>{30, 31}));
  p.top_p = 1.0f;
  p.min_p = 0.5f;  // keeps p >= 0.5 p_max: exp(-k/4) >= 0.5 -> k <= 2
  got = draws(p, 300);
  EXPECT_EQ(std::set<int32_t>(got.begin(), got.end()), (std::set<int32_t>{29, 30, 31}));
}

// top-p sorts only as many of the best candidates as it needs (a growing prefix); on a flat
// distribution over a large vocabulary that prefix must grow past its first sizes, and the
// support must still be exactly the top_p share (ties broken by the lower id).
TEST(sampler, top_p_on_a_flat_large_vocabulary_keeps_exactly_its_share) {
  const size_t vocab = 5000;
  sampling_params p;
  p.seed = 3;
  p.top_p = 0.5f;
  sampler s(p, vocab);
  std::set<int32_t> seen;
  for (int i = 0; i < 4000; ++i) {
    std::vector<float> flat(vocab, 0.0f);
    seen.insert(s.sample(flat, {}, {}));
  }
  EXPECT_LE(*seen.rbegin(), 2500);  // 2500 of 5000 equal tokens, maybe one more by rounding
  EXPECT_GT(*seen.rbegin(), 2400);  // and really that many: not the first prefix only
  EXPECT_GT(seen.size(), 1500u);
  // A peaked distribution stops at the first prefix: one token holds 0.815 of the mass.
  p.top_p = 0.8f;
  sampler peaked(p, vocab);
  for (int i = 0; i < 50; ++i) {
    std::vector<float> l(vocab, 0.0f);
    l[4321] = 10.0f;
    EXPECT_EQ(peaked.sample(l, {}, {}), 4321);
  }
}

TEST(sampler, penalties_and_logit_bias_change_the_logits) {
  sampling_params p;
  p.temperature = 0;
  p.repetition_penalty = 2.0f;
  p.presence_penalty = 0.5f;
  p.frequency_penalty = 0.25f;
  p.logit_bias = {{0, 10.0f}};
  sampler s(p, 4);
  std::vector<float> l{1.0f, 4.0f, -2.0f, 3.0f};
  const std::vector<int32_t> history{1, 2, 3, 3}, generated{3, 3};
  EXPECT_EQ(s.sample(l, history, generated), 0);
  EXPECT_FLOAT_EQ(l[0], 11.0f);                      // bias
  EXPECT_FLOAT_EQ(l[1], 2.0f);                       // 4 / 2
  EXPECT_FLOAT_EQ(l[2], -4.0f);                      // -2 * 2
  EXPECT_FLOAT_EQ(l[3], 3.0f / 2 - 0.5f - 0.5f);     // /2, presence, 2 x frequency
}

TEST(sampler, logprobs_are_log_softmax_with_top_alternatives) {
  sampling_params p;
  p.temperature = 0;
  p.logprobs = 2;
  sampler s(p, 3);
  std::vector<float> l{0.0f, std::log(3.0f), 0.0f};
  token_logprob lp;
  EXPECT_EQ(s.sample(l, {}, {}, &lp), 1);
  EXPECT_NEAR(lp.logprob, std::log(0.6), 1e-6);
  ASSERT_EQ(lp.top.size(), 2u);
  EXPECT_EQ(lp.top[0].first, 1);
  EXPECT_EQ(lp.top[1].first, 0);
  EXPECT_NEAR(lp.top[1].second, std::log(0.2), 1e-6);
}

TEST(sampler, invalid_parameters_are_input_errors) {
  auto make = [](auto set) {
    sampling_params p;
    set(p);
    sampler s(p, 10);
  };
  EXPECT_THROW(make([](sampling_params& p) { p.temperature = -1; }), input_error);
  EXPECT_THROW(make([](sampling_params& p) { p.top_p = 0; }), input_error);
  EXPECT_THROW(make([](sampling_params& p) { p.repetition_penalty = 0; }), input_error);
  EXPECT_THROW(make([](sampling_params& p) { p.logit_bias = {{10, 1.0f}}; }), input_error);
  EXPECT_NO_THROW(make([](sampling_params& p) { p.logit_bias = {{9, -100.0f}}; }));
}

TEST(stop_strings, holds_back_possible_prefixes_and_cuts_at_the_match) {
  stop_string_matcher m({"STOP", "\n\n"});
  std::string out;
  out += m.push("Hello S");
  EXPECT_EQ(out, "Hello ");  // "S" could start "STOP"
  out += m.push("T");
  EXPECT_EQ(out, "Hello ");
  out += m.push("ay");  // "STay" is no stop string: released
  EXPECT_EQ(out, "Hello STay");
  out += m.push(" then\n");
  out += m.push("\nmore");
  EXPECT_TRUE(m.stopped());
  EXPECT_EQ(m.matched(), "\n\n");
  EXPECT_EQ(out, "Hello STay then");
  EXPECT_EQ(m.push("ignored"), "");
  EXPECT_EQ(m.flush(), "");
}

TEST(stop_strings, earliest_match_wins_and_flush_releases_the_tail) {
  stop_string_matcher m({"cd", "bcde"});
  EXPECT_EQ(m.push("abcdef"), "a");
  EXPECT_EQ(m.matched(), "bcde");
  stop_string_matcher n({"xyz"});
  EXPECT_EQ(n.push("abx"), "ab");
  EXPECT_EQ(n.flush(), "x");
  EXPECT_FALSE(n.stopped());
}

}  // namespace

// check_sampling_params: one rule set for the API, the scheduler and the sampler; the table
// decides the ranges, the vocabulary bounds logit_bias ids when it is known.
#include "engine/sampling/sampling_check.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace hf::engine {
namespace {

TEST(sampling_check, engine_defaults_accept_the_default_params) {
  EXPECT_FALSE(check_sampling_params(sampling_params{}, sampling_ranges{}, 10));
}

TEST(sampling_check, names_the_first_parameter_outside_its_range) {
  sampling_params p;
  p.temperature = -1;
  p.top_p = 0;
  auto bad = check_sampling_params(p, sampling_ranges{}, std::nullopt);
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->param, "temperature");
  EXPECT_EQ(bad->message, "must be >= 0");
  p.temperature = 1;
  bad = check_sampling_params(p, sampling_ranges{}, std::nullopt);
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->param, "top_p");
  EXPECT_EQ(bad->message, "must be > 0 and <= 1");
  p.top_p = 1;
  p.presence_penalty = NAN;
  bad = check_sampling_params(p, sampling_ranges{}, std::nullopt);
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->param, "presence_penalty");
  EXPECT_EQ(bad->message, "must be a finite number");
}

TEST(sampling_check, a_narrower_table_narrows_and_says_so) {
  sampling_ranges narrow;
  narrow.temperature = {0, 2};
  narrow.repetition_penalty = {0.01, 10};
  sampling_params p;
  p.temperature = 2.5f;
  auto bad = check_sampling_params(p, narrow, std::nullopt);
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->message, "must be between 0 and 2");
  EXPECT_FALSE(check_sampling_params(p, sampling_ranges{}, std::nullopt));
  p.temperature = 1;
  p.repetition_penalty = 0.001f;
  bad = check_sampling_params(p, narrow, std::nullopt);
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->message, "must be between 0.01 and 10");
}

TEST(sampling_check, logit_bias_ids_need_the_vocabulary_to_be_bounded) {
  sampling_params p;
  p.logit_bias = {{12, 1.0f}};
  EXPECT_FALSE(check_sampling_params(p, sampling_ranges{}, std::nullopt));
  auto bad = check_sampling_params(p, sampling_ranges{}, 10);
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->param, "logit_bias");
  EXPECT_EQ(bad->message, "has token id 12 outside the vocabulary [0, 10)");
  p.logit_bias = {{-1, 1.0f}};
  EXPECT_TRUE(check_sampling_params(p, sampling_ranges{}, std::nullopt));
  p.logit_bias = {{3, NAN}};
  bad = check_sampling_params(p, sampling_ranges{}, 10);
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->message, "values must be a finite number");
}

}  // namespace
}  // namespace hf::engine

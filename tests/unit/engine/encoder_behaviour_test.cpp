// Encoder API behaviour beyond the reference values: truncation at max positions with a flag,
// a sequence gives the same embedding alone or in a batch, and clear errors for bad inputs.
#include "engine/models/encoder.hpp"

#include <gtest/gtest.h>

#include <stop_token>

#include "engine/errors.hpp"
#include "engine/models/registry.hpp"
#include "fixture_support.hpp"

namespace {

using namespace hf::engine;

class encoder_behaviour : public ::testing::Test {
 protected:
  void SetUp() override {
    HF_REQUIRE_FIXTURES();
    enc_ = load_encoder(fixtures::model_dir("bert-tiny-cls"));
  }
  std::unique_ptr<encoder_model> enc_;
};

TEST_F(encoder_behaviour, long_inputs_are_truncated_and_flagged) {
  std::vector<int32_t> ids(enc_->max_positions() + 10, 1000);
  ids.front() = 101;
  encoder_input in{ids};
  const auto e = enc_->embed({&in, 1}, {});
  EXPECT_TRUE(e[0].truncated);
  EXPECT_EQ(e[0].tokens, enc_->max_positions());
  const auto c = enc_->classify({&in, 1});
  EXPECT_TRUE(c[0].truncated);
}

TEST_F(encoder_behaviour, batch_rows_equal_single_runs) {
  const std::vector<int32_t> a{101, 2023, 2003, 102}, b{101, 7592, 1010, 2088, 999, 102};
  const std::vector<encoder_input> batch{{a}, {b}};
  const auto both = enc_->embed(batch, {.mode = pooling::mean});
  const auto alone = enc_->embed({&batch[1], 1}, {.mode = pooling::mean});
  EXPECT_TRUE(fixtures::all_close(both[1].embedding, alone[0].embedding, 1e-6, 1e-6));
  EXPECT_EQ(both[0].tokens, 4u);
}

TEST_F(encoder_behaviour, bad_inputs_and_cancellation) {
  const std::vector<int32_t> empty, bad{101, 40000}, ok{101, 102}, bad_types{0, 5}, short_types{0};
  EXPECT_THROW(enc_->embed(std::vector<encoder_input>{{empty}}, {}), input_error);
  EXPECT_THROW(enc_->embed(std::vector<encoder_input>{{bad}}, {}), input_error);
  EXPECT_THROW(enc_->embed(std::vector<encoder_input>{{ok, bad_types}}, {}), input_error);
  EXPECT_THROW(enc_->embed(std::vector<encoder_input>{{ok, short_types}}, {}), input_error);
  std::stop_source stop;
  stop.request_stop();
  EXPECT_THROW(enc_->classify(std::vector<encoder_input>{{ok}}, stop.get_token()), cancelled_error);
  auto plain = load_encoder(fixtures::model_dir("bert-tiny"));
  EXPECT_THROW(plain->classify(std::vector<encoder_input>{{ok}}), model_error);
  EXPECT_THROW(load_causal_lm(fixtures::model_dir("bert-tiny")), model_error);
  EXPECT_THROW(load_encoder(fixtures::model_dir("gpt2-tiny")), model_error);
}

}  // namespace

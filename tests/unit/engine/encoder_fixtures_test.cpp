// bert-tiny / bert-tiny-cls against the transformers reference outputs: last hidden state,
// CLS / pooler / mean / normalised-mean embeddings and classification, every case fed unpadded
// and all rows of a case in one batch.
#include "engine/models/encoder.hpp"

#include <gtest/gtest.h>

#include "engine/models/registry.hpp"
#include "fixture_support.hpp"

namespace {

using namespace hf::engine;

struct unpadded_case {
  std::vector<std::vector<int32_t>> ids, types;
  std::vector<encoder_input> inputs;
};

unpadded_case unpad(const nlohmann::json& c) {
  unpadded_case u;
  for (size_t r = 0; r < c["input_ids"].size(); ++r) {
    const auto ids = fixtures::ints(c["input_ids"][r]);
    const auto mask = fixtures::ints(c["attention_mask"][r]);
    const auto types = fixtures::ints(c["token_type_ids"][r]);
    u.ids.emplace_back();
    u.types.emplace_back();
    for (size_t i = 0; i < ids.size(); ++i)
      if (mask[i]) {
        u.ids.back().push_back(ids[i]);
        u.types.back().push_back(types[i]);
      }
  }
  for (size_t r = 0; r < u.ids.size(); ++r) u.inputs.push_back({u.ids[r], u.types[r]});
  return u;
}

const char* k_cases[] = {"len1", "len7", "len33", "len128", "text", "pair", "batch3"};

class encoder_fixtures : public ::testing::Test {
 protected:
  void SetUp() override { HF_REQUIRE_FIXTURES(); }
  static const nlohmann::json& file() { return fixtures::expected("bert-tiny"); }
  static double atol(const char* field) { return file()["atol_suggested"][field].get<double>(); }
  static double rtol() { return file()["rtol_suggested"].get<double>(); }
};

TEST_F(encoder_fixtures, bert_tiny_hidden_states_and_poolings) {
  auto enc = load_encoder(fixtures::model_dir("bert-tiny"));
  EXPECT_TRUE(enc->supports(task::embeddings));
  EXPECT_FALSE(enc->supports(task::classification));
  struct pooled_field {
    const char* name;
    pooling mode;
    bool normalize;
  };
  const pooled_field fields[] = {{"cls_hidden", pooling::cls, false},
                                 {"pooler_output", pooling::pooler, false},
                                 {"mean_pooled", pooling::mean, false},
                                 {"mean_pooled_l2norm", pooling::mean, true}};
  for (const char* name : k_cases) {
    SCOPED_TRACE(name);
    const auto& c = fixtures::find_case(file(), name);
    auto u = unpad(c);
    for (const auto& f : fields) {
      SCOPED_TRACE(f.name);
      auto out = enc->embed(u.inputs, {.mode = f.mode, .normalize = f.normalize, .hidden_states = true});
      ASSERT_EQ(out.size(), u.inputs.size());
      for (size_t r = 0; r < out.size(); ++r) {
        EXPECT_FALSE(out[r].truncated);
        EXPECT_TRUE(fixtures::all_close(out[r].embedding, fixtures::floats(c[f.name][r]), atol(f.name), rtol()));
        for (size_t t = 0; t < u.ids[r].size(); ++t)
          EXPECT_TRUE(fixtures::all_close(std::span(out[r].last_hidden_state.row(t), enc->hidden_size()),
                                          fixtures::floats(c["last_hidden_state"][r][t]), atol("last_hidden_state"),
                                          rtol()));
      }
    }
  }
}

TEST_F(encoder_fixtures, bert_tiny_cls_logits_probs_and_labels) {
  auto enc = load_encoder(fixtures::model_dir("bert-tiny-cls"));
  EXPECT_TRUE(enc->supports(task::classification));
  ASSERT_EQ(enc->labels(), (std::vector<std::string>{"negative", "positive", "neutral"}));
  for (const char* name : k_cases) {
    SCOPED_TRACE(name);
    const auto& c = fixtures::find_case(file(), name);
    const auto& want = c["cls_model"];
    auto u = unpad(c);
    auto out = enc->classify(u.inputs);
    ASSERT_EQ(out.size(), u.inputs.size());
    for (size_t r = 0; r < out.size(); ++r) {
      EXPECT_TRUE(fixtures::all_close(out[r].logits, fixtures::floats(want["logits"][r]), atol("cls_logits"), rtol()));
      EXPECT_TRUE(fixtures::all_close(out[r].probs, fixtures::floats(want["probabilities"][r]),
                                      atol("cls_probabilities"), rtol()));
      EXPECT_EQ(out[r].label_id, want["predicted_label_id"][r].get<size_t>());
      EXPECT_EQ(enc->labels()[out[r].label_id], want["predicted_label"][r].get<std::string>());
    }
  }
}

}  // namespace

// make_model round trips: every architecture written with random weights loads through the
// registry, runs, and gives non-degenerate, deterministic outputs; its tokenizer matches the vocab.
// Also the loader's errors for configs that disagree with the weights or unknown architectures.
#include "synth/make_model.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "engine/errors.hpp"
#include "engine/models/registry.hpp"
#include "engine/tokenizer/tokenizer.hpp"
#include "support/temp_dir.hpp"

namespace {

using namespace hf::engine;
namespace fs = std::filesystem;

using hf::test_support::temp_dir;

double stddev(std::span<const float> v) {
  double mean = 0, sq = 0;
  for (float x : v) mean += x;
  mean /= static_cast<double>(v.size());
  for (float x : v) sq += (x - mean) * (x - mean);
  return std::sqrt(sq / static_cast<double>(v.size()));
}

void expect_healthy(std::span<const float> v) {
  for (float x : v) ASSERT_TRUE(std::isfinite(x));
  EXPECT_GT(stddev(v), 0.3);
}

std::vector<float> causal_logits(const fs::path& dir, size_t n_tokens) {
  auto lm = load_causal_lm(dir);
  auto tok = tokenizer::from_folder(dir);
  EXPECT_EQ(tok.vocab_size(), lm->vocab_size());
  auto ids = tok.encode("hello world, the quick brown fox");
  ids.resize(std::min(ids.size(), n_tokens));
  auto cache = lm->new_cache();
  std::vector<float> logits(lm->vocab_size());
  step_input s{*cache, ids, logits};
  lm->forward({&s, 1});
  return logits;
}

class make_model_archs : public ::testing::TestWithParam<std::string> {};

TEST_P(make_model_archs, tiny_model_round_trips_and_runs) {
  temp_dir d;
  const std::string arch = GetParam();
  const size_t params = make_model(d.path(), {.arch = arch, .preset = "tiny", .seed = 3});
  EXPECT_GT(params, 10000u);
  for (const char* f : {"config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json"})
    EXPECT_TRUE(fs::exists(d.path() / f)) << f;
  if (arch == "bert") {
    auto enc = load_encoder(d.path());
    auto tok = tokenizer::from_folder(d.path());
    EXPECT_EQ(tok.vocab_size(), enc->vocab_size());
    const auto ids = tok.encode("hello world");
    encoder_input in{ids};
    auto e = enc->embed({&in, 1}, {.mode = pooling::cls});
    expect_healthy(e[0].embedding);
    return;
  }
  EXPECT_TRUE(fs::exists(d.path() / "generation_config.json"));
  const auto a = causal_logits(d.path(), 8);
  expect_healthy(a);
  temp_dir again;  // same seed -> identical weights
  make_model(again.path(), {.arch = arch, .preset = "tiny", .seed = 3});
  EXPECT_EQ(causal_logits(again.path(), 8), a);
}

INSTANTIATE_TEST_SUITE_P(all, make_model_archs, ::testing::Values("gpt2", "llama", "qwen2", "bert"));

TEST(make_model, overrides_and_reduced_precision_weights) {
  temp_dir d;
  make_model(d.path(), {.arch = "llama",
                        .preset = "tiny",
                        .overrides = R"({"num_hidden_layers": 3, "tie_word_embeddings": true,
    "rope_scaling": {"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
    "original_max_position_embeddings": 128}})",
                        .weight_dtype = dtype::bf16});
  std::ifstream in(d.path() / "config.json");
  const auto cfg = nlohmann::json::parse(in);
  EXPECT_EQ(cfg["num_hidden_layers"], 3);
  expect_healthy(causal_logits(d.path(), 8));
}

TEST(make_model, classifier_variant_has_labels) {
  temp_dir d;
  make_model(
      d.path(),
      {.arch = "bert",
       .preset = "tiny",
       .overrides =
           R"({"architectures": ["BertForSequenceClassification"], "id2label": {"0": "no", "1": "yes"}})"});
  auto enc = load_encoder(d.path());
  EXPECT_EQ(enc->labels(), (std::vector<std::string>{"no", "yes"}));
  const std::vector<int32_t> ids{2, 50, 60, 3};
  encoder_input in{ids};
  auto c = enc->classify({&in, 1});
  EXPECT_NEAR(c[0].probs[0] + c[0].probs[1], 1.0f, 1e-6);
}

TEST(make_model, bad_requests_are_input_errors) {
  temp_dir d;
  EXPECT_THROW(make_model(d.path(), {.arch = "t5"}), input_error);
  EXPECT_THROW(make_model(d.path(), {.arch = "gpt2", .preset = "huge"}), input_error);
  EXPECT_THROW(make_model(d.path(), {.arch = "gpt2", .overrides = "{not json"}), input_error);
  EXPECT_THROW(make_model(d.path(), {.arch = "gpt2", .overrides = R"({"vocab_size": 100})"}),
               input_error);
}

TEST(model_loading, config_disagreeing_with_weights_names_the_tensor) {
  temp_dir d;
  make_model(d.path(), {.arch = "gpt2", .preset = "tiny"});
  std::ifstream in(d.path() / "config.json");
  auto cfg = nlohmann::json::parse(in);
  in.close();
  cfg["n_inner"] = 300;
  std::ofstream(d.path() / "config.json") << cfg.dump();
  try {
    load_model(d.path());
    FAIL();
  } catch (const model_error& e) {
    EXPECT_NE(std::string(e.what()).find("transformer.h.0.mlp.c_fc.weight"), std::string::npos) << e.what();
  }
  cfg["architectures"] = {"T5ForConditionalGeneration"};
  std::ofstream(d.path() / "config.json") << cfg.dump();
  try {
    load_model(d.path());
    FAIL();
  } catch (const model_error& e) {
    EXPECT_NE(std::string(e.what()).find("GPT2LMHeadModel"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("T5ForConditionalGeneration"), std::string::npos) << e.what();
  }
  cfg.erase("architectures");
  std::ofstream(d.path() / "config.json") << cfg.dump();
  EXPECT_THROW(load_model(d.path()), model_error);
  EXPECT_THROW(load_causal_lm(d.path().parent_path() / "no-such-model"), model_error);
}

}  // namespace

// The engine CLI commands (generate, embed, classify, make-model) run as a subprocess with --json,
// checked against the reference fixtures. Skipped when the hfserve binary has not been built.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "fixture_support.hpp"

namespace {

namespace fs = std::filesystem;

struct command_result {
  int status = -1;
  std::string out;
};

command_result run_hfserve(const std::string& args) {
  command_result r;
  FILE* p = ::popen((std::string(HFSERVE_BINARY) + " " + args + " 2>/dev/null").c_str(), "r");
  if (!p) return r;
  char buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof(buf), p)) > 0) r.out.append(buf, n);
  r.status = ::pclose(p);
  return r;
}

std::string ids_arg(const std::vector<int32_t>& ids) {
  std::string s;
  for (size_t i = 0; i < ids.size(); ++i) s += (i ? "," : "") + std::to_string(ids[i]);
  return s;
}

class cli_engine_commands : public ::testing::Test {
 protected:
  void SetUp() override {
    HF_REQUIRE_FIXTURES();
    if (!fs::exists(HFSERVE_BINARY)) GTEST_SKIP() << "hfserve binary not built";
  }
};

TEST_F(cli_engine_commands, generate_json_matches_greedy_reference_and_last_logits) {
  for (const char* model : {"gpt2-tiny", "llama-tiny"}) {
    SCOPED_TRACE(model);
    const auto& c = fixtures::find_case(fixtures::expected(model), "len7");
    const auto r = run_hfserve("generate --model " + fixtures::model_dir(model).string() + " --prompt-ids " +
                               ids_arg(fixtures::ints(c["input_ids"][0])) + " --max-tokens 20 --logits --json");
    ASSERT_EQ(r.status, 0) << r.out;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["ids"].get<std::vector<int32_t>>(), fixtures::ints(c["greedy_20"][0]));
    EXPECT_EQ(j["finish_reason"], "length");
    EXPECT_TRUE(j["text"].is_string());
    EXPECT_TRUE(fixtures::all_close(fixtures::floats(j["last_logits"]), fixtures::floats(c["last_logits"][0]), 1e-4, 1e-4));
  }
}

TEST_F(cli_engine_commands, embed_and_classify_json_match_the_reference) {
  const auto& c = fixtures::find_case(fixtures::expected("bert-tiny"), "text");
  const std::string ids = ids_arg(fixtures::ints(c["input_ids"][0]));
  auto r = run_hfserve("embed --model " + fixtures::model_dir("bert-tiny").string() + " --input-ids " + ids +
                       " --pooling mean --normalize --hidden-states --json");
  ASSERT_EQ(r.status, 0) << r.out;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_TRUE(fixtures::all_close(fixtures::floats(j["embedding"]), fixtures::floats(c["mean_pooled_l2norm"][0]), 2e-5, 1e-4));
  ASSERT_EQ(j["last_hidden_state"].size(), c["last_hidden_state"][0].size());
  EXPECT_TRUE(fixtures::all_close(fixtures::floats(j["last_hidden_state"][3]), fixtures::floats(c["last_hidden_state"][0][3]),
                                  1e-4, 1e-4));
  r = run_hfserve("classify --model " + fixtures::model_dir("bert-tiny-cls").string() + " --input-ids " + ids + " --json");
  ASSERT_EQ(r.status, 0) << r.out;
  j = nlohmann::json::parse(r.out);
  EXPECT_TRUE(fixtures::all_close(fixtures::floats(j["logits"]), fixtures::floats(c["cls_model"]["logits"][0]), 5e-5, 1e-4));
  EXPECT_TRUE(fixtures::all_close(fixtures::floats(j["probs"]), fixtures::floats(c["cls_model"]["probabilities"][0]), 2e-5, 1e-4));
  EXPECT_EQ(j["labels"], nlohmann::json({"negative", "positive", "neutral"}));
}

TEST_F(cli_engine_commands, make_model_then_generate_from_text) {
  const fs::path out = fs::temp_directory_path() / ("hf_cli_mm_" + std::to_string(::getpid()));
  auto r = run_hfserve("make-model --arch llama --config '{\"num_hidden_layers\":1}' --out " + out.string() + " --seed 5 --json");
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_GT(nlohmann::json::parse(r.out)["parameters"].get<size_t>(), 0u);
  r = run_hfserve("generate --model " + out.string() + " --prompt 'hello there' --max-tokens 4 --temperature 0.8 --seed 1 --json");
  ASSERT_EQ(r.status, 0) << r.out;
  const auto a = nlohmann::json::parse(r.out);
  EXPECT_EQ(nlohmann::json::parse(run_hfserve("generate --model " + out.string() +
                                              " --prompt 'hello there' --max-tokens 4 --temperature 0.8 --seed 1 --json")
                                      .out),
            a);
  EXPECT_NE(run_hfserve("generate --model " + out.string() + " --prompt-ids 999999 --json").status, 0);
  EXPECT_NE(run_hfserve("embed --model " + out.string() + " --input-ids 1,2 --json").status, 0);
  fs::remove_all(out);
}

}  // namespace

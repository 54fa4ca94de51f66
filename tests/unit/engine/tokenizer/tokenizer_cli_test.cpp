// `hfserve tokenize`: the CLI prints the same ids/tokens as the library (checked against the
// fixture cases). Skipped when the hfserve binary has not been built.
#include <gtest/gtest.h>

#include <cstdio>

#include "fixture_util.hpp"

namespace hf::engine::test {
namespace {

using nlohmann::json;

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

// Runs the command and returns (exit status, stdout).
std::pair<int, std::string> run(const std::string& cmd) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return {-1, out};
  char buf[4096];
  size_t n = 0;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int status = pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

class cli_test : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!have_fixtures()) GTEST_SKIP() << "no fixtures";
    if (!std::filesystem::exists(HFSERVE_BINARY)) GTEST_SKIP() << "hfserve binary not built";
  }
};

TEST_F(cli_test, tokenize_json_matches_the_reference_cases) {
  for (const std::string name : {"bert-base-uncased", "llama-chat", "gpt2"}) {
    json cases = load_json(tokenizer_fixtures() / name / "cases.json")["cases"];
    for (size_t i = 0; i < cases.size(); i += 7) {
      const json& c = cases[i];
      SCOPED_TRACE(c["id"].get<std::string>());
      std::string cmd = std::string(HFSERVE_BINARY) + " tokenize --json --model " +
                        shell_quote((tokenizer_fixtures() / name).string()) + " --text " +
                        shell_quote(c["text"].get<std::string>());
      if (c.contains("text_pair"))
        cmd += " --pair " + shell_quote(c["text_pair"].get<std::string>());
      auto [rc, out] = run(cmd);
      ASSERT_EQ(rc, 0) << cmd;
      json j = json::parse(out);
      EXPECT_EQ(j["ids"], c["ids_with_special"]);
      EXPECT_EQ(j["tokens"], c["tokens_with_special"]);
      auto [rc2, out2] = run(cmd + " --no-special");
      ASSERT_EQ(rc2, 0);
      EXPECT_EQ(json::parse(out2)["ids"], c["ids"]);
    }
  }
}

TEST_F(cli_test, missing_tokenizer_is_a_clear_error) {
  auto [rc, out] =
      run(std::string(HFSERVE_BINARY) + " tokenize --model /nonexistent --text x 2>&1");
  EXPECT_EQ(rc, 1);
  EXPECT_NE(out.find("tokenizer.json"), std::string::npos) << out;
}

}  // namespace
}  // namespace hf::engine::test

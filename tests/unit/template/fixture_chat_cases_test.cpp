// The llama-chat fixture: its tokenizer_config.json chat_template rendered like transformers'
// apply_chat_template must give exactly the stored `rendered` string for every case.
#include <gtest/gtest.h>

#include <filesystem>

#include "template/template.hpp"
#include "test_util.hpp"

namespace hf::tmpl {
namespace {

using nlohmann::ordered_json;

const std::string fixture_dir = std::string(HFSERVE_FIXTURES_DIR) + "/tokenizers/llama-chat";

TEST(fixture_chat_cases, every_case_renders_exactly) {
  if (!std::filesystem::exists(fixture_dir + "/chat_cases.json")) GTEST_SKIP() << "fixtures not found";
  auto config = ordered_json::parse(testing::read_file(fixture_dir + "/tokenizer_config.json"));
  auto cases = ordered_json::parse(testing::read_file(fixture_dir + "/chat_cases.json"));
  auto t = template_::parse(config.at("chat_template").get<std::string>(), testing::hf_options());
  ASSERT_FALSE(cases.at("cases").empty());
  for (const auto& c : cases.at("cases")) {
    ordered_json ctx = {{"messages", c.at("messages")},
                        {"add_generation_prompt", c.at("add_generation_prompt")},
                        {"bos_token", "<s>"},
                        {"eos_token", "</s>"}};
    EXPECT_EQ(t.render(ctx), c.at("rendered").get<std::string>()) << c.at("id");
  }
}

TEST(fixture_chat_cases, readme_example) {
  if (!std::filesystem::exists(fixture_dir + "/tokenizer_config.json")) GTEST_SKIP() << "fixtures not found";
  auto config = ordered_json::parse(testing::read_file(fixture_dir + "/tokenizer_config.json"));
  auto t = template_::parse(config.at("chat_template").get<std::string>(), testing::hf_options());
  ordered_json ctx = {{"messages", {{{"role", "user"}, {"content", "Hello!"}}}},
                      {"add_generation_prompt", true},
                      {"bos_token", "<s>"},
                      {"eos_token", "</s>"}};
  EXPECT_EQ(t.render(ctx), "<|user|>\nHello!</s>\n<|assistant|>\n");
  // Rendering again from the same parsed template gives the same text.
  EXPECT_EQ(t.render(ctx), t.render(ctx));
}

}  // namespace
}  // namespace hf::tmpl

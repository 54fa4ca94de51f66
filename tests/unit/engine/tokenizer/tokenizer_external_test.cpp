// Test vectors from other projects, copied into the fixtures unchanged: llama.cpp's
// ggml-vocab-*.gguf.inp/.out pairs, swift-transformers' encoded paragraphs, and the llama-chat
// chat-template renderings (chat_cases.json), whose ids must come out of encode(rendered).
#include <gtest/gtest.h>

#include "engine/tokenizer/tokenizer.hpp"
#include "fixture_util.hpp"

namespace hf::engine::test {
namespace {

using nlohmann::json;

// Splits llama.cpp's .inp file: strings separated by "\n__ggml_vocab_test__\n" (also at the end).
std::vector<std::string> read_inp(const std::filesystem::path& p) {
  const std::string sep = "\n__ggml_vocab_test__\n";
  std::string all = read_text(p);
  std::vector<std::string> out;
  size_t pos = 0;
  for (size_t hit = all.find(sep); hit != std::string::npos; hit = all.find(sep, pos)) {
    out.push_back(all.substr(pos, hit - pos));
    pos = hit + sep.size();
  }
  return out;
}

std::vector<std::vector<int32_t>> read_out(const std::filesystem::path& p) {
  std::istringstream in(read_text(p));
  std::vector<std::vector<int32_t>> out;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream ls(line);
    std::vector<int32_t> ids;
    int32_t id = 0;
    while (ls >> id) ids.push_back(id);
    out.push_back(std::move(ids));
  }
  return out;
}

struct llama_cpp_vectors {
  std::string tokenizer;
  std::string file;  // without .inp/.out
};

class llama_cpp_test : public ::testing::TestWithParam<llama_cpp_vectors> {};

TEST_P(llama_cpp_test, ids_match) {
  HF_REQUIRE_FIXTURES();
  const auto& v = GetParam();
  auto dir = tokenizer_fixtures() / v.tokenizer / "external";
  auto inputs = read_inp(dir / (v.file + ".inp"));
  auto expected = read_out(dir / (v.file + ".out"));
  ASSERT_EQ(inputs.size(), expected.size());
  ASSERT_GT(inputs.size(), 40u);
  const tokenizer& tok = fixture_tokenizer(v.tokenizer);
  for (size_t i = 0; i < inputs.size(); ++i) {
    EXPECT_EQ(tok.encode(inputs[i], false), expected[i])
        << "string " << i << ": '" << inputs[i] << "'";
  }
}

INSTANTIATE_TEST_SUITE_P(
    external, llama_cpp_test,
    ::testing::Values(llama_cpp_vectors{"gpt2", "ggml-vocab-gpt-2.gguf"},
                      llama_cpp_vectors{"gpt2", "2024-ggml-vocab-gpt-2.gguf"},
                      llama_cpp_vectors{"bert-base-uncased", "ggml-vocab-bert-bge.gguf"},
                      llama_cpp_vectors{"bert-base-uncased", "2024-ggml-vocab-bert-bge.gguf"},
                      llama_cpp_vectors{"llama", "ggml-vocab-llama-spm.gguf"},
                      llama_cpp_vectors{"llama", "2024-ggml-vocab-llama-spm.gguf"}),
    [](const ::testing::TestParamInfo<llama_cpp_vectors>& p) {
      std::string n = p.param.file;
      for (char& ch : n)
        if (!isalnum(static_cast<unsigned char>(ch))) ch = '_';
      return n;
    });

struct swift_vectors {
  std::string tokenizer;
  std::string file;
};

class swift_test : public ::testing::TestWithParam<swift_vectors> {};

TEST_P(swift_test, paragraph_round_trips) {
  HF_REQUIRE_FIXTURES();
  const auto& v = GetParam();
  json j = load_json(tokenizer_fixtures() / v.tokenizer / "external" / v.file);
  const tokenizer& tok = fixture_tokenizer(v.tokenizer);
  std::string text = j["text"].get<std::string>();
  auto ids = j["token_ids"].get<std::vector<int32_t>>();
  EXPECT_EQ(tok.encode(text, true), ids);
  EXPECT_EQ(tok.encode_full(text, std::nullopt, false).tokens,
            j["bpe_tokens"].get<std::vector<std::string>>());
  std::string decoded = tok.decode(ids, false);  // swift-transformers keeps special tokens
  if (tok.clean_up_tokenization_spaces()) decoded = tokenizer::clean_up_tokenization(decoded);
  EXPECT_EQ(decoded, j["decoded_text"].get<std::string>());
}

INSTANTIATE_TEST_SUITE_P(
    external, swift_test,
    ::testing::Values(swift_vectors{"gpt2", "swift-transformers-gpt2_encoded_tokens.json"},
                      swift_vectors{"bert-base-uncased",
                                    "swift-transformers-bert_uncased_encoded.json"},
                      swift_vectors{"llama", "swift-transformers-llama_encoded.json"}),
    [](const ::testing::TestParamInfo<swift_vectors>& p) {
      std::string n = p.param.tokenizer;
      for (char& ch : n)
        if (ch == '-') ch = '_';
      return n;
    });

TEST(chat_cases, rendered_prompts_encode_to_reference_ids) {
  HF_REQUIRE_FIXTURES();
  const tokenizer& tok = fixture_tokenizer("llama-chat");
  json cases = load_json(tokenizer_fixtures() / "llama-chat" / "chat_cases.json")["cases"];
  ASSERT_FALSE(cases.empty());
  for (const json& c : cases) {
    SCOPED_TRACE(c["id"].get<std::string>());
    std::string rendered = c["rendered"].get<std::string>();
    EXPECT_EQ(tok.encode(rendered, false), c["ids"].get<std::vector<int32_t>>());
    EXPECT_EQ(tok.encode(rendered, true), c["ids_with_special"].get<std::vector<int32_t>>());
    if (c.contains("tokens")) {
      EXPECT_EQ(tok.encode_full(rendered, std::nullopt, false).tokens,
                c["tokens"].get<std::vector<std::string>>());
    }
  }
}

TEST(chat_cases, template_and_special_tokens_come_from_the_config) {
  HF_REQUIRE_FIXTURES();
  const tokenizer& tok = fixture_tokenizer("llama-chat");
  json cfg = load_json(tokenizer_fixtures() / "llama-chat" / "tokenizer_config.json");
  EXPECT_EQ(tok.chat_template(), cfg["chat_template"].get<std::string>());
  EXPECT_EQ(tok.bos_token(), "<s>");
  EXPECT_EQ(tok.eos_token(), "</s>");
  EXPECT_EQ(tok.bos_id(), 1);
  EXPECT_EQ(tok.eos_id(), 2);
  EXPECT_EQ(tok.pad_id(), 2);
  EXPECT_EQ(tok.vocab_size(), 32000u);
  EXPECT_TRUE(tok.is_special(2));
  EXPECT_FALSE(tok.is_special(3));
  EXPECT_EQ(tok.id_to_token(3), "<0x00>");
  EXPECT_EQ(tok.token_to_id("<0x00>"), 3);
  EXPECT_EQ(fixture_tokenizer("gpt2").vocab_size(), 50257u);
  EXPECT_EQ(fixture_tokenizer("gpt2").eos_id(), 50256);
  EXPECT_FALSE(fixture_tokenizer("gpt2").pad_id().has_value());
  EXPECT_EQ(fixture_tokenizer("bert-base-uncased").vocab_size(), 30522u);
  EXPECT_EQ(fixture_tokenizer("bert-base-uncased").pad_id(), 0);
  EXPECT_EQ(fixture_tokenizer("gpt2").chat_template(), "");
}

}  // namespace
}  // namespace hf::engine::test

// Every case of ../shared/fixtures/tokenizers/*/cases.json (reference encodings from HF tokenizers
// 0.23) must be reproduced exactly: ids, tokens, offsets, type ids, and the decoded strings.
#include <gtest/gtest.h>

#include "engine/tokenizer/tokenizer.hpp"
#include "engine/tokenizer/utf8.hpp"
#include "fixture_util.hpp"

namespace hf::engine::test {
namespace {

using nlohmann::json;

class cases_test : public ::testing::TestWithParam<std::string> {};

std::vector<int32_t> ids_of(const json& j) {
  return j.get<std::vector<int32_t>>();
}

TEST_P(cases_test, encodings_match_reference) {
  HF_REQUIRE_FIXTURES();
  const std::string name = GetParam();
  const tokenizer& tok = fixture_tokenizer(name);
  json cases = load_json(tokenizer_fixtures() / name / "cases.json")["cases"];
  ASSERT_FALSE(cases.empty());
  for (const json& c : cases) {
    SCOPED_TRACE(c["id"].get<std::string>());
    std::string text = c["text"].get<std::string>();
    std::optional<std::string> pair;
    if (c.contains("text_pair")) pair = c["text_pair"].get<std::string>();
    std::optional<std::string_view> pair_view;
    if (pair) pair_view = *pair;

    encoding plain = tok.encode_full(text, pair_view, false);
    EXPECT_EQ(plain.ids, ids_of(c["ids"]));
    EXPECT_EQ(plain.tokens, c["tokens"].get<std::vector<std::string>>());
    std::vector<std::pair<size_t, size_t>> offsets;
    for (const auto& o : c["offsets"]) offsets.emplace_back(o[0].get<size_t>(), o[1].get<size_t>());
    EXPECT_EQ(plain.offsets, offsets);
    if (!pair) {
      EXPECT_EQ(tok.encode(text, false), ids_of(c["ids"]));
    }

    encoding special = tok.encode_full(text, pair_view, true);
    EXPECT_EQ(special.ids, ids_of(c["ids_with_special"]));
    EXPECT_EQ(special.tokens, c["tokens_with_special"].get<std::vector<std::string>>());
    if (c.contains("type_ids_with_special")) {
      EXPECT_EQ(special.type_ids, ids_of(c["type_ids_with_special"]));
    }
    if (!pair) {
      EXPECT_EQ(tok.encode(text, true), ids_of(c["ids_with_special"]));
    }

    std::vector<int32_t> ids = ids_of(c["ids_with_special"]);
    if (c.contains("decoded")) {
      std::string decoded = tok.decode(ids, true);
      EXPECT_EQ(decoded, c["decoded"].get<std::string>());
      if (c.contains("decoded_clean_up")) {
        EXPECT_EQ(tokenizer::clean_up_tokenization(decoded),
                  c["decoded_clean_up"].get<std::string>());
      }
    }
    if (c.contains("decoded_keep_special")) {
      EXPECT_EQ(tok.decode(ids, false), c["decoded_keep_special"].get<std::string>());
    }
  }
}

TEST_P(cases_test, incremental_decoding_concatenates_to_full_decode) {
  HF_REQUIRE_FIXTURES();
  const std::string name = GetParam();
  const tokenizer& tok = fixture_tokenizer(name);
  json cases = load_json(tokenizer_fixtures() / name / "cases.json")["cases"];
  for (const json& c : cases) {
    SCOPED_TRACE(c["id"].get<std::string>());
    std::vector<int32_t> ids = ids_of(c["ids_with_special"]);
    for (bool skip : {true, false}) {
      incremental_decoder dec(tok, skip);
      std::string streamed;
      for (int32_t id : ids) {
        std::string piece = dec.push(id);
        EXPECT_TRUE(tok::utf8::is_valid(piece));  // never half a character
        streamed += piece;
      }
      streamed += dec.flush();
      EXPECT_EQ(streamed, tok.decode(ids, skip)) << "skip_special=" << skip;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(fixtures, cases_test,
                         ::testing::Values("gpt2", "bert-base-uncased", "llama", "llama-chat"),
                         [](const ::testing::TestParamInfo<std::string>& p) {
                           std::string n = p.param;
                           for (char& ch : n)
                             if (ch == '-') ch = '_';
                           return n;
                         });

}  // namespace
}  // namespace hf::engine::test

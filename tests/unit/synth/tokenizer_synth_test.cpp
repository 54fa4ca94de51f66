// write_synthetic_tokenizer: the written folders load, have exactly the requested number of ids,
// round-trip text, and are byte-identical when written twice.
#include <gtest/gtest.h>

#include <random>

#include "engine/tokenizer/tokenizer.hpp"
#include "synth/synthesize_tokenizer.hpp"
#include "unit/engine/tokenizer/fixture_util.hpp"  // read_text, load_json

namespace hf::engine::test {
namespace {

struct temp_dir {
  std::filesystem::path path;
  explicit temp_dir(const std::string& name) {
    std::random_device rd;
    path = std::filesystem::temp_directory_path() /
           ("hfserve_tok_" + name + "_" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(path);
  }
  ~temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
};

const char* kind_name(tokenizer_kind k) {
  switch (k) {
    case tokenizer_kind::byte_level_bpe:
      return "byte_level_bpe";
    case tokenizer_kind::llama_bpe:
      return "llama_bpe";
    case tokenizer_kind::wordpiece:
      return "wordpiece";
  }
  return "?";
}

class synth_test : public ::testing::TestWithParam<std::tuple<tokenizer_kind, size_t>> {};

TEST_P(synth_test, loads_with_exact_vocab_and_round_trips) {
  auto [kind, size] = GetParam();
  temp_dir dir(kind_name(kind));
  write_synthetic_tokenizer(dir.path, kind, size);
  auto j = load_json(dir.path / "tokenizer.json");
  EXPECT_EQ(j["model"]["vocab"].size(), size);
  tokenizer tok = tokenizer::from_folder(dir.path);
  EXPECT_EQ(tok.vocab_size(), size);

  const std::string text =
      "The train to the coast was late, so we waited 45 minutes! Where are we going?";
  std::vector<int32_t> ids = tok.encode(text, true);
  ASSERT_FALSE(ids.empty());
  for (int32_t id : ids) EXPECT_LT(static_cast<size_t>(id), size);
  switch (kind) {
    case tokenizer_kind::byte_level_bpe:
      EXPECT_EQ(tok.decode(ids), text);
      EXPECT_EQ(tok.eos_id(), static_cast<int32_t>(size - 1));
      EXPECT_EQ(tok.decode(tok.encode("naïve café 日本 🦙")), "naïve café 日本 🦙");
      break;
    case tokenizer_kind::llama_bpe:
      EXPECT_EQ(ids.front(), 1);
      EXPECT_EQ(tok.decode(ids), text);
      EXPECT_EQ(tok.decode(tok.encode("naïve café 日本 🦙\n\tx")),
                "naïve café 日本 🦙\n\tx");
      EXPECT_EQ(tok.bos_id(), 1);
      EXPECT_EQ(tok.eos_id(), 2);
      EXPECT_NE(tok.chat_template().find("<|assistant|>"), std::string::npos);
      // Streaming gives the same text.
      {
        incremental_decoder dec(tok);
        std::string streamed;
        for (int32_t id : ids) streamed += dec.push(id);
        streamed += dec.flush();
        EXPECT_EQ(streamed, text);
      }
      break;
    case tokenizer_kind::wordpiece: {
      EXPECT_EQ(ids.front(), 2);
      EXPECT_EQ(ids.back(), 3);
      EXPECT_EQ(tok.pad_id(), 0);
      std::string decoded = tokenizer::clean_up_tokenization(tok.decode(ids));
      EXPECT_EQ(decoded,
                "the train to the coast was late, so we waited 45 minutes! where are we going?");
      break;
    }
  }
}

TEST_P(synth_test, is_deterministic) {
  auto [kind, size] = GetParam();
  temp_dir a(std::string(kind_name(kind)) + "_a"), b(std::string(kind_name(kind)) + "_b");
  write_synthetic_tokenizer(a.path, kind, size);
  write_synthetic_tokenizer(b.path, kind, size);
  for (const char* f : {"tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"}) {
    EXPECT_EQ(read_text(a.path / f), read_text(b.path / f)) << f;
  }
}

INSTANTIATE_TEST_SUITE_P(
    kinds, synth_test,
    ::testing::Combine(::testing::Values(tokenizer_kind::byte_level_bpe, tokenizer_kind::llama_bpe,
                                         tokenizer_kind::wordpiece),
                       ::testing::Values(size_t{300}, size_t{1000}, size_t{4096})),
    [](const ::testing::TestParamInfo<std::tuple<tokenizer_kind, size_t>>& p) {
      return std::string(kind_name(std::get<0>(p.param))) + "_" +
             std::to_string(std::get<1>(p.param));
    });

TEST(synth, rejects_too_small_vocabularies) {
  temp_dir dir("small");
  EXPECT_THROW(write_synthetic_tokenizer(dir.path, tokenizer_kind::byte_level_bpe, 100),
               input_error);
  EXPECT_THROW(write_synthetic_tokenizer(dir.path, tokenizer_kind::llama_bpe, 200), input_error);
}

TEST(synth, large_vocabularies_are_padded) {
  temp_dir dir("large");
  write_synthetic_tokenizer(dir.path, tokenizer_kind::llama_bpe, 32000);
  tokenizer tok = tokenizer::from_folder(dir.path);
  EXPECT_EQ(tok.vocab_size(), 32000u);
  EXPECT_EQ(tok.decode(tok.encode("Hello world")), "Hello world");
}

}  // namespace
}  // namespace hf::engine::test

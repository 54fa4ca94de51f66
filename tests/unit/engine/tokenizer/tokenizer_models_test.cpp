// BPE model details checked against the examples of HF tokenizers' own BPE tests (merge order,
// unknown characters with and without fusing, byte fallback, ignore_merges, continuing-subword
// prefixes), plus concurrent use of one shared tokenizer.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "engine/tokenizer/model.hpp"
#include "engine/tokenizer/tokenizer.hpp"
#include "fixture_util.hpp"

namespace hf::engine::tok {
namespace {

using nlohmann::json;
using token_list = std::vector<std::tuple<int32_t, uint32_t, uint32_t>>;

token_list bpe(json model, std::string_view word) {
  model["type"] = "BPE";
  auto m = make_model(model);
  std::vector<model_token> out;
  m->tokenize(word, out);
  token_list got;
  for (const auto& t : out) got.emplace_back(t.id, t.begin, t.end);
  return got;
}

std::vector<int32_t> ids(const token_list& l) {
  std::vector<int32_t> out;
  for (const auto& t : l) out.push_back(std::get<0>(t));
  return out;
}

const json hello_vocab{{"h", 0},  {"e", 1},   {"l", 2},    {"o", 3},
                       {"he", 4}, {"hel", 5}, {"hell", 6}, {"hello", 7}};
const json hello_merges = json::array({"h e", "he l", "hel l", "hell o"});

TEST(bpe_model, applies_merges_by_rank) {
  json m{{"vocab", hello_vocab}, {"merges", hello_merges}};
  EXPECT_EQ(ids(bpe(m, "hello")), (std::vector<int32_t>{7}));
  EXPECT_EQ(ids(bpe(m, "hell")), (std::vector<int32_t>{6}));
  EXPECT_EQ(ids(bpe(m, "helo")), (std::vector<int32_t>{5, 3}));
  EXPECT_EQ(ids(bpe(m, "oleh")), (std::vector<int32_t>{3, 2, 1, 0}));
  // Without an unk token an unknown character vanishes and its neighbours may merge.
  EXPECT_EQ(ids(bpe(m, "hxe")), (std::vector<int32_t>{4}));
  // Merges may also be given as pairs (newer tokenizer.json files).
  json pairs{{"vocab", hello_vocab},
             {"merges", json::array({{"h", "e"}, {"he", "l"}, {"hel", "l"}, {"hell", "o"}})}};
  EXPECT_EQ(ids(bpe(pairs, "hello")), (std::vector<int32_t>{7}));
}

TEST(bpe_model, unknown_characters) {
  json vocab{{"<unk>", 0}, {"a", 1}, {"b", 2}};
  json plain{{"vocab", vocab}, {"merges", json::array()}, {"unk_token", "<unk>"}};
  EXPECT_EQ(bpe(plain, "c"), (token_list{{0, 0, 1}}));
  EXPECT_EQ(bpe(plain, "cc"), (token_list{{0, 0, 1}, {0, 1, 2}}));
  EXPECT_EQ(bpe(plain, "accb"), (token_list{{1, 0, 1}, {0, 1, 2}, {0, 2, 3}, {2, 3, 4}}));
  json fused = plain;
  fused["fuse_unk"] = true;
  EXPECT_EQ(bpe(fused, "c"), (token_list{{0, 0, 1}}));
  EXPECT_EQ(bpe(fused, "cc"), (token_list{{0, 0, 2}}));
  EXPECT_EQ(bpe(fused, "accb"), (token_list{{1, 0, 1}, {0, 1, 3}, {2, 3, 4}}));
}

TEST(bpe_model, byte_fallback) {
  json m{{"vocab", {{"<unk>", 0}, {"<0x61>", 1}}},
         {"merges", json::array()},
         {"unk_token", "<unk>"},
         {"byte_fallback", true}};
  EXPECT_EQ(bpe(m, "c"), (token_list{{0, 0, 1}}));
  EXPECT_EQ(bpe(m, "a"), (token_list{{1, 0, 1}}));
  json nl{{"vocab", {{"<unk>", 0}, {"<0x0A>", 1}}},
          {"merges", json::array()},
          {"unk_token", "<unk>"},
          {"byte_fallback", true}};
  EXPECT_EQ(bpe(nl, "\n"), (token_list{{1, 0, 1}}));
}

TEST(bpe_model, ignore_merges_prefers_whole_words) {
  json vocab{{".:.:", 0},       {"\u0120belirtilen", 1},
             {".", 2},          {":", 3},
             {"bel", 4},        {"irtilen", 5},
             {"\u0120", 6},     {".:", 7},
             {"belirtilen", 8}, {".:.", 9},
             {"be", 10},        {"l", 11},
             {"ir", 12},        {"ti", 13},
             {"en", 14},        {"irtil", 15},
             {"irti", 16},      {"i", 17},
             {"r", 18},         {"t", 19},
             {"b", 20},         {"e", 21},
             {"n", 22}};
  json merges = json::array({". :", "b e", "be l", "i r", "t i", "ir ti", "e n", "irti l"});
  json m{{"vocab", vocab}, {"merges", merges}, {"ignore_merges", true}};
  EXPECT_EQ(bpe(m, ".:.:"), (token_list{{0, 0, 4}}));
  EXPECT_EQ(bpe(m, "\u0120belirtilen"), (token_list{{1, 0, 12}}));
  m["ignore_merges"] = false;
  EXPECT_EQ(bpe(m, ".:.:"), (token_list{{7, 0, 2}, {7, 2, 4}}));
  EXPECT_EQ(bpe(m, "\u0120belirtilen"),
            (token_list{{6, 0, 2}, {4, 2, 5}, {15, 5, 10}, {14, 10, 12}}));
}

TEST(bpe_model, continuing_subword_prefix) {
  json m{{"vocab", {{"a", 0}, {"##b", 1}, {"##c", 2}, {"ab", 3}, {"abc", 4}}},
         {"merges", json::array({"a ##b", "ab ##c"})},
         {"continuing_subword_prefix", "##"},
         {"unk_token", "[UNK]"}};
  m["vocab"]["[UNK]"] = 5;
  EXPECT_EQ(bpe(m, "ab"), (token_list{{3, 0, 2}}));
  EXPECT_EQ(bpe(m, "abc"), (token_list{{4, 0, 3}}));
}

TEST(concurrency, shared_tokenizer_gives_the_same_results_on_every_thread) {
  HF_REQUIRE_FIXTURES();
  for (const std::string name : {"gpt2", "llama-chat", "bert-base-uncased"}) {
    // A fresh tokenizer, so the threads race on its empty word caches.
    auto tok =
        std::make_shared<tokenizer>(tokenizer::from_folder(test::tokenizer_fixtures() / name));
    json cases = test::load_json(test::tokenizer_fixtures() / name / "cases.json")["cases"];
    std::vector<std::string> texts;
    for (const auto& c : cases) texts.push_back(c["text"].get<std::string>());
    std::vector<std::vector<int32_t>> expected;
    {
      auto reference = tokenizer::from_folder(test::tokenizer_fixtures() / name);
      for (const auto& t : texts) expected.push_back(reference.encode(t));
    }
    std::vector<int> failures(4, 0);
    std::vector<std::thread> threads;
    for (size_t th = 0; th < failures.size(); ++th) {
      threads.emplace_back([&, th] {
        tokenizer copy = *tok;  // copies share state
        for (int round = 0; round < 20; ++round) {
          for (size_t i = 0; i < texts.size(); ++i) {
            size_t k = (i + th * 7 + static_cast<size_t>(round)) % texts.size();
            const tokenizer& use = (round % 2) ? copy : *tok;
            if (use.encode(texts[k]) != expected[k]) ++failures[th];
            if (use.decode(expected[k]) != tok->decode(expected[k])) ++failures[th];
          }
        }
      });
    }
    for (auto& t : threads) t.join();
    for (int f : failures) EXPECT_EQ(f, 0) << name;
  }
}

}  // namespace
}  // namespace hf::engine::tok

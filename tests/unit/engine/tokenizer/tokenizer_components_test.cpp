// Pipeline components on their own, checked against behaviour documented by HF tokenizers' own
// unit tests (the inputs and expected splits/tokens below are theirs): split behaviours,
// Metaspace prepend schemes, added-token flags, Unigram, post-processors and decoders.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "engine/tokenizer/added_vocabulary.hpp"
#include "engine/tokenizer/decoders.hpp"
#include "engine/tokenizer/model.hpp"
#include "engine/tokenizer/normalizers.hpp"
#include "engine/tokenizer/pre_tokenizers.hpp"
#include "engine/tokenizer/precompiled.hpp"
#include "engine/tokenizer/regex.hpp"
#include "engine/tokenizer/tokenizer.hpp"

namespace hf::engine::tok {
namespace {

using nlohmann::json;
using split_list = std::vector<std::pair<std::string, std::pair<uint32_t, uint32_t>>>;

split_list pre_tokenize(const json& spec, std::string_view text) {
  auto p = make_pre_tokenizer(spec);
  pre_tokenized pieces{piece{normalized_string::from_original(text, 0, text.size()), -1}};
  p->pre_tokenize(pieces);
  split_list out;
  for (const auto& pc : pieces) {
    auto r = pc.text.original_range();
    out.push_back({pc.text.get(), {r.begin, r.end}});
  }
  return out;
}

std::vector<std::string> texts(const split_list& l) {
  std::vector<std::string> out;
  for (const auto& [t, r] : l) out.push_back(t);
  return out;
}

TEST(split_pre_tokenizer, behaviours_with_inverted_word_regex) {
  const std::string s = "How are you doing?";
  auto run = [&](const char* behavior) {
    return pre_tokenize({{"type", "Split"},
                         {"pattern", {{"Regex", "\\w+|[^\\w\\s]+"}}},
                         {"behavior", behavior},
                         {"invert", true}},
                        s);
  };
  EXPECT_EQ(run("Removed"), (split_list{{"How", {0, 3}},
                                        {"are", {4, 7}},
                                        {"you", {8, 11}},
                                        {"doing", {12, 17}},
                                        {"?", {17, 18}}}));
  EXPECT_EQ(run("Isolated"), (split_list{{"How", {0, 3}},
                                         {" ", {3, 4}},
                                         {"are", {4, 7}},
                                         {" ", {7, 8}},
                                         {"you", {8, 11}},
                                         {" ", {11, 12}},
                                         {"doing", {12, 17}},
                                         {"?", {17, 18}}}));
  EXPECT_EQ(run("MergedWithPrevious"), (split_list{{"How ", {0, 4}},
                                                   {"are ", {4, 8}},
                                                   {"you ", {8, 12}},
                                                   {"doing", {12, 17}},
                                                   {"?", {17, 18}}}));
  EXPECT_EQ(run("MergedWithNext"), (split_list{{"How", {0, 3}},
                                               {" are", {3, 7}},
                                               {" you", {7, 11}},
                                               {" doing", {11, 17}},
                                               {"?", {17, 18}}}));
  EXPECT_EQ(run("Contiguous"), (split_list{{"How", {0, 3}},
                                           {" ", {3, 4}},
                                           {"are", {4, 7}},
                                           {" ", {7, 8}},
                                           {"you", {8, 11}},
                                           {" ", {11, 12}},
                                           {"doing?", {12, 18}}}));
}

TEST(split_pre_tokenizer, delimiter_behaviours) {
  // The example of HF's SplitDelimiterBehavior documentation.
  auto run = [](const char* behavior) {
    return texts(pre_tokenize({{"type", "Split"},
                               {"pattern", {{"String", "-"}}},
                               {"behavior", behavior},
                               {"invert", false}},
                              "the-final--countdown"));
  };
  using v = std::vector<std::string>;
  EXPECT_EQ(run("Removed"), (v{"the", "final", "countdown"}));
  EXPECT_EQ(run("Isolated"), (v{"the", "-", "final", "-", "-", "countdown"}));
  EXPECT_EQ(run("MergedWithPrevious"), (v{"the-", "final-", "-", "countdown"}));
  EXPECT_EQ(run("MergedWithNext"), (v{"the", "-final", "-", "-countdown"}));
  EXPECT_EQ(run("Contiguous"), (v{"the", "-", "final", "--", "countdown"}));
  // A String pattern and an inverted split on the words agree.
  EXPECT_EQ(texts(pre_tokenize({{"type", "Split"},
                                {"pattern", {{"String", " "}}},
                                {"behavior", "Removed"},
                                {"invert", false}},
                               "Hello Hello Hello")),
            texts(pre_tokenize({{"type", "Split"},
                                {"pattern", {{"String", "Hello"}}},
                                {"behavior", "Removed"},
                                {"invert", true}},
                               "Hello Hello Hello")));
}

TEST(regex, oniguruma_class_meanings_are_kept) {
  // Oniguruma (HF tokenizers' engine): \w is Letter|Mark|Number|Connector_Punctuation, \s includes
  // U+0085, \h is a hex digit.
  auto whole = [](const char* re, std::string_view s) {
    auto m = regex(re).find_matches(s);
    return m.size() == 1 && m[0].is_match && m[0].begin == 0 && m[0].end == s.size();
  };
  EXPECT_TRUE(whole("\\w+", "e\u0301\u00B2_\u203F"));
  EXPECT_TRUE(whole("\\s+", " \t\u0085\u3000"));
  EXPECT_TRUE(whole("[\\s]+", "\u0085\u2028"));
  EXPECT_TRUE(whole("[^\\s\\p{L}\\p{N}]+", "!?\u0301"));
  EXPECT_FALSE(whole("[^\\s\\p{L}\\p{N}]+", "!\u0085"));
  EXPECT_TRUE(whole("\\h+", "09afAF"));
  EXPECT_FALSE(whole("\\h", " "));
  EXPECT_TRUE(whole("\\S+", "ab"));
  EXPECT_FALSE(whole("\\S", "\u0085"));
  EXPECT_TRUE(whole("[]a]+", "]a"));
  EXPECT_TRUE(whole("[[:alpha:]]+", "ab"));
}

TEST(char_pre_tokenizers, digits_and_whitespace) {
  json digits{{"type", "Digits"}, {"individual_digits", false}};
  EXPECT_EQ(pre_tokenize(digits, "Hey 123 friend!"),
            (split_list{{"Hey ", {0, 4}}, {"123", {4, 7}}, {" friend!", {7, 15}}}));
  EXPECT_EQ(texts(pre_tokenize(digits, "1a2")), (std::vector<std::string>{"1", "a", "2"}));
  EXPECT_EQ(pre_tokenize(digits, "caf\u00E92"), (split_list{{"caf\u00E9", {0, 5}}, {"2", {5, 6}}}));
  json single{{"type", "Digits"}, {"individual_digits", true}};
  EXPECT_EQ(
      pre_tokenize(single, "Hey 123 friend!"),
      (split_list{
          {"Hey ", {0, 4}}, {"1", {4, 5}}, {"2", {5, 6}}, {"3", {6, 7}}, {" friend!", {7, 15}}}));
  json ws{{"type", "Whitespace"}};
  EXPECT_EQ(pre_tokenize(ws, "Hey man!"),
            (split_list{{"Hey", {0, 3}}, {"man", {4, 7}}, {"!", {7, 8}}}));
  EXPECT_TRUE(pre_tokenize(ws, "\n").empty());
  EXPECT_EQ(pre_tokenize({{"type", "WhitespaceSplit"}}, "Hey man!"),
            (split_list{{"Hey", {0, 3}}, {"man!", {4, 8}}}));
}

TEST(metaspace_pre_tokenizer, replaces_spaces_and_prepends) {
  json always{{"type", "Metaspace"},
              {"replacement", "\u2581"},
              {"prepend_scheme", "always"},
              {"split", true}};
  EXPECT_EQ(pre_tokenize(always, "Hey friend!"),
            (split_list{{"\u2581Hey", {0, 3}}, {"\u2581friend!", {3, 11}}}));
  EXPECT_EQ(pre_tokenize(always, "Hey   friend!"), (split_list{{"\u2581Hey", {0, 3}},
                                                               {"\u2581", {3, 4}},
                                                               {"\u2581", {4, 5}},
                                                               {"\u2581friend!", {5, 13}}}));
  // Legacy files say add_prefix_space instead of prepend_scheme.
  EXPECT_EQ(texts(pre_tokenize(
                {{"type", "Metaspace"}, {"replacement", "\u2581"}, {"add_prefix_space", true}},
                "Hey friend!")),
            (std::vector<std::string>{"\u2581Hey", "\u2581friend!"}));
}

TEST(metaspace_pre_tokenizer, first_scheme_prepends_only_at_the_start_of_the_text) {
  auto first_after_split = [](std::string_view text) {
    json seq{{"type", "Sequence"},
             {"pretokenizers",
              {{{"type", "Split"},
                {"pattern", {{"Regex", "(<s>)"}}},
                {"behavior", "Isolated"},
                {"invert", false}},
               {{"type", "Metaspace"},
                {"replacement", "\u2581"},
                {"prepend_scheme", "first"},
                {"split", false}}}}};
    return texts(pre_tokenize(seq, text));
  };
  using v = std::vector<std::string>;
  EXPECT_EQ(first_after_split("Hey my friend <s>how\u2581are you"),
            (v{"\u2581Hey\u2581my\u2581friend\u2581", "<s>", "how\u2581are\u2581you"}));
  EXPECT_EQ(first_after_split(" Hey <s>how"), (v{"\u2581Hey\u2581", "<s>", "how"}));
  EXPECT_EQ(first_after_split(" Hey <s>how <s>are <s> you"),
            (v{"\u2581Hey\u2581", "<s>", "how\u2581", "<s>", "are\u2581", "<s>", "\u2581you"}));
}

TEST(added_vocabulary, flags_follow_hf_rules) {
  auto lower = make_normalizer({{"type", "Lowercase"}});
  auto tok = [](int32_t id, const char* s, bool special) {
    added_token t;
    t.id = id;
    t.content = s;
    t.special = special;
    t.normalized = !special;
    return t;
  };
  auto run = [&](const added_vocabulary& av, std::string_view text) {
    std::vector<std::pair<std::string, int32_t>> out;
    for (const auto& p : av.extract_and_normalize(text, 0, text.size(), lower.get())) {
      out.emplace_back(p.text.get(), p.added_id);
    }
    return out;
  };
  using v = std::vector<std::pair<std::string, int32_t>>;
  {
    auto my = tok(0, "my", false);
    my.lstrip = my.rstrip = true;
    auto ony = tok(2, "ony", false);
    ony.single_word = true;
    added_vocabulary av(
        {my, tok(1, "name", false), ony, tok(3, "[CLS]", true), tok(4, "[SEP]", true)},
        lower.get());
    EXPECT_EQ(run(av, "[CLS] My name is Anthony [SEP]"),
              (v{{"[CLS]", 3}, {" my ", 0}, {"name", 1}, {" is anthony ", -1}, {"[SEP]", 4}}));
  }
  {
    auto mask = tok(0, "<mask>", false);
    mask.single_word = true;
    added_vocabulary av({mask}, lower.get());
    EXPECT_EQ(run(av, "<mask> My name <mask> A<mask> <mask>ony <mask>"),
              (v{{"<mask>", 0},
                 {" my name ", -1},
                 {"<mask>", 0},
                 {" a<mask> <mask>ony ", -1},
                 {"<mask>", 0}}));
    // Punctuation is not a word character, a combining mark is.
    EXPECT_EQ(run(av, "<mask>, <mask>- \u25CC\u0330<mask>"),
              (v{{"<mask>", 0}, {", ", -1}, {"<mask>", 0}, {"- \u25CC\u0330<mask>", -1}}));
  }
  {
    auto mask = tok(0, "<mask>", false);
    mask.single_word = mask.lstrip = mask.rstrip = true;
    added_vocabulary av({mask}, lower.get());
    EXPECT_EQ(
        run(av, "Hi <mask> there\t<mask>\t<mask>\u2000"),
        (v{{"hi", -1}, {" <mask> ", 0}, {"there", -1}, {"\t<mask>\t", 0}, {"<mask>\u2000", 0}}));
  }
}

std::vector<std::string> unigram_pieces(const json& vocab, std::string_view text,
                                        bool byte_fallback = false) {
  auto m = make_model(
      {{"type", "Unigram"}, {"unk_id", 0}, {"vocab", vocab}, {"byte_fallback", byte_fallback}});
  std::vector<model_token> out;
  m->tokenize(text, out);
  std::vector<std::string> pieces;
  for (const auto& t : out) pieces.emplace_back(text.substr(t.begin, t.end - t.begin));
  return pieces;
}

TEST(unigram_model, viterbi_and_unknown_fusing) {
  using v = std::vector<std::string>;
  json simple = json::array({{"<unk>", 0.0},
                             {"a", 0.0},
                             {"b", 0.0},
                             {"c", 0.0},
                             {"d", 0.0},
                             {"cd", 1.0},
                             {"ab", 2.0},
                             {"abc", 5.0},
                             {"abcd", 10.0}});
  EXPECT_EQ(unigram_pieces(simple, "abcd"), (v{"abcd"}));
  json vocab = json::array({{"<unk>", 0.0},
                            {"ab", 0.0},
                            {"cd", -0.1},
                            {"abc", -0.2},
                            {"a", -0.3},
                            {"b", -0.4},
                            {"c", -0.5},
                            {"ABC", -0.5},
                            {"abcdabcd", 20.0},
                            {"q", 20.5},
                            {"r", 20.5},
                            {"qr", -0.5}});
  EXPECT_EQ(unigram_pieces(vocab, "abc"), (v{"abc"}));
  EXPECT_EQ(unigram_pieces(vocab, "AB"), (v{"AB"}));
  EXPECT_EQ(unigram_pieces(vocab, "abcd"), (v{"ab", "cd"}));
  EXPECT_EQ(unigram_pieces(vocab, "abcc"), (v{"abc", "c"}));
  EXPECT_EQ(unigram_pieces(vocab, "xabcabaabcdd"), (v{"x", "abc", "ab", "a", "ab", "cd", "d"}));
  EXPECT_EQ(unigram_pieces(vocab, "xyz\u6771\u4EAC"), (v{"xyz\u6771\u4EAC"}));
  EXPECT_EQ(unigram_pieces(vocab, "ABC"), (v{"ABC"}));
  EXPECT_EQ(unigram_pieces(vocab, "abABCcd"), (v{"ab", "ABC", "cd"}));
  EXPECT_EQ(unigram_pieces(vocab, "ababcdabcdcd"), (v{"ab", "abcdabcd", "cd"}));
  EXPECT_EQ(unigram_pieces(vocab, "abqrcd"), (v{"ab", "q", "r", "cd"}));
}

TEST(unigram_model, byte_fallback) {
  json vocab = json::array({{"<unk>", 0.0},
                            {"<0xE2>", -0.01},
                            {"<0x85>", -0.02},
                            {"<0xE2>", -0.03},
                            {"<0x90>", -0.04},
                            {"<0x91>", -0.05},
                            {"<0x9B>", -0.06},
                            {"Hello", -0.1},
                            {"how", -0.2},
                            {"are", -0.3},
                            {" ", -0.4}});
  auto m =
      make_model({{"type", "Unigram"}, {"unk_id", 0}, {"vocab", vocab}, {"byte_fallback", true}});
  std::vector<model_token> out;
  m->tokenize("Hello\u2150how are\u2151\u2151", out);
  std::vector<std::tuple<int32_t, uint32_t, uint32_t>> got;
  for (const auto& t : out) got.emplace_back(t.id, t.begin, t.end);
  EXPECT_EQ(got, (std::vector<std::tuple<int32_t, uint32_t, uint32_t>>{{7, 0, 5},
                                                                       {3, 5, 8},
                                                                       {2, 5, 8},
                                                                       {4, 5, 8},
                                                                       {8, 8, 11},
                                                                       {10, 11, 12},
                                                                       {9, 12, 15},
                                                                       {3, 15, 21},
                                                                       {2, 15, 21},
                                                                       {5, 15, 21},
                                                                       {3, 15, 21},
                                                                       {2, 15, 21},
                                                                       {5, 15, 21}}));
  out.clear();
  m->tokenize(" unknown\u2030", out);
  got.clear();
  for (const auto& t : out) got.emplace_back(t.id, t.begin, t.end);
  EXPECT_EQ(got, (std::vector<std::tuple<int32_t, uint32_t, uint32_t>>{{10, 0, 1}, {0, 1, 11}}));
}

TEST(post_processor, roberta_processing) {
  // A word-level tokenizer whose ids are those of HF's RobertaProcessing test.
  json tj{{"model",
           {{"type", "WordLevel"},
            {"unk_token", "<unk>"},
            {"vocab",
             {{"<s>", 0}, {"<unk>", 1}, {"</s>", 2}, {"Hello", 12}, {"there", 14}, {"pair", 15}}}}},
          {"pre_tokenizer", {{"type", "WhitespaceSplit"}}},
          {"post_processor",
           {{"type", "RobertaProcessing"},
            {"sep", {"</s>", 2}},
            {"cls", {"<s>", 0}},
            {"trim_offsets", true},
            {"add_prefix_space", true}}}};
  auto t = tokenizer::from_json(tj.dump());
  encoding single = t.encode_full("Hello there", std::nullopt, true);
  EXPECT_EQ(single.ids, (std::vector<int32_t>{0, 12, 14, 2}));
  EXPECT_EQ(single.offsets,
            (std::vector<std::pair<size_t, size_t>>{{0, 0}, {0, 5}, {6, 11}, {0, 0}}));
  EXPECT_EQ(single.special_tokens_mask, (std::vector<uint8_t>{1, 0, 0, 1}));
  encoding pair = t.encode_full("Hello there", "pair", true);
  EXPECT_EQ(pair.ids, (std::vector<int32_t>{0, 12, 14, 2, 2, 15, 2}));
  EXPECT_EQ(pair.type_ids, (std::vector<int32_t>(7, 0)));
  EXPECT_EQ(pair.offsets, (std::vector<std::pair<size_t, size_t>>{
                              {0, 0}, {0, 5}, {6, 11}, {0, 0}, {0, 0}, {0, 4}, {0, 0}}));
  EXPECT_EQ(pair.special_tokens_mask, (std::vector<uint8_t>{1, 0, 0, 1, 1, 0, 1}));
  encoding plain = t.encode_full("Hello there", "pair", false);
  EXPECT_EQ(plain.ids, (std::vector<int32_t>{12, 14, 15}));
  EXPECT_EQ(plain.type_ids, (std::vector<int32_t>{0, 0, 0}));
}

std::vector<std::string> decode_chain(const json& spec, std::vector<std::string> tokens) {
  make_decoder(spec)->decode_chain(tokens);
  return tokens;
}

TEST(decoders, byte_fallback_strip_metaspace) {
  using v = std::vector<std::string>;
  json bf{{"type", "ByteFallback"}};
  EXPECT_EQ(decode_chain(bf, {"Hey", "friend!"}), (v{"Hey", "friend!"}));
  EXPECT_EQ(decode_chain(bf, {"<0x61>"}), (v{"a"}));
  EXPECT_EQ(decode_chain(bf, {"<0xE5>"}), (v{"\uFFFD"}));
  EXPECT_EQ(decode_chain(bf, {"<0xE5>", "<0x8f>"}), (v{"\uFFFD", "\uFFFD"}));
  EXPECT_EQ(decode_chain(bf, {"<0xE5>", "<0x8f>", "<0xab>"}), (v{"\u53EB"}));
  EXPECT_EQ(decode_chain(bf, {"<0xE5>", "<0x8f>", "<0xab>", "a"}), (v{"\u53EB", "a"}));
  EXPECT_EQ(decode_chain(bf, {"<0xE5>", "<0x8f>", "a"}), (v{"\uFFFD", "\uFFFD", "a"}));
  EXPECT_EQ(decode_chain({{"type", "Strip"}, {"content", "H"}, {"start", 1}, {"stop", 0}},
                         {"Hey", " friend!", "HHH"}),
            (v{"ey", " friend!", "HH"}));
  EXPECT_EQ(decode_chain({{"type", "Strip"}, {"content", "y"}, {"start", 0}, {"stop", 1}},
                         {"Hey", " friend!"}),
            (v{"He", " friend!"}));
  EXPECT_EQ(
      decode_chain({{"type", "Metaspace"}, {"replacement", "\u2581"}, {"prepend_scheme", "always"}},
                   {"\u2581Hey", "\u2581friend!"}),
      (v{"Hey", " friend!"}));
  EXPECT_EQ(
      decode_chain({{"type", "Metaspace"}, {"replacement", "\u2581"}, {"prepend_scheme", "never"}},
                   {"\u2581Hey", "\u2581friend!"}),
      (v{" Hey", " friend!"}));
  EXPECT_EQ(decode_chain({{"type", "WordPiece"}, {"prefix", "##"}, {"cleanup", false}},
                         {"##uelo", "Ara", "##\u00FAj", "##o", "No", "##guera"}),
            (v{"##uelo", " Ara", "\u00FAj", "o", " No", "guera"}));
}

TEST(errors, bad_files_name_the_problem) {
  EXPECT_THROW(tokenizer::from_json("{not json"), tokenizer_error);
  EXPECT_THROW(tokenizer::from_json(R"({"model": {"type": "Nope"}})"), tokenizer_error);
  EXPECT_THROW(
      tokenizer::from_json(R"({"model": {"type": "BPE", "vocab": {"a": 0}, "merges": ["a b"]}})"),
      tokenizer_error);
  EXPECT_THROW(tokenizer::from_folder("/nonexistent/folder"), tokenizer_error);
  try {
    tokenizer::from_json(R"({"model": {"type": "BPE", "vocab": {"a": 0}, "merges": []},
                             "pre_tokenizer": {"type": "Split", "pattern": {"Regex": "("},
                                               "behavior": "Isolated"}})");
    FAIL() << "expected a tokenizer_error";
  } catch (const tokenizer_error& e) {
    EXPECT_NE(std::string(e.what()).find("regex"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace hf::engine::tok

namespace hf::engine::tok {
namespace {

std::string base64(const std::string& bytes) {
  static const char* t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    uint32_t v = static_cast<uint8_t>(bytes[i]) << 16 | static_cast<uint8_t>(bytes[i + 1]) << 8 |
                 static_cast<uint8_t>(bytes[i + 2]);
    for (int k = 3; k >= 0; --k) out.push_back(t[(v >> (6 * k)) & 63]);
  }
  if (i < bytes.size()) {
    uint32_t v = static_cast<uint8_t>(bytes[i]) << 16 |
                 (i + 1 < bytes.size() ? static_cast<uint8_t>(bytes[i + 1]) << 8 : 0);
    out.push_back(t[(v >> 18) & 63]);
    out.push_back(t[(v >> 12) & 63]);
    out.push_back(i + 1 < bytes.size() ? t[(v >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

// A hand-built darts-clone array with the single key "A" -> "a" (root offset 256, the unit for
// 'A' at 256 ^ 0x41 with a leaf at 321 ^ 512): checks the unit layout and the replacement logic.
TEST(precompiled_normalizer, maps_keys_through_the_double_array) {
  std::vector<uint32_t> units(900, 0);
  units[0] = 256u << 10;
  units[321] = (512u << 10) | (1u << 8) | 0x41;
  units[833] = 1u << 31;  // value 0: offset of "a" in the replacement blob
  std::string blob;
  uint32_t size = static_cast<uint32_t>(units.size() * 4);
  for (int k = 0; k < 4; ++k) blob.push_back(static_cast<char>((size >> (8 * k)) & 0xFF));
  for (uint32_t u : units)
    for (int k = 0; k < 4; ++k) blob.push_back(static_cast<char>((u >> (8 * k)) & 0xFF));
  blob += std::string("a\0", 2);
  auto norm = make_normalizer({{"type", "Precompiled"}, {"precompiled_charsmap", base64(blob)}});
  std::string text = "BAnAna \xC3\x81";  // the precomposed A-acute is not a key
  auto n = normalized_string::from_original(text, 0, text.size());
  norm->normalize(n);
  EXPECT_EQ(n.get(), "Banana \xC3\x81");
  EXPECT_EQ(n.to_original(1, 2).begin, 1u);
  EXPECT_THROW(make_normalizer({{"type", "Precompiled"}, {"precompiled_charsmap", "AAAA"}}),
               tokenizer_error);
}

TEST(normalized_string, spans_cover_every_original_character_after_canonical_reordering) {
  // NFC sorts U+059C (combining class 230) after U+05B0 (class 10). The reordered pair then maps
  // back to [1, 3), not to the empty [2, 2) that its first byte's start and last byte's end give
  // (found by fuzzing the Unigram tokenizer, where such spans even came out inverted).
  const std::string text = "x\u059C\u05B0y";
  auto n = normalized_string::from_original(text, 0, text.size());
  make_normalizer({{"type", "NFC"}})->normalize(n);
  ASSERT_EQ(n.get(), "x\u05B0\u059Cy");
  const alignment marks = n.to_original(1, 5);  // both marks, two bytes each
  EXPECT_EQ(marks.begin, 1u);
  EXPECT_EQ(marks.end, 5u);
  EXPECT_EQ(n.to_original(1, 3).begin, 3u);  // U+05B0 alone came from bytes [3, 5)
  EXPECT_EQ(n.to_original(0, 1).end, 1u);
}

TEST(grapheme_clusters, marks_and_joiners_stay_with_their_base) {
  auto clusters = [](std::string_view s) {
    std::vector<std::string> out;
    for (size_t i = 0; i < s.size();) {
      size_t e = grapheme_end(s, i);
      out.emplace_back(s.substr(i, e - i));
      i = e;
    }
    return out;
  };
  using v = std::vector<std::string>;
  EXPECT_EQ(clusters("e\u0301a"), (v{"e\u0301", "a"}));
  EXPECT_EQ(clusters("\r\nx"), (v{"\r\n", "x"}));
  EXPECT_EQ(clusters("\U0001F468\u200D\U0001F469!"), (v{"\U0001F468\u200D\U0001F469", "!"}));
  EXPECT_EQ(clusters("\U0001F1FA\U0001F1F8\U0001F1EF\U0001F1F5"),
            (v{"\U0001F1FA\U0001F1F8", "\U0001F1EF\U0001F1F5"}));
  EXPECT_EQ(clusters("\u1112\u1161\u11AB."), (v{"\u1112\u1161\u11AB", "."}));
}

}  // namespace
}  // namespace hf::engine::tok

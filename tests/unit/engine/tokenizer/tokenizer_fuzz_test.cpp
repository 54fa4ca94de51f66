// Robustness: invalid UTF-8 (repaired to U+FFFD, one per maximal invalid subsequence, before
// encoding), empty and 1 MB inputs, random bytes and random id streams for the incremental decoder.
#include <gtest/gtest.h>

#include <chrono>
#include <random>

#include "engine/tokenizer/tokenizer.hpp"
#include "engine/tokenizer/utf8.hpp"
#include "fixture_util.hpp"

namespace hf::engine::test {
namespace {

using nlohmann::json;

const std::vector<std::string>& names() {
  static const std::vector<std::string> n{"gpt2", "bert-base-uncased", "llama", "llama-chat"};
  return n;
}

// A few MB of mixed text: every fixture case text, repeated.
std::string mixed_text(size_t min_bytes) {
  std::string all;
  for (const auto& n : names()) {
    json cases = load_json(tokenizer_fixtures() / n / "cases.json");
    for (const json& c : cases["cases"]) {
      all += c["text"].get<std::string>();
      all += ' ';
    }
  }
  std::string out;
  while (out.size() < min_bytes) out += all;
  return out;
}

TEST(utf8_repair, replaces_maximal_invalid_subsequences) {
  // Unicode's recommended practice (Table 3-8 examples): one U+FFFD per maximal subpart.
  EXPECT_EQ(tok::utf8::make_valid("a\xC3"), "a\xEF\xBF\xBD");
  EXPECT_EQ(tok::utf8::make_valid("\xE2\x82"
                                  "A"),
            "\xEF\xBF\xBD"
            "A");
  EXPECT_EQ(tok::utf8::make_valid("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong
  EXPECT_EQ(tok::utf8::make_valid("\xED\xA0\x80"),
            "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");                               // surrogate
  EXPECT_EQ(tok::utf8::make_valid("\xF4\x90\x80\x80").size(), 12u);                // above U+10FFFF
  EXPECT_EQ(tok::utf8::make_valid("ok \xF0\x9F\xA6\x99"), "ok \xF0\x9F\xA6\x99");  // valid stays
  EXPECT_TRUE(tok::utf8::ends_with_incomplete_char("ab\xF0\x9F"));
  EXPECT_FALSE(tok::utf8::ends_with_incomplete_char("ab\xF0\x9F\xA6\x99"));
}

TEST(fuzz, invalid_utf8_is_encoded_as_replacement_characters) {
  HF_REQUIRE_FIXTURES();
  const std::string bad =
      "abc\xFF\xFE"
      "def \xC3 \xE2\x82 x\xED\xA0\x80y";
  for (const auto& n : names()) {
    SCOPED_TRACE(n);
    const tokenizer& tok = fixture_tokenizer(n);
    EXPECT_EQ(tok.encode(bad), tok.encode(tok::utf8::make_valid(bad)));
    encoding e = tok.encode_full(bad, std::nullopt, false);
    EXPECT_FALSE(e.ids.empty());
  }
  // Byte-level BPE represents U+FFFD exactly, so it decodes back.
  const tokenizer& gpt2 = fixture_tokenizer("gpt2");
  EXPECT_EQ(gpt2.decode(gpt2.encode(bad)), tok::utf8::make_valid(bad));
}

TEST(fuzz, empty_input) {
  HF_REQUIRE_FIXTURES();
  for (const auto& n : names()) {
    const tokenizer& tok = fixture_tokenizer(n);
    EXPECT_TRUE(tok.encode("", false).empty()) << n;
    EXPECT_EQ(tok.decode(std::vector<int32_t>{}), "") << n;
  }
  EXPECT_EQ(fixture_tokenizer("bert-base-uncased").encode(""), (std::vector<int32_t>{101, 102}));
  EXPECT_EQ(fixture_tokenizer("llama").encode(""), (std::vector<int32_t>{1}));
  EXPECT_TRUE(fixture_tokenizer("gpt2").encode("").empty());
}

TEST(fuzz, one_megabyte_inputs) {
  HF_REQUIRE_FIXTURES();
  std::string text = mixed_text(1 << 20);
  for (const auto& n : names()) {
    SCOPED_TRACE(n);
    const tokenizer& tok = fixture_tokenizer(n);
    auto t0 = std::chrono::steady_clock::now();
    std::vector<int32_t> ids = tok.encode(text, false);
    auto secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    EXPECT_GT(ids.size(), text.size() / 16);
    EXPECT_LT(secs, 20.0);  // generous: a quadratic step would take minutes
    // Byte-level BPE is lossless (the text contains special-token strings, so keep them).
    if (n == "gpt2") {
      EXPECT_EQ(tok.decode(ids, false), text);
    }
  }
  // Pathological single "words": 1 MB without spaces (one BPE word for Llama) and 1 MB of spaces.
  const std::string letters(1 << 20, 'a');
  const std::string spaces(1 << 20, ' ');
  for (const std::string* s : {&letters, &spaces}) {
    for (const auto& n : names()) {
      const tokenizer& tok = fixture_tokenizer(n);
      std::vector<int32_t> ids = tok.encode(*s, false);
      if (n == "gpt2" || n == "llama-chat") {
        EXPECT_EQ(tok.decode(ids), *s) << n;
      }
    }
  }
}

TEST(fuzz, random_bytes_never_break_invariants) {
  HF_REQUIRE_FIXTURES();
  std::mt19937 rng(1234);
  for (const auto& n : names()) {
    SCOPED_TRACE(n);
    const tokenizer& tok = fixture_tokenizer(n);
    for (int iter = 0; iter < 300; ++iter) {
      size_t len = rng() % 64;
      std::string s;
      for (size_t i = 0; i < len; ++i) {
        // Mostly ASCII, with UTF-8 lead/continuation bytes and the occasional special-token text.
        uint32_t r = rng() % 100;
        if (r < 60)
          s.push_back(static_cast<char>(0x20 + rng() % 95));
        else if (r < 95)
          s.push_back(static_cast<char>(rng() % 256));
        else
          s += (rng() % 2) ? "<s>" : "[SEP]";
      }
      encoding e = tok.encode_full(s, std::nullopt, true);
      ASSERT_EQ(e.ids.size(), e.tokens.size());
      ASSERT_EQ(e.ids.size(), e.offsets.size());
      size_t chars = tok::utf8::count_chars(tok::utf8::make_valid(s));
      for (size_t i = 0; i < e.ids.size(); ++i) {
        EXPECT_LT(static_cast<size_t>(e.ids[i]), tok.vocab_size());
        EXPECT_LE(e.offsets[i].first, e.offsets[i].second);
        EXPECT_LE(e.offsets[i].second, chars);
      }
      EXPECT_EQ(tok.encode(s), e.ids);
      EXPECT_TRUE(tok::utf8::is_valid(tok.decode(e.ids, false)));
    }
  }
}

TEST(fuzz, incremental_decoding_of_random_ids_matches_full_decode) {
  HF_REQUIRE_FIXTURES();
  std::mt19937 rng(99);
  for (const auto& n : names()) {
    SCOPED_TRACE(n);
    const tokenizer& tok = fixture_tokenizer(n);
    for (int iter = 0; iter < 300; ++iter) {
      std::vector<int32_t> ids;
      size_t len = 1 + rng() % 40;
      for (size_t i = 0; i < len; ++i) {
        // Favour low ids: special and byte tokens, where streaming is tricky.
        uint32_t r = rng() % 4;
        ids.push_back(static_cast<int32_t>(r == 0 ? rng() % 300 : rng() % tok.vocab_size()));
      }
      for (bool skip : {true, false}) {
        incremental_decoder dec(tok, skip);
        std::string streamed;
        for (int32_t id : ids) {
          std::string piece = dec.push(id);
          EXPECT_TRUE(tok::utf8::is_valid(piece));
          streamed += piece;
        }
        streamed += dec.flush();
        EXPECT_EQ(streamed, tok.decode(ids, skip));
      }
    }
  }
}

// Streams `ids` through an incremental decoder; the concatenation must be decode(ids).
void expect_streams_exactly(const tokenizer& tok, const std::vector<int32_t>& ids) {
  for (bool skip : {true, false}) {
    incremental_decoder dec(tok, skip);
    std::string streamed;
    for (int32_t id : ids) streamed += dec.push(id);
    streamed += dec.flush();
    EXPECT_EQ(streamed, tok.decode(ids, skip)) << "skip_special=" << skip;
  }
}

// Runs longer than the decoder's 64-id window (found by the tokenizer fuzz targets): 40 emoji
// are one run of 160 <0xNN> tokens for Llama, which once streamed as 64 U+FFFD; long invalid
// byte-level tails must not release a U+FFFD that the next bytes complete.
TEST(fuzz, runs_longer_than_the_window_stream_exactly) {
  HF_REQUIRE_FIXTURES();
  std::string emoji;
  for (int i = 0; i < 10; ++i) emoji += "\U0001F600\U0001F64F\U0001F3FD\U0001F980";
  const std::string invalid = std::string(100, '\x80') + "\xF0\x9F\x98\x80 ok";
  std::mt19937 rng(7);
  for (const auto& n : names()) {
    SCOPED_TRACE(n);
    const tokenizer& tok = fixture_tokenizer(n);
    expect_streams_exactly(tok, tok.encode("Hi " + emoji + " done", false));
    expect_streams_exactly(tok, tok.encode(invalid, false));
    for (int iter = 0; iter < 40; ++iter) {
      std::vector<int32_t> ids(100 + rng() % 200);
      for (auto& id : ids) id = static_cast<int32_t>(rng() % 300);  // special and byte tokens
      expect_streams_exactly(tok, ids);
    }
  }
}

TEST(fuzz, streaming_real_text_matches_and_emits_early) {
  HF_REQUIRE_FIXTURES();
  std::string text = mixed_text(20000);
  for (const auto& n : names()) {
    SCOPED_TRACE(n);
    const tokenizer& tok = fixture_tokenizer(n);
    std::vector<int32_t> ids = tok.encode(text, false);
    incremental_decoder dec(tok);
    std::string streamed;
    for (int32_t id : ids) streamed += dec.push(id);
    size_t before_flush = streamed.size();
    streamed += dec.flush();
    EXPECT_EQ(streamed, tok.decode(ids));
    EXPECT_GT(before_flush, streamed.size() - 16);  // text comes out as it is produced
  }
}

}  // namespace
}  // namespace hf::engine::test

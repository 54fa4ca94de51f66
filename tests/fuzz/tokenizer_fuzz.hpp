// Shared body of the tokenizer fuzz targets: loads a tokenizer once (a fixture folder, or a
// tokenizer.json shipped in tests/fuzz/data) and checks, for any input text, what every caller
// of encode/decode relies on. Input layout: byte 0 holds flags, the rest is the text; with a pair,
// the text is split at its first 0x00 byte.
//   static const auto& tok = fuzz_tokenizer::load_folder("tokenizers/gpt2");  // in the fixtures
//   fuzz_tokenizer::exercise(tok, data, size, {.byte_level_round_trip = true});
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/tokenizer/tokenizer.hpp"
#include "engine/tokenizer/utf8.hpp"
#include "fuzz/fuzz_check.hpp"

namespace fuzz_tokenizer {

using hf::engine::tokenizer;

// A folder under the fixtures; exits with 79 (the smoke tests' "skipped" code) when the
// fixtures are absent.
inline tokenizer load_folder(const char* relative) {
  const std::filesystem::path dir = std::filesystem::path(HFSERVE_FIXTURES_DIR) / relative;
  if (!std::filesystem::exists(dir / "tokenizer.json")) {
    std::fprintf(stderr, "skipped: no fixture tokenizer at %s\n", dir.c_str());
    std::exit(79);
  }
  return tokenizer::from_folder(dir);
}

// Bytes outside printable ASCII as \xNN, for the report of a failed check.
inline std::string escaped(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      char buf[5];
      std::snprintf(buf, sizeof buf, "\\x%02X", c);
      out += buf;
    }
  }
  return out;
}

struct checks {
  // decode(encode(x)) == x after invalid UTF-8 became U+FFFD: true of byte-level BPE, whose
  // pipeline has no normalizer and maps every byte to a token.
  bool byte_level_round_trip = false;
};

inline void exercise(const tokenizer& tok, const std::uint8_t* data, std::size_t size,
                     checks want) {
  if (size == 0) return;
  const std::uint8_t flags = data[0];
  const bool add_special = (flags & 1) != 0;
  const bool with_pair = (flags & 2) != 0;
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::optional<std::string_view> pair;
  if (with_pair) {
    const std::size_t cut = text.find('\0');
    if (cut != std::string_view::npos) {
      pair = text.substr(cut + 1);
      text = text.substr(0, cut);
    }
  }

  const std::vector<int32_t> ids = tok.encode(text, add_special);
  for (int32_t id : ids) {
    FUZZ_CHECK(id >= 0 && static_cast<std::size_t>(id) < tok.vocab_size(),
               "encode produced an id outside the vocabulary");
  }

  const hf::engine::encoding full = tok.encode_full(text, pair, add_special);
  const std::size_t n = full.ids.size();
  FUZZ_CHECK(full.tokens.size() == n && full.type_ids.size() == n && full.offsets.size() == n &&
                 full.sequence_ids.size() == n && full.special_tokens_mask.size() == n,
             "encode_full's vectors differ in length");
  if (!pair) FUZZ_CHECK(full.ids == ids, "encode and encode_full disagree");
  const std::size_t text_chars =
      hf::engine::tok::utf8::count_chars(hf::engine::tok::utf8::make_valid(text));
  const std::size_t pair_chars =
      pair ? hf::engine::tok::utf8::count_chars(hf::engine::tok::utf8::make_valid(*pair)) : 0;
  for (std::size_t i = 0; i < n; ++i) {
    const auto [begin, end] = full.offsets[i];
    const int32_t seq = full.sequence_ids[i];
    FUZZ_CHECK(seq >= -1 && seq <= (pair ? 1 : 0), "a sequence id out of range");
    const std::size_t limit = seq == 1 ? pair_chars : text_chars;
    FUZZ_CHECK(begin <= end && end <= limit, "a token's offsets fall outside its text");
  }

  // Streaming decode is documented to equal one decode of all ids, for either special mode.
  for (const bool skip_special : {true, false}) {
    const std::string whole = tok.decode(ids, skip_special);
    hf::engine::incremental_decoder stream(tok, skip_special);
    std::string pieces;
    for (int32_t id : ids) {
      const std::string piece = stream.push(id);
      FUZZ_CHECK(hf::engine::tok::utf8::is_valid(piece), "a streamed piece is not valid UTF-8");
      pieces += piece;
    }
    pieces += stream.flush();
    if (pieces != whole) {
      std::fprintf(stderr, "ids:");
      for (int32_t id : ids) std::fprintf(stderr, " %d", id);
      std::fprintf(stderr, "\ndecode:   [%s]\nstreamed: [%s]\n", escaped(whole).c_str(),
                   escaped(pieces).c_str());
    }
    FUZZ_CHECK(pieces == whole, "streamed decode differs from decode");
    if (want.byte_level_round_trip && !skip_special && !add_special) {
      FUZZ_CHECK(whole == hf::engine::tok::utf8::make_valid(text),
                 "byte-level decode(encode(text)) is not the text");
    }
  }
}

}  // namespace fuzz_tokenizer

// SentencePiece's precompiled normalization map (tokenizer.json "Precompiled" normalizer, used by
// T5, ALBERT, XLM-R and other Unigram models): a darts-clone double-array trie over UTF-8 keys
// and a blob of replacement strings, applied per grapheme cluster as HF tokenizers does.
//   auto m = precompiled_charsmap::from_base64(j["precompiled_charsmap"]);  m.normalize(piece);
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/tokenizer/normalized_string.hpp"

namespace hf::engine::tok {

class precompiled_charsmap {
 public:
  // Throws tokenizer_error for malformed data.
  static precompiled_charsmap from_base64(std::string_view b64);

  // The replacement of the shortest mapped prefix of chunk (HF's Precompiled::transform).
  std::optional<std::string_view> transform(std::string_view chunk) const;
  void normalize(normalized_string& n) const;

 private:
  std::vector<uint32_t> trie_;
  std::string replacements_;
};

// End (byte offset) of the grapheme cluster starting at s[i]: a character with the marks,
// joiners, variation selectors and emoji modifiers that follow it, CR LF, Hangul syllable
// sequences and regional indicator pairs (an approximation of Unicode's extended clusters).
size_t grapheme_end(std::string_view s, size_t i);

}  // namespace hf::engine::tok

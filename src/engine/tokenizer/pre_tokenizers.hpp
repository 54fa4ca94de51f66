// Pre-tokenizers of tokenizer.json ("pre_tokenizer"): ByteLevel, Split, Metaspace,
// BertPreTokenizer, Whitespace, WhitespaceSplit, Punctuation, Digits, CharDelimiterSplit,
// FixedLength and Sequence. They cut the normalized pieces into words (and may rewrite them, as
// ByteLevel and Metaspace do).
//   auto p = make_pre_tokenizer(j["pre_tokenizer"]);  if (p) p->pre_tokenize(pieces);
#pragma once
#include <cstdint>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <vector>

#include "engine/tokenizer/normalized_string.hpp"

namespace hf::engine::tok {

// One part of the input on its way to the model. added_id >= 0 marks an added token that was
// already recognised: later stages leave it alone.
struct piece {
  normalized_string text;
  int32_t added_id = -1;
};
using pre_tokenized = std::vector<piece>;

// Replaces every piece that is not an added token by f(piece) (a list of pieces, empty ones
// dropped).
template <class F>
void split_pieces(pre_tokenized& pieces, F&& f) {
  pre_tokenized out;
  size_t bytes = 0;
  for (const piece& p : pieces) bytes += p.text.size();
  out.reserve(pieces.size() + bytes / 4);  // words average more than 4 bytes
  for (piece& p : pieces) {
    if (p.added_id >= 0) {
      out.push_back(std::move(p));
      continue;
    }
    for (normalized_string& n : f(std::move(p.text))) {
      if (!n.empty()) out.push_back(piece{std::move(n), -1});
    }
  }
  pieces.swap(out);
}

class pre_tokenizer {
 public:
  virtual ~pre_tokenizer() = default;
  virtual void pre_tokenize(pre_tokenized& pieces) const = 0;
};

// nullptr for a JSON null; throws tokenizer_error for unknown types or bad fields.
std::unique_ptr<pre_tokenizer> make_pre_tokenizer(const nlohmann::json& j);

// Maps every byte of n to its GPT-2 byte-level character (each aligned to its source character).
void byte_level_encode(normalized_string& n);

// The GPT-2 split regex used by ByteLevel when use_regex is true.
inline constexpr const char* gpt2_split_regex =
    "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

}  // namespace hf::engine::tok

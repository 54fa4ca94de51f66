// Normalizers of tokenizer.json ("normalizer"): BertNormalizer, Lowercase, Strip, StripAccents,
// NFC/NFD/NFKC/NFKD, Nmt, Prepend, Append, Replace, ByteLevel, Precompiled and Sequence. Each
// rewrites a normalized_string in place, keeping the alignments to the original text.
//   auto n = make_normalizer(j["normalizer"]);  if (n) n->normalize(piece);
#pragma once
#include <memory>
#include <nlohmann/json_fwd.hpp>

#include "engine/tokenizer/normalized_string.hpp"

namespace hf::engine::tok {

class normalizer {
 public:
  virtual ~normalizer() = default;
  virtual void normalize(normalized_string& n) const = 0;
};

// nullptr for a JSON null; throws tokenizer_error for unknown types or bad fields.
std::unique_ptr<normalizer> make_normalizer(const nlohmann::json& j);

// BERT's normalizer: clean text (drop controls, whitespace to ' '), spaces around CJK ideographs,
// accent stripping (NFD, then drop nonspacing marks) and lowercasing, in one pass.
std::unique_ptr<normalizer> make_bert_normalizer(bool clean_text, bool handle_chinese_chars,
                                                 bool strip_accents, bool lowercase);

// Unicode normalization forms on a normalized_string (used by the NF* normalizers and BERT).
enum class unicode_form { nfc, nfd, nfkc, nfkd };
void unicode_normalize(normalized_string& n, unicode_form form);

}  // namespace hf::engine::tok

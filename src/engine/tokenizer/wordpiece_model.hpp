// WordPiece (BERT) and WordLevel models. WordPiece takes the longest vocabulary prefix, then the
// longest "##"-prefixed continuation, and so on; a word with any unmatched part, or longer than
// max_input_chars_per_word characters, becomes the unk token. WordLevel maps whole words.
//   auto wp = wordpiece_model::from_json(j["model"]);  wp->tokenize("unaffable", out);
#pragma once
#include "engine/tokenizer/model.hpp"
#include "engine/tokenizer/word_cache.hpp"

namespace hf::engine::tok {

class wordpiece_model final : public model {
 public:
  static std::unique_ptr<wordpiece_model> from_json(const nlohmann::json& j);
  void tokenize(std::string_view word, std::vector<model_token>& out) const override;
  const std::string& continuing_subword_prefix() const { return prefix_; }

 private:
  void tokenize_uncached(std::string_view word, std::vector<model_token>& out) const;

  std::string prefix_ = "##";
  size_t max_chars_ = 100;
  int32_t unk_id_ = -1;
  size_t max_piece_bytes_ =
      0;  // longest vocabulary entry without the prefix: longer candidates never match
  word_cache cache_;
};

class wordlevel_model final : public model {
 public:
  static std::unique_ptr<wordlevel_model> from_json(const nlohmann::json& j);
  // Unknown words become the unk token; without one they produce no token.
  void tokenize(std::string_view word, std::vector<model_token>& out) const override;

 private:
  int32_t unk_id_ = -1;
};

}  // namespace hf::engine::tok

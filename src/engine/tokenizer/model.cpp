#include "engine/tokenizer/model.hpp"

#include <nlohmann/json.hpp>

#include "engine/tokenizer/bpe_model.hpp"
#include "engine/tokenizer/json_util.hpp"
#include "engine/tokenizer/unigram_model.hpp"
#include "engine/tokenizer/wordpiece_model.hpp"

namespace hf::engine::tok {

std::optional<int32_t> model::token_to_id(std::string_view token) const {
  auto it = vocab_.find(token);
  if (it == vocab_.end()) return std::nullopt;
  return it->second;
}

const std::string* model::id_to_token(int32_t id) const {
  if (id < 0 || static_cast<size_t>(id) >= vocab_r_.size() || !has_id_[static_cast<size_t>(id)])
    return nullptr;
  return &vocab_r_[static_cast<size_t>(id)];
}

void model::index_vocab(std::string_view where) {
  int32_t max = -1;
  for (const auto& [tok, id] : vocab_) {
    if (id < 0) json_util::fail(where, "negative id for token \"" + tok + "\"");
    max = std::max(max, id);
  }
  vocab_r_.assign(static_cast<size_t>(max + 1), std::string());
  has_id_.assign(static_cast<size_t>(max + 1), 0);
  for (const auto& [tok, id] : vocab_) {
    vocab_r_[static_cast<size_t>(id)] = tok;
    has_id_[static_cast<size_t>(id)] = 1;
  }
}

std::unique_ptr<model> make_model(const nlohmann::json& j) {
  if (!j.is_object()) json_util::fail("model", "must be an object");
  std::string type = json_util::get_string(j, "type", "", "model");
  if (type.empty()) {
    // Older files (bert-base-uncased on the Hub) omit the type; infer it from the fields.
    if (j.contains("merges")) {
      type = "BPE";
    } else if (j.contains("continuing_subword_prefix") || j.contains("max_input_chars_per_word")) {
      type = "WordPiece";
    } else if (j.contains("vocab") && j["vocab"].is_array()) {
      type = "Unigram";
    } else {
      type = "WordLevel";
    }
  }
  if (type == "BPE") return bpe_model::from_json(j);
  if (type == "WordPiece") return wordpiece_model::from_json(j);
  if (type == "WordLevel") return wordlevel_model::from_json(j);
  if (type == "Unigram") return unigram_model::from_json(j);
  json_util::fail("model", "unsupported type \"" + type + "\"");
}

}  // namespace hf::engine::tok

// The tokenization model of tokenizer.json ("model"): turns one pre-tokenized word into token ids
// with byte offsets inside that word. Implementations: BPE (byte-level or byte-fallback),
// WordPiece, WordLevel and Unigram. Models are immutable and safe for concurrent use.
//   auto m = make_model(j["model"]);  std::vector<model_token> out;  m->tokenize("hello", out);
#pragma once
#include <cstdint>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace hf::engine::tok {

// A token produced by a model: [begin, end) are byte offsets in the word it came from.
struct model_token {
  int32_t id;
  uint32_t begin;
  uint32_t end;
};

// Hash for heterogeneous (string_view) lookups in string-keyed maps.
struct string_hash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
using vocab_map = std::unordered_map<std::string, int32_t, string_hash, std::equal_to<>>;

class model {
 public:
  virtual ~model() = default;
  // Appends the tokens of `word` (valid UTF-8, never empty) to out.
  virtual void tokenize(std::string_view word, std::vector<model_token>& out) const = 0;
  std::optional<int32_t> token_to_id(std::string_view token) const;
  // nullptr when the model has no token with this id.
  const std::string* id_to_token(int32_t id) const;
  size_t vocab_size() const { return vocab_.size(); }
  // Largest id in the vocabulary, -1 when it is empty.
  int32_t max_id() const { return static_cast<int32_t>(vocab_r_.size()) - 1; }
  const vocab_map& vocab() const { return vocab_; }

 protected:
  // Fills vocab_r_ from vocab_; throws tokenizer_error for negative ids.
  void index_vocab(std::string_view where);
  vocab_map vocab_;
  std::vector<std::string> vocab_r_;
  std::vector<uint8_t> has_id_;
};

// Throws tokenizer_error for unknown model types, missing fields or inconsistent vocab/merges.
std::unique_ptr<model> make_model(const nlohmann::json& j);

}  // namespace hf::engine::tok

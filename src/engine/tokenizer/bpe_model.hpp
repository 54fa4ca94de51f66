// Byte-pair encoding (HF tokenizers' BPE): merge ranks in a hash map, merges applied lowest rank
// first with a heap over a linked list of symbols, byte fallback and unk fusing, and a bounded,
// lock-free-on-contention cache of word -> tokens.
//   auto bpe = bpe_model::from_json(j["model"]);  bpe->tokenize("Ġhello", out);
#pragma once
#include <array>
#include <memory>
#include <optional>

#include "engine/tokenizer/model.hpp"
#include "engine/tokenizer/word_cache.hpp"

namespace hf::engine::tok {

class bpe_model final : public model {
 public:
  static std::unique_ptr<bpe_model> from_json(const nlohmann::json& j);
  void tokenize(std::string_view word, std::vector<model_token>& out) const override;

  bool byte_fallback() const { return byte_fallback_; }

 private:
  struct symbol {
    int32_t id;
    int32_t prev;
    int32_t next;
    uint32_t len;
  };
  struct merge_value {
    uint32_t rank;
    int32_t new_id;
  };
  void merge_word(std::string_view word, std::vector<symbol>& symbols) const;
  void initial_symbols(std::string_view word, std::vector<symbol>& symbols) const;
  std::optional<int32_t> char_id(std::string_view ch, bool first, bool last) const;
  const merge_value* find_merge(int32_t a, int32_t b) const;
  // BPE of one word (or one metaspace chunk of it), through the cache.
  void tokenize_merged(std::string_view word, uint32_t offset, std::vector<model_token>& out) const;

  std::unordered_map<uint64_t, merge_value> merges_;
  std::vector<int32_t> char_ids_;  // plain single-character tokens below U+10000, -1 if absent
  std::optional<int32_t> unk_id_;
  std::string continuing_subword_prefix_;
  std::string end_of_word_suffix_;
  bool fuse_unk_ = false;
  bool byte_fallback_ = false;
  bool ignore_merges_ = false;
  // No merge joins a piece ending in another character with one starting with "▁", so a word
  // (a whole SentencePiece-style text) can be cut before each "▁" that follows another character
  // and its chunks merged (and cached) separately with the same result.
  bool split_on_metaspace_ = false;
  std::array<int32_t, 256> byte_ids_{};  // <0xNN> tokens, -1 if absent
  word_cache cache_;
};

}  // namespace hf::engine::tok

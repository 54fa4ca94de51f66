// Unigram language-model tokenization (SentencePiece unigram as in HF tokenizers): the Viterbi
// path of highest total piece score over a byte trie of the vocabulary; characters no piece covers
// become unk (adjacent unks fused) or, with byte_fallback, <0xNN> tokens.
//   auto u = unigram_model::from_json(j["model"]);  u->tokenize("▁hello", out);
#pragma once
#include <array>

#include "engine/tokenizer/model.hpp"

namespace hf::engine::tok {

class unigram_model final : public model {
 public:
  static std::unique_ptr<unigram_model> from_json(const nlohmann::json& j);
  void tokenize(std::string_view word, std::vector<model_token>& out) const override;

 private:
  // Byte trie: node 0 is the root; children found through first_child/next_sibling links.
  struct trie_node {
    uint32_t first_child = 0;  // 0 = none (the root is never a child)
    uint32_t next_sibling = 0;
    int32_t id = -1;  // vocabulary id of the piece ending here
    uint8_t byte = 0;
  };
  void insert(std::string_view piece, int32_t id);
  uint32_t child(uint32_t node, uint8_t b) const;

  std::vector<trie_node> trie_;
  std::vector<uint32_t> root_children_;  // direct index for the first byte
  std::vector<double> scores_;
  double min_score_ = 0;
  int32_t unk_id_ = -1;
  bool byte_fallback_ = false;
  std::array<int32_t, 256> byte_ids_{};
};

}  // namespace hf::engine::tok

// Added and special tokens of tokenizer.json ("added_tokens"): found in the input before the model
// runs, with HF tokenizers' rules: leftmost-longest matching, single_word/lstrip/rstrip, and tokens
// with normalized=false matched in the raw text while normalized=true ones are matched in the
// normalized text (their own content normalized too).
//   added_vocabulary av(tokens, normalizer);  pre_tokenized p = av.extract_and_normalize(text, n);
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/tokenizer/model.hpp"
#include "engine/tokenizer/normalizers.hpp"
#include "engine/tokenizer/pre_tokenizers.hpp"

namespace hf::engine::tok {

struct added_token {
  int32_t id = -1;
  std::string content;
  bool single_word = false;
  bool lstrip = false;
  bool rstrip = false;
  bool normalized = true;
  bool special = false;
};

class added_vocabulary {
 public:
  added_vocabulary() = default;
  added_vocabulary(std::vector<added_token> tokens, const normalizer* norm);

  // Splits `text` (the whole input is `full`, text = full[begin, end)) into added tokens and
  // normalized pieces, ready for the pre-tokenizer.
  pre_tokenized extract_and_normalize(std::string_view full, size_t begin, size_t end,
                                      const normalizer* norm, bool track_alignments = true) const;

  const std::vector<added_token>& tokens() const { return tokens_; }
  const added_token* find(int32_t id) const;
  std::optional<int32_t> token_to_id(std::string_view content) const;
  bool is_special_content(std::string_view content) const;
  bool empty() const { return tokens_.empty(); }

 private:
  // Leftmost-longest matcher over a set of byte strings.
  class matcher {
   public:
    void add(std::string_view s, size_t token_index);
    // Longest pattern starting at s[pos]: (length, token index), or length 0.
    std::pair<size_t, size_t> longest_at(std::string_view s, size_t pos) const;
    bool empty() const { return nodes_.size() <= 1; }
    bool may_start(unsigned char b) const { return first_[b]; }

   private:
    struct node {
      std::unordered_map<unsigned char, uint32_t> next;
      int64_t token = -1;
    };
    std::vector<node> nodes_{1};
    bool first_[256] = {};
  };
  struct found {
    size_t begin, end, token_index;
  };
  std::vector<found> find_matches(std::string_view s, const matcher& m) const;
  void split(pre_tokenized& pieces, const matcher& m) const;

  std::vector<added_token> tokens_;
  std::unordered_map<int32_t, size_t> by_id_;
  std::unordered_map<std::string, int32_t, string_hash, std::equal_to<>> by_content_;
  std::unordered_map<std::string, bool, string_hash, std::equal_to<>> special_contents_;
  matcher raw_;         // tokens with normalized == false
  matcher normalized_;  // tokens with normalized == true, by their normalized content
};

}  // namespace hf::engine::tok

// A bounded, sharded cache of word -> model tokens, shared by concurrent encodes. Lookups and
// inserts only try the shard's lock: under contention the cache is skipped rather than waited on
// (as HF tokenizers' BPE cache does). Full shards stop accepting words; nothing is evicted.
//   if (!cache.get(word, out)) { ...tokenize...; cache.put(word, tokens); }
#pragma once
#include <array>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/tokenizer/model.hpp"

namespace hf::engine::tok {

class word_cache {
 public:
  static constexpr size_t max_word_bytes = 256;

  // Appends the cached tokens of word to out; false when absent (or the shard is busy).
  bool get(std::string_view word, std::vector<model_token>& out) const {
    if (word.size() >= max_word_bytes) return false;
    const shard& s = shards_[string_hash{}(word) % shard_count];
    std::shared_lock lock(s.mutex, std::try_to_lock);
    if (!lock.owns_lock()) return false;
    auto it = s.words.find(word);
    if (it == s.words.end()) return false;
    out.insert(out.end(), it->second.begin(), it->second.end());
    return true;
  }

  void put(std::string_view word, const model_token* begin, const model_token* end) const {
    if (word.size() >= max_word_bytes) return;
    shard& s = shards_[string_hash{}(word) % shard_count];
    std::unique_lock lock(s.mutex, std::try_to_lock);
    if (!lock.owns_lock() || s.words.size() >= capacity_per_shard) return;
    s.words.emplace(std::string(word), std::vector<model_token>(begin, end));
  }

 private:
  static constexpr size_t shard_count = 16;
  static constexpr size_t capacity_per_shard = 4096;
  struct shard {
    mutable std::shared_mutex mutex;
    std::unordered_map<std::string, std::vector<model_token>, string_hash, std::equal_to<>> words;
  };
  mutable std::array<shard, shard_count> shards_;
};

}  // namespace hf::engine::tok

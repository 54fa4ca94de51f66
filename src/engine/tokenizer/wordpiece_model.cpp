#include "engine/tokenizer/wordpiece_model.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "engine/tokenizer/json_util.hpp"
#include "engine/tokenizer/utf8.hpp"

namespace hf::engine::tok {
namespace {

void read_vocab(const nlohmann::json& j, vocab_map& vocab, const char* where) {
  const auto& v = json_util::require(j, "vocab", where);
  if (!v.is_object()) json_util::fail(where, "\"vocab\" must be an object");
  vocab.reserve(v.size());
  for (const auto& [tok, id] : v.items()) {
    if (!id.is_number_integer())
      json_util::fail(where, "id of token \"" + tok + "\" is not an integer");
    vocab.emplace(tok, id.get<int32_t>());
  }
}

}  // namespace

std::unique_ptr<wordpiece_model> wordpiece_model::from_json(const nlohmann::json& j) {
  const char* where = "WordPiece model";
  auto m = std::unique_ptr<wordpiece_model>(new wordpiece_model());
  read_vocab(j, m->vocab_, where);
  m->index_vocab(where);
  m->prefix_ = json_util::get_string(j, "continuing_subword_prefix", "##", where);
  m->max_chars_ =
      static_cast<size_t>(json_util::get_int(j, "max_input_chars_per_word", 100, where));
  std::string unk = json_util::get_string(j, "unk_token", "[UNK]", where);
  auto id = m->token_to_id(unk);
  if (!id) json_util::fail(where, "unk_token \"" + unk + "\" is not in the vocabulary");
  m->unk_id_ = *id;
  for (const auto& [tok, tid] : m->vocab_) {
    bool prefixed = tok.compare(0, m->prefix_.size(), m->prefix_) == 0;
    m->max_piece_bytes_ =
        std::max(m->max_piece_bytes_, tok.size() - (prefixed ? m->prefix_.size() : 0));
  }
  return m;
}

void wordpiece_model::tokenize(std::string_view word, std::vector<model_token>& out) const {
  size_t first = out.size();
  if (cache_.get(word, out)) return;
  tokenize_uncached(word, out);
  cache_.put(word, out.data() + first, out.data() + out.size());
}

void wordpiece_model::tokenize_uncached(std::string_view word,
                                        std::vector<model_token>& out) const {
  auto whole_unk = [&] { out.push_back({unk_id_, 0, static_cast<uint32_t>(word.size())}); };
  if (utf8::count_chars(word) > max_chars_) {
    whole_unk();
    return;
  }
  size_t first = out.size();
  std::string candidate;
  size_t start = 0;
  while (start < word.size()) {
    size_t end = std::min(word.size(), start + max_piece_bytes_);
    // Start on a character boundary.
    while (end < word.size() && (static_cast<unsigned char>(word[end]) & 0xC0) == 0x80) --end;
    int32_t found = -1;
    while (start < end) {
      candidate.clear();
      if (start > 0) candidate += prefix_;
      candidate.append(word.substr(start, end - start));
      auto it = vocab_.find(candidate);
      if (it != vocab_.end()) {
        found = it->second;
        break;
      }
      // Step back one character.
      do {
        --end;
      } while (end > start && (static_cast<unsigned char>(word[end]) & 0xC0) == 0x80);
    }
    if (found < 0) {
      out.resize(first);
      whole_unk();
      return;
    }
    out.push_back({found, static_cast<uint32_t>(start), static_cast<uint32_t>(end)});
    start = end;
  }
}

std::unique_ptr<wordlevel_model> wordlevel_model::from_json(const nlohmann::json& j) {
  const char* where = "WordLevel model";
  auto m = std::unique_ptr<wordlevel_model>(new wordlevel_model());
  read_vocab(j, m->vocab_, where);
  m->index_vocab(where);
  std::string unk = json_util::get_string(j, "unk_token", "", where);
  if (auto id = m->token_to_id(unk); id && !unk.empty()) m->unk_id_ = *id;
  return m;
}

void wordlevel_model::tokenize(std::string_view word, std::vector<model_token>& out) const {
  auto it = vocab_.find(word);
  int32_t id = it != vocab_.end() ? it->second : unk_id_;
  if (id >= 0) out.push_back({id, 0, static_cast<uint32_t>(word.size())});
}

}  // namespace hf::engine::tok

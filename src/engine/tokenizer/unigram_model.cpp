#include "engine/tokenizer/unigram_model.hpp"

#include <cstdio>
#include <limits>
#include <nlohmann/json.hpp>

#include "engine/tokenizer/json_util.hpp"
#include "engine/tokenizer/utf8.hpp"

namespace hf::engine::tok {
namespace {

constexpr const char* where = "Unigram model";
// Score of an unknown character relative to the worst piece (HF tokenizers' K_UNK_PENALTY).
constexpr double unk_penalty = 10.0;

}  // namespace

std::unique_ptr<unigram_model> unigram_model::from_json(const nlohmann::json& j) {
  auto m = std::unique_ptr<unigram_model>(new unigram_model());
  const auto& vocab = json_util::require(j, "vocab", where);
  if (!vocab.is_array()) json_util::fail(where, "\"vocab\" must be a list of [piece, score]");
  m->trie_.emplace_back();
  m->root_children_.assign(256, 0);
  m->scores_.reserve(vocab.size());
  m->min_score_ = std::numeric_limits<double>::infinity();
  for (size_t i = 0; i < vocab.size(); ++i) {
    const auto& e = vocab[i];
    if (!e.is_array() || e.size() != 2 || !e[0].is_string() || !e[1].is_number()) {
      json_util::fail(where, "vocab entry " + std::to_string(i) + " is not [piece, score]");
    }
    std::string piece = e[0].get<std::string>();
    auto id = static_cast<int32_t>(i);
    // A duplicated piece maps to its last id (HF builds its token -> id map in order).
    m->vocab_[piece] = id;
    m->vocab_r_.push_back(piece);
    m->scores_.push_back(e[1].get<double>());
    m->min_score_ = std::min(m->min_score_, m->scores_.back());
    if (!piece.empty()) m->insert(piece, id);
  }
  m->has_id_.assign(m->vocab_r_.size(), 1);
  long long unk = json_util::get_int(j, "unk_id", -1, where);
  if (unk >= static_cast<long long>(vocab.size())) json_util::fail(where, "unk_id is out of range");
  m->unk_id_ = static_cast<int32_t>(unk);
  m->byte_fallback_ = json_util::get_bool(j, "byte_fallback", false, where);
  m->byte_ids_.fill(-1);
  for (int b = 0; b < 256; ++b) {
    char name[8];
    std::snprintf(name, sizeof name, "<0x%02X>", b);
    if (auto id = m->token_to_id(name)) m->byte_ids_[static_cast<size_t>(b)] = *id;
  }
  return m;
}

uint32_t unigram_model::child(uint32_t node, uint8_t b) const {
  if (node == 0) return root_children_[b];
  for (uint32_t c = trie_[node].first_child; c != 0; c = trie_[c].next_sibling) {
    if (trie_[c].byte == b) return c;
  }
  return 0;
}

void unigram_model::insert(std::string_view piece, int32_t id) {
  uint32_t node = 0;
  for (char ch : piece) {
    auto b = static_cast<uint8_t>(ch);
    uint32_t next = child(node, b);
    if (next == 0) {
      next = static_cast<uint32_t>(trie_.size());
      trie_node n;
      n.byte = b;
      if (node == 0) {
        root_children_[b] = next;
      } else {
        n.next_sibling = trie_[node].first_child;
        trie_[node].first_child = next;
      }
      trie_.push_back(n);
    }
    node = next;
  }
  trie_[node].id = id;
}

void unigram_model::tokenize(std::string_view word, std::vector<model_token>& out) const {
  struct best {
    double score = 0;
    int64_t start = -1;  // -1: not reached yet
    int32_t id = -1;
  };
  const size_t n = word.size();
  std::vector<best> ends(n + 1);
  ends[0].start = 0;
  const double unk_score = min_score_ - unk_penalty;
  for (size_t pos = 0; pos < n;) {
    size_t char_len = utf8::char_len(static_cast<unsigned char>(word[pos]));
    double base = ends[pos].score;
    bool single_char = false;
    uint32_t node = 0;
    for (size_t k = pos; k < n; ++k) {
      node = child(node, static_cast<uint8_t>(word[k]));
      if (node == 0) break;
      int32_t id = trie_[node].id;
      if (id < 0) continue;
      best& target = ends[k + 1];
      double s = base + scores_[static_cast<size_t>(id)];
      if (target.start < 0 || s > target.score) target = {s, static_cast<int64_t>(pos), id};
      if (k + 1 - pos == char_len) single_char = true;
    }
    if (!single_char) {
      best& target = ends[pos + char_len];
      double s = base + unk_score;
      if (target.start < 0 || s > target.score) target = {s, static_cast<int64_t>(pos), unk_id_};
    }
    pos += char_len;
  }
  // Walk back, fusing consecutive unknown pieces into one.
  auto is_unk = [&](int32_t id) { return id < 0 || id == unk_id_; };
  std::vector<model_token> rev;
  for (size_t end = n; end > 0;) {
    const best& b = ends[end];
    auto start = static_cast<size_t>(b.start);
    if (is_unk(b.id) && !rev.empty() && is_unk(rev.back().id)) {
      rev.back().begin = static_cast<uint32_t>(start);
    } else {
      rev.push_back({b.id, static_cast<uint32_t>(start), static_cast<uint32_t>(end)});
    }
    end = start;
  }
  for (auto it = rev.rbegin(); it != rev.rend(); ++it) {
    if (!is_unk(it->id)) {
      out.push_back(*it);
      continue;
    }
    // An unknown stretch: its text may still be in the vocabulary as a whole (HF looks the
    // fused string up again), else bytes (byte_fallback) or the unk id.
    std::string_view text = word.substr(it->begin, it->end - it->begin);
    if (auto id = token_to_id(text)) {
      out.push_back({*id, it->begin, it->end});
      continue;
    }
    if (byte_fallback_) {
      bool all = true;
      for (char c : text) all = all && byte_ids_[static_cast<uint8_t>(c)] >= 0;
      if (all) {
        for (char c : text) out.push_back({byte_ids_[static_cast<uint8_t>(c)], it->begin, it->end});
        continue;
      }
    }
    if (unk_id_ >= 0) out.push_back({unk_id_, it->begin, it->end});
  }
}

}  // namespace hf::engine::tok

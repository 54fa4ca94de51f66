#include "engine/tokenizer/bpe_model.hpp"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "engine/tokenizer/json_util.hpp"
#include "engine/tokenizer/utf8.hpp"

namespace hf::engine::tok {
namespace {

constexpr const char* where = "BPE model";

uint64_t pair_key(int32_t a, int32_t b) {
  return (static_cast<uint64_t>(static_cast<uint32_t>(a)) << 32) | static_cast<uint32_t>(b);
}

std::pair<std::string, std::string> read_merge(const nlohmann::json& m, size_t index) {
  if (m.is_string()) {
    const std::string& s = m.get_ref<const std::string&>();
    size_t sp = s.find(' ');
    if (sp == std::string::npos || s.find(' ', sp + 1) != std::string::npos) {
      json_util::fail(where,
                      "merge " + std::to_string(index) + " (\"" + s + "\") is not two tokens");
    }
    return {s.substr(0, sp), s.substr(sp + 1)};
  }
  if (m.is_array() && m.size() == 2 && m[0].is_string() && m[1].is_string()) {
    return {m[0].get<std::string>(), m[1].get<std::string>()};
  }
  json_util::fail(where, "merge " + std::to_string(index) + " must be \"a b\" or [\"a\", \"b\"]");
}

// Queue entry of a candidate merge at symbol `pos`; the heap pops the lowest rank, then the
// leftmost position.
struct candidate {
  uint32_t rank;
  int32_t pos;
  int32_t new_id;
};
bool operator<(const candidate& a, const candidate& b) {  // "a pops after b"
  return a.rank != b.rank ? a.rank > b.rank : a.pos > b.pos;
}

}  // namespace

std::unique_ptr<bpe_model> bpe_model::from_json(const nlohmann::json& j) {
  auto m = std::unique_ptr<bpe_model>(new bpe_model());
  const auto& vocab = json_util::require(j, "vocab", where);
  if (!vocab.is_object()) json_util::fail(where, "\"vocab\" must be an object");
  m->vocab_.reserve(vocab.size());
  for (const auto& [tok, id] : vocab.items()) {
    if (!id.is_number_integer())
      json_util::fail(where, "id of token \"" + tok + "\" is not an integer");
    m->vocab_.emplace(tok, id.get<int32_t>());
  }
  m->index_vocab(where);

  m->continuing_subword_prefix_ = json_util::get_string(j, "continuing_subword_prefix", "", where);
  m->end_of_word_suffix_ = json_util::get_string(j, "end_of_word_suffix", "", where);
  m->fuse_unk_ = json_util::get_bool(j, "fuse_unk", false, where);
  m->byte_fallback_ = json_util::get_bool(j, "byte_fallback", false, where);
  m->ignore_merges_ = json_util::get_bool(j, "ignore_merges", false, where);
  std::string unk = json_util::get_string(j, "unk_token", "", where);
  if (!unk.empty()) {
    auto id = m->token_to_id(unk);
    if (!id) json_util::fail(where, "unk_token \"" + unk + "\" is not in the vocabulary");
    m->unk_id_ = id;
  }

  if (j.contains("merges") && !j["merges"].is_null()) {
    const auto& merges = j["merges"];
    m->merges_.reserve(merges.size());
    size_t prefix_len = m->continuing_subword_prefix_.size();
    for (size_t i = 0; i < merges.size(); ++i) {
      auto [a, b] = read_merge(merges[i], i);
      auto a_id = m->token_to_id(a);
      auto b_id = m->token_to_id(b);
      if (!a_id || !b_id) {
        json_util::fail(where, "merge " + std::to_string(i) + " uses \"" + (a_id ? b : a) +
                                   "\", which is not in the vocabulary");
      }
      std::string merged = a + (b.size() >= prefix_len ? b.substr(prefix_len) : b);
      auto new_id = m->token_to_id(merged);
      if (!new_id) {
        json_util::fail(where, "merge " + std::to_string(i) + " gives \"" + merged +
                                   "\", which is not in the vocabulary");
      }
      // A later duplicate overrides an earlier one, as in HF tokenizers' map construction.
      m->merges_[pair_key(*a_id, *b_id)] = merge_value{static_cast<uint32_t>(i), *new_id};
    }
  }

  // Can a merge join "x" + "▁..."? If not, words may be cut before such "▁" (see the header).
  const std::string meta = "\u2581";
  if (m->token_to_id(meta) && m->continuing_subword_prefix_.empty() &&
      m->end_of_word_suffix_.empty()) {
    m->split_on_metaspace_ = true;
    for (const auto& [key, value] : m->merges_) {
      const std::string* a = m->id_to_token(static_cast<int32_t>(key >> 32));
      const std::string* b = m->id_to_token(static_cast<int32_t>(key & 0xFFFFFFFFu));
      bool a_ends_meta =
          a->size() >= meta.size() && a->compare(a->size() - meta.size(), meta.size(), meta) == 0;
      if (!a_ends_meta && b->compare(0, meta.size(), meta) == 0) {
        m->split_on_metaspace_ = false;
        break;
      }
    }
  }

  m->char_ids_.assign(0x10000, -1);
  for (const auto& [tok, id] : m->vocab_) {
    size_t i = 0;
    if (tok.empty()) continue;
    char32_t c = utf8::decode(tok, i);
    if (i == tok.size() && c < 0x10000) m->char_ids_[c] = id;
  }
  m->byte_ids_.fill(-1);
  for (int b = 0; b < 256; ++b) {
    char name[8];
    std::snprintf(name, sizeof name, "<0x%02X>", b);
    if (auto id = m->token_to_id(name)) m->byte_ids_[static_cast<size_t>(b)] = *id;
  }
  return m;
}

std::optional<int32_t> bpe_model::char_id(std::string_view ch, bool first, bool last) const {
  bool plain =
      (first || continuing_subword_prefix_.empty()) && (!last || end_of_word_suffix_.empty());
  if (plain) {
    size_t i = 0;
    char32_t c = utf8::decode(ch, i);
    if (c < 0x10000) {
      int32_t id = char_ids_[c];
      if (id < 0) return std::nullopt;
      return id;
    }
    return token_to_id(ch);
  }
  std::string s;
  if (!first) s += continuing_subword_prefix_;
  s += ch;
  if (last) s += end_of_word_suffix_;
  return token_to_id(s);
}

const bpe_model::merge_value* bpe_model::find_merge(int32_t a, int32_t b) const {
  auto it = merges_.find(pair_key(a, b));
  return it == merges_.end() ? nullptr : &it->second;
}

void bpe_model::initial_symbols(std::string_view word, std::vector<symbol>& symbols) const {
  symbols.clear();
  auto add = [&](int32_t id, uint32_t len) {
    int32_t n = static_cast<int32_t>(symbols.size());
    if (n > 0) symbols.back().next = n;
    symbols.push_back(symbol{id, n - 1, -1, len});
  };
  bool unk = false;  // an unknown run is pending
  uint32_t unk_len = 0;
  for (size_t i = 0; i < word.size();) {
    size_t start = i;
    i += utf8::char_len(static_cast<unsigned char>(word[i]));
    std::string_view ch = word.substr(start, i - start);
    auto len = static_cast<uint32_t>(ch.size());
    if (auto id = char_id(ch, start == 0, i >= word.size())) {
      if (unk) add(*unk_id_, unk_len);
      unk = false;
      add(*id, len);
      continue;
    }
    if (byte_fallback_) {
      // The whole (possibly prefixed) piece must be representable as byte tokens.
      std::string full;
      if (start != 0) full += continuing_subword_prefix_;
      full += ch;
      if (i >= word.size()) full += end_of_word_suffix_;
      bool all = std::all_of(full.begin(), full.end(),
                             [&](char b) { return byte_ids_[static_cast<uint8_t>(b)] >= 0; });
      if (all) {
        if (unk) add(*unk_id_, unk_len);
        unk = false;
        for (char b : full) add(byte_ids_[static_cast<uint8_t>(b)], 1);
        continue;
      }
    }
    if (!unk_id_) continue;  // without an unk token, unknown characters are dropped
    if (unk && fuse_unk_) {
      unk_len += len;
    } else {
      if (unk) add(*unk_id_, unk_len);
      unk = true;
      unk_len = len;
    }
  }
  if (unk) add(*unk_id_, unk_len);
}

void bpe_model::merge_word(std::string_view word, std::vector<symbol>& symbols) const {
  initial_symbols(word, symbols);
  thread_local std::vector<candidate> heap;
  heap.clear();
  for (size_t i = 0; i + 1 < symbols.size(); ++i) {
    if (const merge_value* m = find_merge(symbols[i].id, symbols[i + 1].id)) {
      heap.push_back({m->rank, static_cast<int32_t>(i), m->new_id});
    }
  }
  std::make_heap(heap.begin(), heap.end());
  while (!heap.empty()) {
    std::pop_heap(heap.begin(), heap.end());
    candidate top = heap.back();
    heap.pop_back();
    symbol& cur = symbols[static_cast<size_t>(top.pos)];
    if (cur.len == 0 || cur.next < 0) continue;
    int32_t next_pos = cur.next;
    symbol right = symbols[static_cast<size_t>(next_pos)];
    const merge_value* m = find_merge(cur.id, right.id);
    if (!m || m->new_id != top.new_id) continue;  // stale entry
    cur.id = top.new_id;
    cur.len += right.len;
    cur.next = right.next;
    symbols[static_cast<size_t>(next_pos)].len = 0;
    if (right.next >= 0) symbols[static_cast<size_t>(right.next)].prev = top.pos;
    if (cur.prev >= 0) {
      if (const merge_value* pm = find_merge(symbols[static_cast<size_t>(cur.prev)].id, cur.id)) {
        heap.push_back({pm->rank, cur.prev, pm->new_id});
        std::push_heap(heap.begin(), heap.end());
      }
    }
    if (cur.next >= 0) {
      if (const merge_value* nm = find_merge(cur.id, symbols[static_cast<size_t>(cur.next)].id)) {
        heap.push_back({nm->rank, top.pos, nm->new_id});
        std::push_heap(heap.begin(), heap.end());
      }
    }
  }
  std::erase_if(symbols, [](const symbol& s) { return s.len == 0; });
}

void bpe_model::tokenize_merged(std::string_view word, uint32_t offset,
                                std::vector<model_token>& out) const {
  size_t first = out.size();
  if (cache_.get(word, out)) {
    for (size_t i = first; i < out.size(); ++i) {
      out[i].begin += offset;
      out[i].end += offset;
    }
    return;
  }
  thread_local std::vector<symbol> symbols;
  merge_word(word, symbols);
  uint32_t pos = 0;
  for (const symbol& s : symbols) {
    out.push_back({s.id, pos, pos + s.len});
    pos += s.len;
  }
  cache_.put(word, out.data() + first, out.data() + out.size());
  if (offset == 0) return;
  for (size_t i = first; i < out.size(); ++i) {
    out[i].begin += offset;
    out[i].end += offset;
  }
}

void bpe_model::tokenize(std::string_view word, std::vector<model_token>& out) const {
  if (word.empty()) return;
  if (ignore_merges_) {
    if (auto id = token_to_id(word)) {
      out.push_back({*id, 0, static_cast<uint32_t>(word.size())});
      return;
    }
  }
  if (!split_on_metaspace_) {
    tokenize_merged(word, 0, out);
    return;
  }
  constexpr std::string_view meta = "\u2581";
  size_t start = 0;
  for (size_t pos = word.find(meta, 1); pos != std::string_view::npos;
       pos = word.find(meta, pos + meta.size())) {
    bool after_meta = pos >= meta.size() && word.compare(pos - meta.size(), meta.size(), meta) == 0;
    if (after_meta || pos == start) continue;
    tokenize_merged(word.substr(start, pos - start), static_cast<uint32_t>(start), out);
    start = pos;
  }
  tokenize_merged(word.substr(start), static_cast<uint32_t>(start), out);
}

}  // namespace hf::engine::tok

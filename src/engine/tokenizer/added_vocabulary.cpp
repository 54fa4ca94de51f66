#include "engine/tokenizer/added_vocabulary.hpp"

#include <algorithm>

#include "engine/tokenizer/unicode.hpp"
#include "engine/tokenizer/utf8.hpp"

namespace hf::engine::tok {
namespace {

// The character that ends at byte `end` of s (s[..end] is valid UTF-8 and end > 0).
char32_t char_before(std::string_view s, size_t end) {
  size_t i = end - 1;
  while (i > 0 && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) --i;
  return utf8::decode(s, i);
}

}  // namespace

void added_vocabulary::matcher::add(std::string_view s, size_t token_index) {
  if (s.empty()) return;
  uint32_t n = 0;
  for (char ch : s) {
    auto b = static_cast<unsigned char>(ch);
    auto it = nodes_[n].next.find(b);
    if (it == nodes_[n].next.end()) {
      auto idx = static_cast<uint32_t>(nodes_.size());
      nodes_[n].next.emplace(b, idx);
      nodes_.emplace_back();
      n = idx;
    } else {
      n = it->second;
    }
  }
  first_[static_cast<unsigned char>(s[0])] = true;
  if (nodes_[n].token < 0) nodes_[n].token = static_cast<int64_t>(token_index);
}

std::pair<size_t, size_t> added_vocabulary::matcher::longest_at(std::string_view s,
                                                                size_t pos) const {
  std::pair<size_t, size_t> best{0, 0};
  uint32_t n = 0;
  for (size_t k = pos; k < s.size(); ++k) {
    auto it = nodes_[n].next.find(static_cast<unsigned char>(s[k]));
    if (it == nodes_[n].next.end()) break;
    n = it->second;
    if (nodes_[n].token >= 0) best = {k + 1 - pos, static_cast<size_t>(nodes_[n].token)};
  }
  return best;
}

added_vocabulary::added_vocabulary(std::vector<added_token> tokens, const normalizer* norm)
    : tokens_(std::move(tokens)) {
  for (size_t i = 0; i < tokens_.size(); ++i) {
    const added_token& t = tokens_[i];
    by_id_[t.id] = i;
    by_content_[t.content] = t.id;
    if (t.special) special_contents_[t.content] = true;
  }
  // Special tokens first, then the others, as HF builds its tries (first pattern wins on ties).
  for (int pass = 0; pass < 2; ++pass) {
    for (size_t i = 0; i < tokens_.size(); ++i) {
      const added_token& t = tokens_[i];
      if (t.special != (pass == 0) || t.content.empty()) continue;
      if (!t.normalized) {
        raw_.add(t.content, i);
        continue;
      }
      auto n = normalized_string::from_original(t.content, 0, t.content.size());
      if (norm) norm->normalize(n);
      normalized_.add(n.get(), i);
    }
  }
}

const added_token* added_vocabulary::find(int32_t id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : &tokens_[it->second];
}

std::optional<int32_t> added_vocabulary::token_to_id(std::string_view content) const {
  auto it = by_content_.find(content);
  if (it == by_content_.end()) return std::nullopt;
  return it->second;
}

bool added_vocabulary::is_special_content(std::string_view content) const {
  return special_contents_.find(content) != special_contents_.end();
}

std::vector<added_vocabulary::found> added_vocabulary::find_matches(std::string_view s,
                                                                    const matcher& m) const {
  std::vector<found> out;
  size_t start_offset = 0;
  for (size_t pos = 0; pos < s.size();) {
    if (!m.may_start(static_cast<unsigned char>(s[pos]))) {
      ++pos;
      continue;
    }
    auto [len, index] = m.longest_at(s, pos);
    if (len == 0) {
      ++pos;
      continue;
    }
    size_t start = pos, stop = pos + len;
    pos = stop;  // matching resumes after this match even if it is rejected below
    const added_token& t = tokens_[index];
    if (t.single_word) {
      bool start_space = start == 0 || !unicode::is_word_char(char_before(s, start));
      size_t k = stop;
      bool stop_space = stop == s.size() || !unicode::is_word_char(utf8::decode(s, k));
      if (!start_space || !stop_space) continue;
    }
    if (t.lstrip) {
      size_t new_start = start;
      while (new_start > 0) {
        size_t prev = new_start - 1;
        while (prev > 0 && (static_cast<unsigned char>(s[prev]) & 0xC0) == 0x80) --prev;
        size_t k = prev;
        if (!unicode::is_whitespace(utf8::decode(s, k))) break;
        new_start = prev;
      }
      start = std::max(new_start, start_offset);
    }
    if (t.rstrip) {
      while (stop < s.size()) {
        size_t k = stop;
        if (!unicode::is_whitespace(utf8::decode(s, k))) break;
        stop = k;
      }
      pos = stop;
    }
    out.push_back({start, stop, index});
    start_offset = stop;
  }
  return out;
}

void added_vocabulary::split(pre_tokenized& pieces, const matcher& m) const {
  if (m.empty()) return;
  pre_tokenized out;
  for (piece& p : pieces) {
    if (p.added_id >= 0) {
      out.push_back(std::move(p));
      continue;
    }
    auto found = find_matches(p.text.get(), m);
    if (found.empty()) {
      out.push_back(std::move(p));
      continue;
    }
    size_t last = 0;
    for (const auto& f : found) {
      if (last < f.begin) out.push_back({p.text.slice(last, f.begin), -1});
      out.push_back({p.text.slice(f.begin, f.end), tokens_[f.token_index].id});
      last = f.end;
    }
    if (last < p.text.size()) out.push_back({p.text.slice(last, p.text.size()), -1});
  }
  pieces.swap(out);
}

pre_tokenized added_vocabulary::extract_and_normalize(std::string_view full, size_t begin,
                                                      size_t end, const normalizer* norm,
                                                      bool track_alignments) const {
  pre_tokenized pieces;
  if (begin >= end) return pieces;
  pieces.push_back({normalized_string::from_original(full, begin, end, track_alignments), -1});
  split(pieces, raw_);
  for (piece& p : pieces) {
    if (p.added_id < 0 && norm) norm->normalize(p.text);
  }
  split(pieces, normalized_);
  std::erase_if(pieces, [](const piece& p) { return p.added_id < 0 && p.text.empty(); });
  return pieces;
}

}  // namespace hf::engine::tok
